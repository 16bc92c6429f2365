// What a pod's status says while its node's container runtime does not answer: the agent cannot
// see its containers, so it must not report them running or ready from memory.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../../../common/api/types';
import { FakeClock } from '../../../common/clock';
import { silentLogger } from '../../../common/log';
import type { PodStatusReport } from '../../../common/generated/kite/v1/PodStatusReport';
import { FakeExecutor } from '../../../node-agent/executor/fake';
import { PodManager } from '../../../node-agent/pods/manager';

const IMAGE = 'example/app:1';

const settle = async (rounds = 30) => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
};

describe('pod status during a container runtime outage', () => {
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
    dataDir = mkdtempSync(join(tmpdir(), 'kite-outage-unit-'));
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
