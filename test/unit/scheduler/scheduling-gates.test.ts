// The scheduling loop and pods with scheduling gates: not placed, not reported unschedulable,
// marked SchedulingGated, placed once the last gate goes.
import assert from 'node:assert/strict';
import type { Pod } from '../../../common/api/types';
import { summarizePod } from '../../../common/print/pod-status';
import { LoopHarness } from './loop-harness';
import { node, pod } from './fixtures';

describe('scheduling loop and scheduling gates', () => {
  let h: LoopHarness;
  let clock: LoopHarness['clock'];
  let store: LoopHarness['store'];
  let loop: LoopHarness['loop'];
  let reasons: string[];

  beforeEach(() => {
    h = new LoopHarness();
    ({ clock, store, loop } = h);
    reasons = h.events;
  });
  afterEach(() => h.stop());

  const settle = () => h.settle();
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
