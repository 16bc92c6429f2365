// A pod sandbox that the engine will not start again (say its engine stopped while starting it and
// left state behind) is replaced by a new one, and the pod's containers restart into the new network.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../../../common/api/types';
import { FakeClock } from '../../../common/clock';
import { silentLogger } from '../../../common/log';
import type { PodStatusReport } from '../../../common/generated/kite/v1/PodStatusReport';
import { ContainerRuntimeError } from '../../../node-agent/executor/types';
import { FakeExecutor } from '../../../node-agent/executor/fake';
import { PodManager } from '../../../node-agent/pods/manager';

const IMAGE = 'example/app:1';

const settle = async (rounds = 30) => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
};

describe('a pod sandbox that cannot start again', () => {
  let clock: FakeClock;
  let executor: FakeExecutor;
  let reports: PodStatusReport[];
  let dataDir: string;
  let manager: PodManager;

  const latest = () => reports.filter((r) => r.uid === 'uid-duo').at(-1);
  async function advance(ms: number, step = 100): Promise<void> {
    for (let t = 0; t < ms; t += step) {
      clock.advance(Math.min(step, ms - t));
      await settle(5);
    }
    await settle();
  }

  beforeEach(async () => {
    clock = new FakeClock();
    executor = new FakeExecutor('fake-node', clock);
    executor.images.add(IMAGE);
    reports = [];
    dataDir = mkdtempSync(join(tmpdir(), 'kite-sandbox-unit-'));
    manager = new PodManager({
      executor,
      nodeName: 'fake-node',
      dataDir,
      clock,
      log: silentLogger,
      onStatus: (r) => reports.push(...r),
      backoff: { baseMs: 1000, maxMs: 4000, resetAfterMs: 60_000 },
      pollIntervalMs: 5000,
    });
    await manager.recover();
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'duo', namespace: 'default', uid: 'uid-duo' },
      spec: { containers: [{ name: 'a', image: IMAGE }, { name: 'b', image: IMAGE }] },
    };
    manager.sync(true, [{ pod, configMaps: [], secrets: [] }], []);
    await advance(200);
  });

  afterEach(async () => {
    await manager.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

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
