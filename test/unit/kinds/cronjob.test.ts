import assert from 'node:assert/strict';
import type { CronJob } from '../../../common/api/types';
import { CronSchedule, cronScheduleProblem, rfc3339InZone } from '../../../common/cron-schedule';
import { cronJobKind } from '../../../common/kinds/cronjob';
import { lookupKind } from '../../../common/kinds/registry';
import { applyDefaults } from '../../../common/manifest/defaults';
import { validateObject } from '../../../common/manifest/validate';

type Json = Record<string, unknown>;

function cronJob(spec: Json = {}, name = 'report'): Json {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: { metadata: { labels: { team: 'a' } }, spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox:1' }] } } } },
      ...spec,
    },
  };
}

const issues = (obj: Json) => validateObject(obj).errors.map((e) => `${e.path}: ${e.message}`);
const warnings = (obj: Json) => validateObject(obj).warnings.map((e) => `${e.path}: ${e.message}`);

describe('CronJob kind', () => {
  it('accepts a CronJob as Kubernetes documents it, with every field', () => {
    assert.deepEqual(issues(cronJob({ timeZone: 'Europe/Paris', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 200, suspend: false, successfulJobsHistoryLimit: 5, failedJobsHistoryLimit: 2 })), []);
    assert.deepEqual(warnings(cronJob()), []);
    for (const schedule of ['@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually', '0 0 * * MON-FRI', '30 2 1,15 JAN,jul *', '0 */2 * * ?']) {
      assert.deepEqual(issues(cronJob({ schedule })), [], schedule);
    }
  });

  it('refuses a bad cron expression, naming spec.schedule and the problem', () => {
    const cases: [string, RegExp][] = [
      ['* * * *', /must have 5 fields .*got 4/],
      ['0 0 0 * * *', /must have 5 fields .*got 6/],
      ['61 * * * *', /minute/],
      ['* 24 * * *', /hour/],
      ['0 0 L * *', /day of month field "L": unknown name "L"/],
      ['0 0 * * MON#1', /day of week field "MON#1": only numbers, names/],
      ['0 0 * * FOO', /unknown name "FOO"/],
      ['@every 5m', /unknown schedule "@every 5m"/],
      ['0 0 30 2 *', /never runs/],
    ];
    for (const [schedule, message] of cases) {
      const errs = issues(cronJob({ schedule }));
      assert.equal(errs.length, 1, `${schedule}: ${errs.join('; ')}`);
      assert.ok(errs[0]!.startsWith(`spec.schedule: invalid schedule ${JSON.stringify(schedule)}: `), errs[0]);
      assert.match(errs[0]!, message);
    }
  });

  it('refuses TZ= or CRON_TZ= inside the schedule, pointing to spec.timeZone', () => {
    for (const schedule of ['TZ=UTC 0 0 * * *', 'CRON_TZ=Europe/Paris 0 0 * * *']) {
      assert.deepEqual(issues(cronJob({ schedule })), [`spec.schedule: invalid schedule ${JSON.stringify(schedule)}: cannot use TZ or CRON_TZ in schedule; set spec.timeZone instead`]);
    }
  });

  it('refuses an unknown time zone, naming spec.timeZone', () => {
    assert.deepEqual(issues(cronJob({ timeZone: 'Mars/Olympus' })), ['spec.timeZone: unknown time zone "Mars/Olympus": must be an IANA time zone name such as "Europe/Paris"']);
    assert.match(issues(cronJob({ timeZone: 'Local' }))[0]!, /^spec.timeZone: must be an explicit time zone/);
    assert.match(issues(cronJob({ timeZone: ' UTC' }))[0]!, /^spec.timeZone: must be an IANA time zone name/);
  });

  it('validates the job template exactly like a Job spec', () => {
    const noRestartPolicy = cronJob({ jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:1' }] } } } } });
    assert.deepEqual(issues(noRestartPolicy), ['spec.jobTemplate.spec.template.spec.restartPolicy: is required: must be one of OnFailure, Never']);
    const badField = cronJob({ jobTemplate: { spec: { backoffLimit: -1, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1' }] } } } } });
    assert.deepEqual(issues(badField), ['spec.jobTemplate.spec.backoffLimit: must be a non-negative integer, got number -1']);
    assert.deepEqual(issues(cronJob({ jobTemplate: {} })), ['spec.jobTemplate.spec: is required']);
  });

  it('refuses other bad spec values and names over 52 characters', () => {
    assert.match(issues(cronJob({ concurrencyPolicy: 'Sometimes' }))[0]!, /^spec.concurrencyPolicy: unsupported value "Sometimes"/);
    assert.match(issues(cronJob({ startingDeadlineSeconds: -5 }))[0]!, /^spec.startingDeadlineSeconds: must be a non-negative integer/);
    assert.match(issues(cronJob({ successfulJobsHistoryLimit: -1 }))[0]!, /^spec.successfulJobsHistoryLimit/);
    assert.deepEqual(issues(cronJob({}, 'a'.repeat(52))), []);
    assert.match(issues(cronJob({}, 'a'.repeat(53))).join('\n'), /must be no more than 52 characters/);
    assert.deepEqual(issues({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x' }, spec: {} }), ['spec.schedule: is required', 'spec.jobTemplate: is required']);
  });

  it('defaults its own fields and the pod template, not the Job fields that depend on each Job', () => {
    const cj = applyDefaults(cronJob() as unknown as CronJob);
    assert.equal(cj.spec.concurrencyPolicy, 'Allow');
    assert.equal(cj.spec.suspend, false);
    assert.equal(cj.spec.successfulJobsHistoryLimit, 3);
    assert.equal(cj.spec.failedJobsHistoryLimit, 1);
    assert.equal(cj.spec.jobTemplate.spec.template.spec.terminationGracePeriodSeconds, 30);
    assert.equal(cj.spec.jobTemplate.spec.selector, undefined);
    assert.equal(cj.spec.jobTemplate.spec.completions, undefined);
    assert.deepEqual(validateObject(cj).errors, []);
  });

  it('is found as cronjob, cronjobs and cj, and prints kubectl columns', () => {
    for (const name of ['cronjob', 'cronjobs', 'cj', 'CronJob']) assert.equal(lookupKind(name)?.kind, 'CronJob');
    assert.deepEqual(cronJobKind.table.columns.filter((c) => !c.wide).map((c) => c.name), ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    const now = Date.UTC(2026, 0, 1, 12);
    const cj = applyDefaults(cronJob() as unknown as CronJob);
    cj.metadata.creationTimestamp = new Date(now - 3_600_000).toISOString();
    assert.deepEqual(cronJobKind.table.cells(cj, now).slice(0, 7), ['report', '*/5 * * * *', '<none>', 'False', '0', '<none>', '60m']);
    cj.spec.timeZone = 'Europe/Paris';
    cj.status = { active: [{ kind: 'Job', name: 'report-1' }], lastScheduleTime: new Date(now - 90_000).toISOString() };
    assert.deepEqual(cronJobKind.table.cells(cj, now).slice(0, 7), ['report', '*/5 * * * *', 'Europe/Paris', 'False', '1', '90s', '60m']);
  });
});

describe('CronSchedule', () => {
  const at = (iso: string) => Date.parse(iso);
  const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

  it('answers the latest time at or before, and the next strictly after', () => {
    const s = CronSchedule.parse('*/15 * * * *', 'UTC') as CronSchedule;
    assert.equal(iso(s.latestAtOrBefore(at('2026-01-01T10:15:00Z'))), '2026-01-01T10:15:00.000Z');
    assert.equal(iso(s.latestAtOrBefore(at('2026-01-01T10:14:59Z'))), '2026-01-01T10:00:00.000Z');
    assert.equal(iso(s.nextAfter(at('2026-01-01T10:15:00Z'))), '2026-01-01T10:30:00.000Z');
    assert.equal(s.countBetween(at('2026-01-01T10:00:00Z'), at('2026-01-01T11:00:00Z'), 100), 4);
    assert.equal(s.countBetween(at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z'), 101), 101, 'stops counting at the cap');
  });

  it('reads the schedule in its time zone', () => {
    const s = CronSchedule.parse('0 9 * * *', 'Asia/Tokyo') as CronSchedule;
    assert.equal(iso(s.nextAfter(at('2026-01-01T00:00:00Z'))), '2026-01-02T00:00:00.000Z', 'strictly after: 09:00 in Tokyo that day is now');
    assert.equal(s.format(at('2026-01-02T00:00:00Z')), '2026-01-02T09:00:00+09:00');
    assert.deepEqual(CronSchedule.parse('0 9 * * *', 'Nowhere/Town'), { problem: 'unknown time zone "Nowhere/Town": must be an IANA time zone name such as "Europe/Paris"' });
  });

  it('stamps times as RFC 3339 with the zone offset of that instant', () => {
    assert.equal(rfc3339InZone(at('2026-07-01T12:00:00Z'), 'America/New_York'), '2026-07-01T08:00:00-04:00');
    assert.equal(rfc3339InZone(at('2026-01-01T12:00:00Z'), 'America/New_York'), '2026-01-01T07:00:00-05:00');
    assert.equal(rfc3339InZone(at('2026-01-01T12:00:00Z'), 'UTC'), '2026-01-01T12:00:00Z');
    assert.equal(rfc3339InZone(at('2026-01-01T12:00:00Z'), undefined), '2026-01-01T12:00:00Z');
  });

  it('accepts only Kubernetes cron syntax', () => {
    assert.equal(cronScheduleProblem('0 0 * * 0-6'), undefined);
    assert.equal(cronScheduleProblem('0 0 15W * *'), 'day of month field "15W": unknown name "W"');
  });
});
