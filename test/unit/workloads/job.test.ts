import assert from 'node:assert/strict';
import type { Job, Pod } from '../../../common/api/types';
import { TestCluster, isLive } from './harness';
import { jobRetryDelayMs } from '../../../controller/workloads/job';

function job(name: string, spec: Partial<Job['spec']> = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { 'job-name': name } },
      template: { metadata: { labels: { 'job-name': name, team: 'a' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
      ...spec,
    },
  };
}

describe('Job controller', () => {
  let c: TestCluster;
  beforeEach(async () => {
    c = new TestCluster();
    await c.start();
  });
  afterEach(() => c.stop());

  const active = async () => (await c.pods()).filter(isLive);
  const get = () => c.get<Job>('Job', 'work');
  const condition = (j: Job, type: string) => j.status?.conditions?.find((x) => x.type === type);

  it('runs at most parallelism pods until completions succeed, then completes', async () => {
    const created = await c.create(job('work', { completions: 3, parallelism: 2 }));
    let pods = await active();
    assert.equal(pods.length, 2);
    for (const p of pods) {
      assert.match(p.metadata.name, /^work-[a-z0-9]{5}$/);
      assert.equal(p.metadata.labels?.['job-name'], 'work');
      assert.equal(p.metadata.labels?.team, 'a');
      assert.deepEqual(p.metadata.ownerReferences?.map((r) => [r.kind, r.uid, r.controller]), [['Job', created.metadata.uid, true]]);
    }
    assert.equal((await get()).status?.active, 2);
    assert.ok((await get()).status?.startTime);

    await c.finishPods(pods, 'Succeeded');
    pods = await active();
    assert.equal(pods.length, 1, 'only one completion is left');
    assert.equal((await get()).status?.succeeded, 2);

    await c.finishPods(pods, 'Succeeded');
    const j = await get();
    assert.equal(condition(j, 'Complete')?.status, 'True');
    assert.equal(j.status?.succeeded, 3);
    assert.equal(j.status?.active, 0);
    assert.ok(j.status?.completionTime);
    assert.equal((await active()).length, 0);
  });

  it('completes at once with completions 0, creating no pods', async () => {
    await c.create(job('work', { completions: 0 }));
    assert.equal((await c.pods()).length, 0);
    assert.equal(condition(await get(), 'Complete')?.status, 'True');
  });

  it('retries failed pods up to backoffLimit, then fails with BackoffLimitExceeded and deletes active pods', async () => {
    await c.create(job('work', { completions: 5, parallelism: 2, backoffLimit: 1 }));
    const [first, second] = await active();
    await c.finishPods([first!], 'Failed');
    let j = await get();
    assert.equal(j.status?.failed, 1);
    assert.equal(condition(j, 'Failed'), undefined, 'one failure is within the limit');
    assert.equal((await active()).length, 1, 'not replaced at once: the retry waits out its back-off');
    await c.advance(9_000);
    assert.equal((await active()).length, 1);
    await c.advance(1_000);
    assert.equal((await active()).length, 2, 'the failed pod is replaced after 10 s');

    await c.finishPods([second!], 'Failed');
    j = await get();
    assert.equal(j.status?.failed, 2);
    assert.equal(condition(j, 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal((await active()).length, 0, 'active pods are deleted');
    assert.equal(j.status?.active, 0);
    assert.ok(c.recorded.some((e) => e.reason === 'BackoffLimitExceeded'));
  });

  it('backs off 10 s, 20 s, 40 s ... up to 6 minutes between retries, as Kubernetes', () => {
    assert.deepEqual([0, 1, 2, 3, 10].map(jobRetryDelayMs), [0, 10_000, 20_000, 40_000, 360_000]);
  });

  it('deletes a finished Job ttlSecondsAfterFinished after it finished', async () => {
    await c.create(job('work', { completions: 1, ttlSecondsAfterFinished: 30 }));
    await c.finishPods(await active(), 'Succeeded');
    assert.equal(condition(await get(), 'Complete')?.status, 'True');
    await c.advance(29_000);
    assert.ok(await c.store.get('Job', 'default', 'work'), 'kept until the TTL runs out');
    await c.advance(1_000);
    assert.equal(await c.store.get('Job', 'default', 'work'), undefined);
  });

  it('fails with DeadlineExceeded after activeDeadlineSeconds', async () => {
    await c.create(job('work', { activeDeadlineSeconds: 60 }));
    assert.equal((await active()).length, 1);
    await c.advance(59_000);
    assert.equal(condition(await get(), 'Failed'), undefined);
    await c.advance(1_000);
    const j = await get();
    assert.equal(condition(j, 'Failed')?.reason, 'DeadlineExceeded');
    assert.equal((await active()).length, 0);
  });

  it('keeps its counts when finished pods are deleted', async () => {
    await c.create(job('work', { completions: 2, parallelism: 1 }));
    const [p] = await active();
    await c.finishPods([p!], 'Succeeded');
    await c.store.delete('Pod', 'default', p!.metadata.name);
    await c.settle();
    assert.equal((await get()).status?.succeeded, 1);
    assert.equal((await active()).length, 1, 'one more completion, not two');
  });

  it('does nothing more once complete, even after a restart', async () => {
    await c.create(job('work'));
    await c.finishPods(await active(), 'Succeeded');
    await c.restartControllers();
    const pods: Pod[] = await c.pods();
    assert.equal(pods.length, 1);
    assert.equal(pods[0]!.status?.phase, 'Succeeded');
  });
});
