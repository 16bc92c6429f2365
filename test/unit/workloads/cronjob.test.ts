import assert from 'node:assert/strict';
import type { CronJob, Job } from '../../../common/api/types';
import { applyDefaults } from '../../../common/manifest/defaults';
import { SCHEDULED_TIMESTAMP_ANNOTATION, scheduledJobName } from '../../../controller/workloads/cronjob';
import { TestCluster } from './harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function cronJob(spec: Partial<CronJob['spec']> = {}, name = 'report'): CronJob {
  return applyDefaults<CronJob>({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: {
      schedule: '* * * * *',
      jobTemplate: {
        metadata: { labels: { team: 'a' }, annotations: { note: 'from-template' } },
        spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1' }] } } },
      },
      ...spec,
    },
  });
}

describe('CronJob controller', () => {
  let c: TestCluster;
  beforeEach(async () => {
    c = new TestCluster();
    await c.start();
  });
  afterEach(() => c.stop());

  const jobs = async () => (await c.store.list<Job>('Job')).items.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const jobNames = async () => (await jobs()).map((j) => j.metadata.name);
  const get = (name = 'report') => c.get<CronJob>('CronJob', name);
  const events = (reason: string) => c.recorded.filter((e) => e.reason === reason);
  /** Moves the clock to an absolute time in steps, letting the controllers act at each. */
  const advanceTo = async (iso: string, stepMs = 10 * MINUTE) => {
    const end = Date.parse(iso);
    while (c.clock.now() < end) await c.advance(Math.min(stepMs, end - c.clock.now()));
  };
  /** Plays the kubelet for a Job's pods: they end as `phase`, and the Job controller finishes the Job. */
  const finishJob = async (name: string, phase: 'Succeeded' | 'Failed') => {
    await c.finishPods(await c.pods((p) => p.metadata.labels?.['job-name'] === name), phase);
  };
  const minuteName = (iso: string, cj = 'report') => scheduledJobName(cj, Date.parse(iso));

  it('creates exactly one Job per minute for * * * * *, stamped and owned like Kubernetes does', async () => {
    await c.advance(30_000); // 00:00:30
    const created = await c.create(cronJob());
    assert.deepEqual(await jobNames(), [], 'nothing is due before the first minute');
    await advanceTo('2026-01-01T00:03:30Z', 10_000);
    assert.deepEqual(await jobNames(), ['2026-01-01T00:01:00Z', '2026-01-01T00:02:00Z', '2026-01-01T00:03:00Z'].map((t) => minuteName(t)));
    const [first] = await jobs();
    assert.equal(first!.metadata.name, `report-${Date.parse('2026-01-01T00:01:00Z') / MINUTE}`);
    assert.equal(first!.metadata.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION], '2026-01-01T00:01:00Z');
    assert.equal(first!.metadata.annotations?.note, 'from-template');
    assert.equal(first!.metadata.labels?.team, 'a');
    assert.deepEqual(first!.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]), [['CronJob', 'report', created.metadata.uid, true]]);
    assert.equal(first!.spec.template.metadata?.labels?.['job-name'], first!.metadata.name, 'Job defaults applied with its own name');
    assert.equal((await c.pods((p) => p.metadata.labels?.['job-name'] === first!.metadata.name)).length, 1, 'the Job controller runs it');
    const cj = await get();
    assert.equal(cj.status?.lastScheduleTime, '2026-01-01T00:03:00Z');
    assert.deepEqual(cj.status?.active?.map((r) => r.name), await jobNames());
    assert.equal(events('SuccessfulCreate').filter((e) => e.object === 'CronJob/report').length, 3);
  });

  it('does not create a second Job for the same time after a controller restart', async () => {
    await c.create(cronJob());
    await c.advance(MINUTE + 1000);
    await c.restartControllers();
    await c.advance(1000);
    assert.deepEqual(await jobNames(), [minuteName('2026-01-01T00:01:00Z')]);
  });

  it('runs "30 2 * * *" in America/New_York right after the gap on the spring-forward day, then at 02:30 again', async () => {
    await advanceTo('2026-03-07T12:00:00Z', 6 * HOUR);
    await c.create(cronJob({ schedule: '30 2 * * *', timeZone: 'America/New_York' }));
    await advanceTo('2026-03-08T06:59:00Z'); // 01:59 EST: the clocks jump from 02:00 to 03:00 next
    assert.deepEqual(await jobNames(), []);
    await advanceTo('2026-03-08T07:10:00Z');
    const [spring] = await jobs();
    assert.equal(spring?.metadata.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION], '2026-03-08T03:00:00-04:00', '02:30 does not exist that day: it runs at 03:00 EDT');
    await advanceTo('2026-03-09T12:00:00Z', HOUR);
    assert.deepEqual((await jobs()).map((j) => j.metadata.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION]), ['2026-03-08T03:00:00-04:00', '2026-03-09T02:30:00-04:00']);
  });

  it('runs a daily "30 1 * * *" in America/New_York once on the fall-back day, though 01:30 happens twice', async () => {
    await advanceTo('2026-10-31T12:00:00Z', 6 * HOUR);
    await c.create(cronJob({ schedule: '30 1 * * *', timeZone: 'America/New_York' }));
    await advanceTo('2026-11-01T12:00:00Z', 10 * MINUTE);
    assert.deepEqual((await jobs()).map((j) => j.metadata.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION]), ['2026-11-01T01:30:00-04:00']);
  });

  it('after a 3-hour outage creates exactly one catch-up Job, for the most recent missed time', async () => {
    await c.create(cronJob({ schedule: '0 * * * *' }));
    await advanceTo('2026-01-01T01:30:00Z');
    assert.deepEqual(await jobNames(), [minuteName('2026-01-01T01:00:00Z')]);
    for (const ctl of c.controllers) ctl.stop();
    c.clock.advance(3 * HOUR); // 04:30: 02:00, 03:00 and 04:00 were missed
    await c.restartControllers();
    assert.deepEqual(await jobNames(), [minuteName('2026-01-01T01:00:00Z'), minuteName('2026-01-01T04:00:00Z')]);
    assert.equal((await get()).status?.lastScheduleTime, '2026-01-01T04:00:00Z');
    assert.deepEqual(events('TooManyMissedTimes'), []);
  });

  it('after missing more than 100 times warns TooManyMissedTimes and still runs only one catch-up', async () => {
    await c.create(cronJob());
    for (const ctl of c.controllers) ctl.stop();
    c.clock.advance(3 * HOUR + 30_000);
    await c.restartControllers();
    assert.deepEqual(await jobNames(), [minuteName('2026-01-01T03:00:00Z')]);
    assert.equal(events('TooManyMissedTimes').length, 1);
  });

  it('skips a run that could not start within startingDeadlineSeconds, with a MissSchedule warning', async () => {
    await c.create(cronJob({ schedule: '0 * * * *', startingDeadlineSeconds: 60 }));
    for (const ctl of c.controllers) ctl.stop();
    c.clock.advance(HOUR + 2 * MINUTE); // 01:02: the 01:00 run is two minutes late
    await c.restartControllers();
    assert.deepEqual(await jobNames(), []);
    assert.deepEqual(events('MissSchedule').map((e) => [e.type, e.message]), [['Warning', 'Missed scheduled time to start a job: Thu, 01 Jan 2026 01:00:00 +0000']]);
    await advanceTo('2026-01-01T01:50:00Z');
    assert.equal(events('MissSchedule').length, 1, 'reported once, not on every pass');
    await advanceTo('2026-01-01T02:00:30Z', MINUTE);
    assert.deepEqual(await jobNames(), [minuteName('2026-01-01T02:00:00Z')], 'the next run is on time');
  });

  it('starts a late run still within startingDeadlineSeconds', async () => {
    await c.create(cronJob({ schedule: '0 * * * *', startingDeadlineSeconds: 300 }));
    for (const ctl of c.controllers) ctl.stop();
    c.clock.advance(HOUR + 2 * MINUTE);
    await c.restartControllers();
    assert.deepEqual(await jobNames(), [minuteName('2026-01-01T01:00:00Z')]);
  });

  it('Forbid: starts nothing while a Job runs; the held-back run starts late when it finishes', async () => {
    await c.create(cronJob({ concurrencyPolicy: 'Forbid' }));
    await c.advance(MINUTE + 1000); // 00:01:01
    const first = minuteName('2026-01-01T00:01:00Z');
    assert.deepEqual(await jobNames(), [first]);
    await c.advance(MINUTE); // 00:02:01
    assert.deepEqual(await jobNames(), [first]);
    assert.equal(events('JobAlreadyActive').length, 1);
    await finishJob(first, 'Succeeded');
    assert.deepEqual(await jobNames(), [first, minuteName('2026-01-01T00:02:00Z')]);
    const cj = await get();
    assert.deepEqual(cj.status?.active?.map((r) => r.name), [minuteName('2026-01-01T00:02:00Z')]);
    assert.ok(cj.status?.lastSuccessfulTime);
    assert.deepEqual(events('SawCompletedJob').map((e) => e.message), [`Saw completed job: ${first}, condition: Complete`]);
  });

  it('Allow: runs Jobs side by side', async () => {
    await c.create(cronJob());
    await c.advance(MINUTE + 1000);
    await c.advance(MINUTE);
    assert.deepEqual((await get()).status?.active?.map((r) => r.name), [minuteName('2026-01-01T00:01:00Z'), minuteName('2026-01-01T00:02:00Z')]);
  });

  it('Replace: deletes the running Job, then creates the new one', async () => {
    await c.create(cronJob({ concurrencyPolicy: 'Replace' }));
    await c.advance(MINUTE + 1000);
    const first = minuteName('2026-01-01T00:01:00Z');
    await c.advance(MINUTE);
    const second = minuteName('2026-01-01T00:02:00Z');
    assert.deepEqual(await jobNames(), [second]);
    assert.deepEqual(events('SuccessfulDelete').map((e) => e.message), [`Deleted job ${first}`]);
    assert.deepEqual((await get()).status?.active?.map((r) => r.name), [second]);
  });

  it('keeps only the newest finished Jobs: successfulJobsHistoryLimit and failedJobsHistoryLimit', async () => {
    await c.create(cronJob({ successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 }));
    const names: string[] = [];
    for (let i = 1; i <= 4; i++) {
      await c.advance(MINUTE + (i === 1 ? 1000 : 0));
      const name = minuteName(`2026-01-01T00:0${i}:00Z`);
      names.push(name);
      await finishJob(name, 'Succeeded');
    }
    assert.deepEqual(await jobNames(), names.slice(2), 'the two oldest successes are deleted');
    for (let i = 5; i <= 7; i++) {
      await c.advance(MINUTE);
      await finishJob(minuteName(`2026-01-01T00:0${i}:00Z`), 'Failed');
    }
    assert.deepEqual(await jobNames(), [...names.slice(2), minuteName('2026-01-01T00:07:00Z')], 'one failure is kept');
    assert.equal(events('SuccessfulDelete').length, 4);
    assert.equal((await get()).status?.active, undefined);
  });

  it('suspend: nothing new starts, a running Job keeps running; resuming runs the latest missed time once', async () => {
    await c.create(cronJob());
    await c.advance(MINUTE + 1000);
    const first = minuteName('2026-01-01T00:01:00Z');
    await c.change<CronJob>('CronJob', 'report', (cj) => (cj.spec.suspend = true));
    await c.advance(3 * MINUTE);
    assert.deepEqual(await jobNames(), [first]);
    assert.deepEqual((await get()).status?.active?.map((r) => r.name), [first]);
    await c.change<CronJob>('CronJob', 'report', (cj) => (cj.spec.suspend = false));
    assert.deepEqual(await jobNames(), [first, minuteName('2026-01-01T00:04:00Z')]);
  });

  it('does not adopt a Job of the same name it does not own, and says so', async () => {
    await c.create<Job>({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: minuteName('2026-01-01T00:01:00Z'), namespace: 'default' },
      spec: { selector: { matchLabels: { x: 'y' } }, template: { metadata: { labels: { x: 'y' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1' }] } } },
    });
    await c.create(cronJob());
    await c.advance(MINUTE + 1000);
    assert.equal((await get()).status?.lastScheduleTime, undefined);
    assert.match(events('FailedCreate')[0]?.message ?? '', /already exists and is not owned by cronjob report/);
  });
});
