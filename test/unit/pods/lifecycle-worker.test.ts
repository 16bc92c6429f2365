// postStart and preStop hooks as the pod worker runs them (fake engine, fake clock).
import assert from 'node:assert/strict';
import type { Pod } from '../../../common/api/types';
import { PodHarness, assign, testPod } from './harness';

function withHooks(name: string, lifecycle: NonNullable<Pod['spec']['containers'][0]['lifecycle']>, grace = 30): Pod {
  const p = testPod(name);
  p.spec.terminationGracePeriodSeconds = grace;
  p.spec.containers[0]!.lifecycle = lifecycle;
  return p;
}

const deleted = (p: Pod, grace: number): Pod => ({ ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:00:01Z', deletionGracePeriodSeconds: grace } });

describe('lifecycle hooks in the pod worker', () => {
  let h: PodHarness;
  beforeEach(() => {
    h = new PodHarness();
  });
  afterEach(() => h.close());

  it('runs preStop before stopping on deletion, once, and gives the stop what is left of the grace', async () => {
    const execs: string[][] = [];
    h.executor.execHandler = (_id, cmd) => {
      execs.push(cmd);
      return { exitCode: 0 };
    };
    const p = withHooks('drain', { preStop: { sleep: { seconds: 5 } } });
    const m = await h.newManager();
    m.sync(true, [assign(p)], []);
    await h.advance(100);
    const [id] = h.executor.idsFor('uid-drain', 'main');
    const record = h.executor.containers.get(id!)!; // kept: the engine forgets it once removed
    const t0 = h.clock.now();
    m.sync(true, [assign(deleted(p, 30))], []);
    await h.advanceUntil(() => h.latest('uid-drain')?.terminated === true, 10_000);
    assert.deepEqual(record.stopCalls, [25], 'stopped once, with the 30 s grace less the 5 s hook');
    assert.ok(h.clock.now() - t0 >= 5000, 'the stop waited for the 5 s sleep');
  });

  it('reports a failed preStop hook and still stops the container', async () => {
    h.executor.execHandler = () => ({ exitCode: 3 });
    const p = withHooks('bad-drain', { preStop: { exec: { command: ['drain'] } } }, 10);
    const m = await h.newManager();
    m.sync(true, [assign(p)], []);
    await h.advance(100);
    m.sync(true, [assign(deleted(p, 10))], []);
    await h.advanceUntil(() => h.latest('uid-bad-drain')?.terminated === true, 5000);
    assert.ok(h.events.some((e) => /^FailedPreStopHook: PreStopHook failed: command "drain" exited with 3/.test(e)), h.events.join(' | '));
  });

  it('runs postStart after the start; a failing one kills the container, which restarts', async () => {
    let calls = 0;
    h.executor.execHandler = (_id, cmd) => {
      if (cmd[0] === 'warm-up') calls++;
      return { exitCode: calls === 1 ? 1 : 0 };
    };
    const p = withHooks('warm', { postStart: { exec: { command: ['warm-up'] } } });
    const m = await h.newManager();
    m.sync(true, [assign(p)], []);
    await h.advanceUntil(() => calls >= 2 && h.latest('uid-warm')?.containers?.[0]?.state === 'running', 10_000);
    assert.ok(h.events.some((e) => e.startsWith('FailedPostStartHook: PostStartHook failed')), h.events.join(' | '));
    assert.equal(h.executor.idsFor('uid-warm', 'main').length >= 1, true);
    assert.ok((h.latest('uid-warm')?.containers?.[0]?.restart_count ?? 0) >= 1, 'the killed container was restarted');
  });
});
