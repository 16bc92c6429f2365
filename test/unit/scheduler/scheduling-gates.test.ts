// The scheduling loop and pods with scheduling gates: not placed, not reported unschedulable,
// marked SchedulingGated, placed once the last gate goes.
import assert from 'node:assert/strict';
import type { KObject, Pod } from '../../../common/api/types';
import { FakeClock } from '../../../common/clock';
import { silentLogger } from '../../../common/log';
import type { EventRecorderLike } from '../../../controller/events';
import { SharedInformers } from '../../../controller/informers';
import { ControllerMetrics } from '../../../controller/metrics';
import { SchedulerLoop } from '../../../controller/scheduler/loop';
import { MemoryStore } from '../../../controller/store/memory-store';
import { summarizePod } from '../../../common/print/pod-status';
import { node, pod } from './fixtures';

describe('scheduling loop and scheduling gates', () => {
  let clock: FakeClock;
  let store: MemoryStore;
  let informers: SharedInformers;
  let loop: SchedulerLoop;
  let reasons: string[];

  beforeEach(() => {
    clock = new FakeClock();
    store = new MemoryStore({ clock });
    informers = new SharedInformers(store, silentLogger);
    reasons = [];
    const events: EventRecorderLike = { record: (obj: KObject, _type, reason) => reasons.push(`${obj.metadata.name}:${reason}`) };
    loop = new SchedulerLoop(store, informers, events, new ControllerMetrics({ defaultMetrics: false }), silentLogger, clock);
    informers.start();
  });
  afterEach(() => {
    loop.stop();
    informers.stop();
  });

  async function settle(): Promise<void> {
    let quiet = 0;
    for (let i = 0; i < 500 && quiet < 5; i++) {
      const before = `${await store.revision()}:${reasons.length}`;
      await new Promise((r) => setTimeout(r, 1));
      quiet = `${await store.revision()}:${reasons.length}` === before ? quiet + 1 : 0;
    }
  }
  const get = async (name: string) => (await store.get<Pod>('Pod', 'default', name))!;
  const gated = (name: string, gates = ['example.com/a', 'example.com/b']) => pod(name, { spec: { schedulingGates: gates.map((g) => ({ name: g })) } });
  const removeGate = async (name: string, gate: string) => {
    const p = await get(name);
    await store.update<Pod>({ ...p, spec: { ...p.spec, schedulingGates: p.spec.schedulingGates!.filter((g) => g.name !== gate) } });
    await settle();
  };

  it('leaves a gated pod unbound and SchedulingGated (no FailedScheduling), and places it once its last gate goes', async () => {
    loop.start();
    await store.create(node('n'));
    await store.create(gated('p'));
    await store.create(pod('free'));
    await settle();
    assert.equal((await get('free')).spec.nodeName, 'n', 'the ungated pod is placed');
    let p = await get('p');
    assert.equal(p.spec.nodeName, undefined);
    const cond = p.status?.conditions?.find((c) => c.type === 'PodScheduled');
    assert.deepEqual([cond?.status, cond?.reason], ['False', 'SchedulingGated']);
    assert.equal(summarizePod(p, clock.now()).status, 'SchedulingGated');
    assert.deepEqual(reasons.filter((r) => r.startsWith('p:')), []);

    await removeGate('p', 'example.com/a');
    assert.equal((await get('p')).spec.nodeName, undefined, 'one gate is left');
    await removeGate('p', 'example.com/b');
    p = await get('p');
    assert.equal(p.spec.nodeName, 'n');
    assert.deepEqual(reasons.filter((r) => r.startsWith('p:')), ['p:Scheduled']);
    assert.notEqual(summarizePod(p, clock.now()).status, 'SchedulingGated', 'a bound pod is no longer shown gated');
  });

  it('is not counted as unschedulable when nothing would fit it anyway', async () => {
    loop.start();
    await store.create(gated('p'));
    await settle();
    clock.advance(30_000);
    await settle();
    assert.deepEqual(reasons, []);
    await removeGate('p', 'example.com/a');
    await removeGate('p', 'example.com/b');
    assert.deepEqual(reasons, ['p:FailedScheduling'], 'ungated, it is tried (and fits nowhere)');
    assert.equal((await get('p')).status?.conditions?.find((c) => c.type === 'PodScheduled')?.reason, 'Unschedulable');
  });

  it('holds pods that were gated before the loop started (a new leader)', async () => {
    await store.create(node('n'));
    await store.create(gated('p', ['example.com/a']));
    await settle();
    loop.start();
    await settle();
    assert.equal((await get('p')).spec.nodeName, undefined);
    assert.equal((await get('p')).status?.conditions?.find((c) => c.type === 'PodScheduled')?.reason, 'SchedulingGated');
    await removeGate('p', 'example.com/a');
    assert.equal((await get('p')).spec.nodeName, 'n');
  });
});
