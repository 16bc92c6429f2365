// What a pod's status says while its node's container runtime does not answer: the agent cannot
// see its containers, so it must not report them running or ready from memory.
import assert from 'node:assert/strict';
import type { PodManager } from '../../../node-agent/pods/manager';
import type { FakeExecutor } from '../../../node-agent/executor/fake';
import { PodHarness, assign, testPod } from './harness';

describe('pod status during a container runtime outage', () => {
  let h: PodHarness;
  let executor: FakeExecutor;
  let manager: PodManager;

  const latest = () => h.latest('uid-duo');
  const advance = (ms: number, step = 100) => h.advance(ms, step);

  beforeEach(async () => {
    h = new PodHarness();
    executor = h.executor;
    manager = await h.newManager();
    manager.sync(true, [assign(testPod('duo', ['a', 'b']))], []);
    await advance(200);
  });

  afterEach(() => h.close());

  it('reports no container running or ready while the runtime is down, each waiting with the reason', async () => {
    assert.equal(latest()?.ready, true, 'ready before the outage');
    executor.down = true;
    await advance(5100);
    const r = latest()!;
    assert.equal(r.reason, 'ContainerRuntimeUnavailable');
    assert.equal(r.ready, false);
    for (const c of r.containers ?? []) {
      assert.equal(c.state, 'waiting', `${c.name} is not claimed running`);
      assert.equal(c.reason, 'ContainerRuntimeUnavailable');
      assert.equal(c.ready, false);
    }
  });

  it('reports the containers running and ready again once the runtime answers', async () => {
    executor.down = true;
    await advance(5100);
    executor.down = false;
    await advance(5100);
    const r = latest()!;
    assert.equal(r.reason, '');
    assert.equal(r.ready, true);
    assert.deepEqual(r.containers?.map((c) => c.state), ['running', 'running']);
  });
});
