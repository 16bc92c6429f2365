// A pod sandbox that the engine will not start again (say its engine stopped while starting it and
// left state behind) is replaced by a new one, and the pod's containers restart into the new network.
import assert from 'node:assert/strict';
import { ContainerRuntimeError } from '../../../node-agent/executor/types';
import type { PodManager } from '../../../node-agent/pods/manager';
import type { FakeExecutor } from '../../../node-agent/executor/fake';
import { PodHarness, assign, testPod } from './harness';

describe('a pod sandbox that cannot start again', () => {
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

  it('gets a new sandbox, and the containers run again in its network', async () => {
    const [old] = executor.idsFor('uid-duo', '_sandbox');
    assert.ok(old);
    assert.equal(latest()?.ready, true);
    // The engine stopped everything, and refuses to start this one sandbox again.
    const start = executor.start.bind(executor);
    executor.start = async (id: string) => {
      if (id === old) throw new ContainerRuntimeError('RunContainerError', 'failed to start shim: mkdir /run/x: file exists: unknown');
      return start(id);
    };
    for (const id of [...executor.idsFor('uid-duo', 'a'), ...executor.idsFor('uid-duo', 'b'), old]) executor.exit(id, 255);
    await advance(3000);

    const sandboxes = executor.idsFor('uid-duo', '_sandbox');
    assert.equal(sandboxes.length, 1, 'one sandbox: the old one was removed');
    const fresh = sandboxes[0]!;
    assert.notEqual(fresh, old);
    assert.equal(executor.containers.get(fresh)?.info.state, 'running');
    for (const name of ['a', 'b']) {
      const running = executor.idsFor('uid-duo', name).filter((id) => executor.containers.get(id)?.info.state === 'running');
      assert.equal(running.length, 1, `${name} runs once`);
      assert.deepEqual(executor.containers.get(running[0]!)?.resolved?.network, { mode: 'sandbox', sandboxId: fresh }, `${name} joined the new sandbox`);
    }
    const r = latest()!;
    assert.equal(r.reason, '');
    assert.equal(r.ready, true);
    assert.deepEqual(r.containers?.map((c) => c.restart_count), [1, 1]);
  });
});
