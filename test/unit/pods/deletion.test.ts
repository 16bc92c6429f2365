// Graceful deletion, agent side: a pod whose assignment carries a deletionTimestamp is stopped
// (with the deletion's grace), its containers and sandbox removed, and it is reported terminated
// so the controller may remove the object. Nothing restarts in the meantime.
import assert from 'node:assert/strict';
import type { Pod } from '../../../common/api/types';
import type { FakeExecutor } from '../../../node-agent/executor/fake';
import { PodHarness, assign, testPod } from './harness';

/** The pod as the controller sends it once deleted: same object, deletion metadata set. */
function deleted(p: Pod, graceSeconds?: number): Pod {
  return { ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:00:01Z', deletionGracePeriodSeconds: graceSeconds } };
}

describe('graceful pod deletion (agent side)', () => {
  let h: PodHarness;
  let executor: FakeExecutor;

  const latest = (uid: string) => h.latest(uid);
  const advance = (ms: number, step = 50) => h.advance(ms, step);
  /** Lets fake time pass until the pod is reported terminated (its files are removed with real I/O). */
  const untilTerminated = (uid: string, maxMs = 1000) => h.advanceUntil(() => latest(uid)?.terminated === true, maxMs, 10);

  beforeEach(() => {
    h = new PodHarness();
    executor = h.executor;
  });

  afterEach(() => h.close());

  it('pods not being deleted are not reported terminated', async () => {
    const m = await h.newManager();
    m.sync(true, [assign(testPod('web'))], []);
    await advance(100);
    assert.equal(latest('uid-web')?.phase, 'Running');
    assert.equal(latest('uid-web')?.terminated, false);
  });

  it('stops every container with the deletion grace, removes them and the sandbox, then reports terminated', async () => {
    const m = await h.newManager();
    const p = { ...testPod('duo', ['a', 'b']), spec: { ...testPod('duo', ['a', 'b']).spec, terminationGracePeriodSeconds: 30 } };
    m.sync(true, [assign(p)], []);
    await advance(100);
    const ids = [...executor.idsFor('uid-duo', 'a'), ...executor.idsFor('uid-duo', 'b')];
    const records = ids.map((id) => executor.containers.get(id)!);
    assert.equal(executor.idsFor('uid-duo', '_sandbox').length, 1);

    m.sync(true, [assign(deleted(p, 4))], []);
    await untilTerminated('uid-duo');
    assert.deepEqual(records.map((r) => r.stopCalls), [[4], [4]], 'each container stopped once, with the deletion grace');
    assert.deepEqual([...executor.containers.keys()], [], 'containers and sandbox removed');
    const r = latest('uid-duo')!;
    assert.equal(r.terminated, true);
    assert.deepEqual(r.containers?.map((c) => c.state), ['terminated', 'terminated']);
    assert.deepEqual(r.containers?.map((c) => c.exit_code), [143, 143]);
    assert.equal(r.ready, false);
    assert.equal(r.phase, 'Failed', 'killed containers: a terminal phase, as the kubelet reports it');
    assert.ok(h.events.includes('Killing: Stopping container a') && h.events.includes('Killing: Stopping container b'), h.events.join(' | '));
    // Still assigned (the controller has not removed the object yet): kept, nothing restarted.
    await advance(20_000, 500);
    assert.deepEqual([...executor.containers.keys()], []);
    assert.deepEqual(m.podUids(), ['uid-duo']);
    assert.equal(m.podStatus('uid-duo')?.terminated, true);
  });

  it('without a deletion grace uses the pod grace, then the default', async () => {
    const m = await h.newManager();
    const withGrace = { ...testPod('graced'), spec: { ...testPod('graced').spec, terminationGracePeriodSeconds: 9 } };
    const plain = testPod('plain');
    m.sync(true, [assign(withGrace), assign(plain)], []);
    await advance(100);
    const gracedRec = executor.containers.get(executor.idsFor('uid-graced', 'main')[0]!)!;
    const plainRec = executor.containers.get(executor.idsFor('uid-plain', 'main')[0]!)!;
    m.sync(true, [assign(deleted(withGrace)), assign(deleted(plain))], []);
    await untilTerminated('uid-graced');
    await untilTerminated('uid-plain');
    assert.deepEqual(gracedRec.stopCalls, [9]);
    assert.deepEqual(plainRec.stopCalls, [30]);
    assert.equal(latest('uid-graced')?.terminated, true);
    assert.equal(latest('uid-plain')?.terminated, true);
  });

  it('a crash-looping pod is not restarted once deleted', async () => {
    executor.scripts.set('main', { exitOnStart: 1 });
    const m = await h.newManager();
    const p = testPod('crash');
    m.sync(true, [assign(p)], []);
    await advance(100);
    assert.equal(latest('uid-crash')?.containers?.[0]?.reason, 'CrashLoopBackOff');
    const restarts = latest('uid-crash')?.containers?.[0]?.restart_count;
    m.sync(true, [assign(deleted(p, 1))], []);
    await untilTerminated('uid-crash');
    await advance(10_000, 100);
    const r = latest('uid-crash')!;
    assert.equal(r.terminated, true);
    assert.equal(r.containers?.[0]?.state, 'terminated');
    assert.equal(r.containers?.[0]?.exit_code, 1);
    assert.equal(r.containers?.[0]?.restart_count, restarts, 'no restart after the deletion');
    assert.deepEqual([...executor.containers.keys()], []);
  });

  it('a pod deleted while its image cannot be pulled is terminated without pulling again', async () => {
    executor.pullFailures.set('nope/img:1', 'manifest unknown');
    const m = await h.newManager();
    const p = testPod('pull');
    p.spec.containers[0] = { name: 'main', image: 'nope/img:1' };
    m.sync(true, [assign(p)], []);
    await advance(100);
    const pulls = executor.pulls.length;
    m.sync(true, [assign(deleted(p))], []);
    await untilTerminated('uid-pull');
    await advance(20_000, 500);
    assert.equal(executor.pulls.length, pulls);
    const r = latest('uid-pull')!;
    assert.equal(r.terminated, true);
    assert.equal(r.containers?.[0]?.state, 'terminated');
    assert.equal(r.containers?.[0]?.reason, 'ContainerStatusUnknown');
  });

  it('after an agent restart, a deleting pod whose containers are gone is reported terminated at once', async () => {
    const m1 = await h.newManager();
    const p = testPod('late');
    m1.sync(true, [assign(p)], []);
    await advance(100);
    await m1.stop();
    for (const id of [...executor.containers.keys()]) await executor.remove(id);

    const m2 = await h.newManager();
    executor.calls = [];
    m2.sync(true, [assign(deleted(p))], []);
    await h.advanceUntil(() => latest('uid-late')?.terminated === true, 100, 1); // no poll (5 s) needed
    assert.deepEqual(executor.calls, [], 'nothing created or started');
  });

  it('after an agent restart, a deleting pod whose containers still run is stopped, then reported terminated', async () => {
    const m1 = await h.newManager();
    const p = testPod('survivor');
    m1.sync(true, [assign(p)], []);
    await advance(100);
    const rec = executor.containers.get(executor.idsFor('uid-survivor', 'main')[0]!)!;
    await m1.stop();

    const m2 = await h.newManager();
    m2.sync(true, [assign(deleted(p, 2))], []);
    await untilTerminated('uid-survivor');
    assert.deepEqual(rec.stopCalls, [2]);
    assert.equal(latest('uid-survivor')?.terminated, true);
    assert.deepEqual([...executor.containers.keys()], []);
  });

  it('a terminated pod removed from the assignment is forgotten', async () => {
    const m = await h.newManager();
    const p = testPod('bye');
    m.sync(true, [assign(p)], []);
    await advance(100);
    m.sync(true, [assign(deleted(p))], []);
    await untilTerminated('uid-bye');
    m.sync(true, [], []);
    await m.waitRemoved('uid-bye');
    await advance(100);
    assert.deepEqual(m.podUids(), []);
  });
});
