// Init containers and sidecars through PodManager on the fake engine: order, status, failure per
// restart policy, no re-run after an app restart or an agent restart, sidecars beside a Job's app.
import assert from 'node:assert/strict';
import type { Container, Pod } from '../../../common/api/types';
import { LABELS } from '../../../node-agent/executor/types';
import { IMAGE, PodHarness, assign } from './harness';

function pod(name: string, inits: Partial<Container>[], spec: Partial<Pod['spec']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: {
      initContainers: inits.map((c, i) => ({ name: `init${i + 1}`, image: IMAGE, ...c })),
      containers: [{ name: 'main', image: IMAGE }],
      terminationGracePeriodSeconds: 5,
      ...spec,
    },
  };
}

describe('PodManager: init containers and sidecars (fake engine)', () => {
  let h: PodHarness;
  beforeEach(() => (h = new PodHarness()));
  afterEach(() => h.close());

  /** Container names in the order the engine created them. */
  const createdOrder = (uid: string) =>
    [...h.executor.containers.values()]
      .filter((r) => r.info.labels[LABELS.podUid] === uid && r.info.labels[LABELS.container] !== '_sandbox')
      .map((r) => r.info.labels[LABELS.container]);

  it('runs init containers one at a time, in order, to completion, then the app container', async () => {
    h.executor.scripts.set('init1', { exitOnStart: 0 });
    h.executor.scripts.set('init2', { exitOnStart: 0 });
    const m = await h.newManager();
    m.sync(true, [assign(pod('ordered', [{}, {}]))], []);
    await h.advance(300);
    assert.deepEqual(createdOrder('uid-ordered'), ['init1', 'init2', 'main']);
    const r = h.latest('uid-ordered');
    assert.equal(r?.phase, 'Running');
    assert.equal(r?.initializing, false);
    assert.deepEqual(r?.init_containers?.map((c) => [c.name, c.state, c.reason, c.ready]), [['init1', 'terminated', 'Completed', true], ['init2', 'terminated', 'Completed', true]]);
    assert.ok(h.events.includes('Started: Started container init1'), h.events.join('\n'));
  });

  it('holds the app container while an init container runs, reporting PodInitializing', async () => {
    const m = await h.newManager();
    m.sync(true, [assign(pod('holding', [{}]))], []);
    await h.advance(300);
    assert.deepEqual(createdOrder('uid-holding'), ['init1']);
    const r = h.latest('uid-holding');
    assert.equal(r?.phase, 'Pending');
    assert.equal(r?.initializing, true);
    assert.equal(r?.init_containers?.[0]?.state, 'running');
    assert.equal(r?.init_containers?.[0]?.ready, false);
    assert.deepEqual([r?.containers?.[0]?.state, r?.containers?.[0]?.reason], ['waiting', 'PodInitializing']);
    h.executor.exit(h.executor.idsFor('uid-holding', 'init1')[0]!, 0);
    await h.advance(300);
    assert.deepEqual(createdOrder('uid-holding'), ['init1', 'main']);
  });

  it('restarts a failing init container with back-off under OnFailure and never starts the app', async () => {
    h.executor.scripts.set('init1', { exitOnStart: 3 });
    const m = await h.newManager();
    m.sync(true, [assign(pod('crashing', [{}], { restartPolicy: 'OnFailure' }))], []);
    await h.advance(300);
    let r = h.latest('uid-crashing');
    assert.equal(r?.init_containers?.[0]?.reason, 'CrashLoopBackOff');
    assert.equal(r?.phase, 'Pending');
    await h.advance(1500);
    r = h.latest('uid-crashing');
    assert.ok((r?.init_containers?.[0]?.restart_count ?? 0) >= 1);
    assert.equal(h.executor.idsFor('uid-crashing', 'main').length, 0);
  });

  it('fails the pod when an init container fails under restartPolicy Never', async () => {
    h.executor.scripts.set('init1', { exitOnStart: 2 });
    const m = await h.newManager();
    m.sync(true, [assign(pod('failing', [{}, {}], { restartPolicy: 'Never' }))], []);
    await h.advance(500);
    const r = h.latest('uid-failing');
    assert.equal(r?.phase, 'Failed');
    assert.deepEqual([r?.init_containers?.[0]?.state, r?.init_containers?.[0]?.exit_code], ['terminated', 2]);
    assert.deepEqual(createdOrder('uid-failing'), ['init1']);
  });

  it('does not run completed init containers again when the app container restarts', async () => {
    h.executor.scripts.set('init1', { exitOnStart: 0 });
    const m = await h.newManager();
    m.sync(true, [assign(pod('rerun', [{}]))], []);
    await h.advance(300);
    h.executor.exit(h.executor.idsFor('uid-rerun', 'main')[0]!, 1);
    await h.advance(2000);
    assert.equal(h.executor.idsFor('uid-rerun', 'main').length, 2);
    assert.equal(h.executor.idsFor('uid-rerun', 'init1').length, 1);
  });

  it('after an agent restart, does not run init containers again for a pod whose app container exists', async () => {
    h.executor.scripts.set('init1', { exitOnStart: 0 });
    const m1 = await h.newManager();
    m1.sync(true, [assign(pod('adopted', [{}]))], []);
    await h.advance(300);
    await m1.stop();
    // Even with the completed init instance gone, the app container says the pod was initialized.
    await h.executor.remove(h.executor.idsFor('uid-adopted', 'init1')[0]!);
    const m2 = await h.newManager();
    m2.sync(true, [assign(pod('adopted', [{}]))], []);
    await h.advance(300);
    assert.equal(h.executor.idsFor('uid-adopted', 'init1').length, 0);
    assert.equal(h.executor.idsFor('uid-adopted', 'main').length, 1);
    assert.equal(m2.podStatus('uid-adopted')?.initializing, false);
    assert.equal(m2.podStatus('uid-adopted')?.phase, 'Running');
  });

  it('after an agent restart mid-initialization, a completed init container is not run again', async () => {
    h.executor.scripts.set('init1', { exitOnStart: 0 });
    const m1 = await h.newManager();
    m1.sync(true, [assign(pod('midway', [{}, {}]))], []);
    await h.advance(300);
    assert.deepEqual(createdOrder('uid-midway'), ['init1', 'init2']);
    await m1.stop();
    const m2 = await h.newManager();
    m2.sync(true, [assign(pod('midway', [{}, {}]))], []);
    await h.advance(300);
    assert.equal(h.executor.idsFor('uid-midway', 'init1').length, 1);
    h.executor.exit(h.executor.idsFor('uid-midway', 'init2')[0]!, 0);
    await h.advance(300);
    assert.deepEqual(createdOrder('uid-midway'), ['init1', 'init2', 'main']);
  });

  it('keeps a sidecar running beside the app, counts it for readiness, and stops it when a Job pod completes', async () => {
    h.executor.scripts.set('init2', { exitOnStart: 0 });
    const m = await h.newManager();
    m.sync(true, [assign(pod('job', [{ name: 'proxy', restartPolicy: 'Always' }, {}], { restartPolicy: 'Never' }))], []);
    await h.advance(300);
    assert.deepEqual(createdOrder('uid-job'), ['proxy', 'init2', 'main']);
    let r = h.latest('uid-job');
    assert.equal(r?.phase, 'Running');
    assert.equal(r?.ready, true);
    assert.deepEqual([r?.init_containers?.[0]?.state, r?.init_containers?.[0]?.ready], ['running', true]);
    h.executor.exit(h.executor.idsFor('uid-job', 'main')[0]!, 0);
    await h.advance(300);
    r = h.latest('uid-job');
    assert.equal(r?.phase, 'Succeeded');
    assert.equal(r?.init_containers?.[0]?.state, 'terminated');
    assert.equal(h.executor.idsFor('uid-job', 'proxy').length, 1, 'the sidecar was not restarted');
  });

  it('restarts a sidecar that exits while the pod runs', async () => {
    const m = await h.newManager();
    m.sync(true, [assign(pod('side', [{ name: 'proxy', restartPolicy: 'Always' }]))], []);
    await h.advance(300);
    h.executor.exit(h.executor.idsFor('uid-side', 'proxy')[0]!, 0);
    await h.advance(1500);
    assert.equal(h.executor.idsFor('uid-side', 'proxy').length, 2);
    assert.equal(h.latest('uid-side')?.init_containers?.[0]?.restart_count, 1);
  });

  it('on deletion stops the app container before the sidecars, the last sidecar first', async () => {
    const m = await h.newManager();
    const p = pod('deleted', [{ name: 'a', restartPolicy: 'Always' }, { name: 'b', restartPolicy: 'Always' }]);
    m.sync(true, [assign(p)], []);
    await h.advance(300);
    h.events.length = 0;
    m.sync(false, [assign({ ...p, metadata: { ...p.metadata, deletionTimestamp: new Date(h.clock.now()).toISOString(), deletionGracePeriodSeconds: 5 } })], []);
    // Removing the pod's files is real I/O: let fake time pass until the pod reports terminated.
    await h.advanceUntil(() => h.latest('uid-deleted')?.terminated === true, 5000);
    assert.deepEqual(h.events.filter((e) => e.startsWith('Killing')), ['Killing: Stopping container main', 'Killing: Stopping container b', 'Killing: Stopping container a']);
  });
});
