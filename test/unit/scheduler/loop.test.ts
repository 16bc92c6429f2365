// The scheduling loop over the in-memory store: what wakes a parked (unschedulable) pod.
import assert from 'node:assert/strict';
import type { Node, Pod } from '../../../common/api/types';
import { LoopHarness } from './loop-harness';
import { node, pod } from './fixtures';

describe('scheduling loop re-queueing', () => {
  let h: LoopHarness;
  let clock: LoopHarness['clock'];
  let store: LoopHarness['store'];
  let loop: LoopHarness['loop'];

  beforeEach(() => {
    h = new LoopHarness();
    ({ clock, store, loop } = h);
    loop.start();
  });
  afterEach(() => h.stop());

  const settle = () => h.settle();
  const attempts = (name: string) => h.attempts(name);

  const nodeOf = async (name: string) => (await store.get<Pod>('Pod', 'default', name))?.spec.nodeName;
  async function changeNode(name: string, fn: (n: Node) => void): Promise<void> {
    const n = (await store.get<Node>('Node', '', name))!;
    fn(n);
    await store.update(n);
    await settle();
  }

  it('re-queues a pod parked by a taint on a taint change, not on an unrelated label change', async () => {
    await store.create(node('n', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }));
    await store.create(pod('p'));
    await settle();
    assert.equal(attempts('p'), 1);

    await changeNode('n', (n) => (n.metadata.labels = { ...n.metadata.labels, zone: 'b' }));
    assert.equal(attempts('p'), 1, 'a label change cannot undo a taint rejection');

    await changeNode('n', (n) => (n.spec.taints = [{ key: 'gpu', value: 'false', effect: 'NoSchedule' }]));
    assert.equal(attempts('p'), 2, 'tried again after the taint changed (still untolerated)');

    await changeNode('n', (n) => (n.spec.taints = []));
    assert.equal(await nodeOf('p'), 'n');
  });

  it('re-queues a pod short of memory when a bound pod finishes, not when a node is relabelled', async () => {
    await store.create(node('n', { memory: '2Gi' }));
    await store.create(pod('big', { memory: '1500Mi', nodeName: 'n' }));
    await store.create(pod('p', { memory: '1Gi' }));
    await settle();
    assert.equal(attempts('p'), 1);
    await changeNode('n', (n) => (n.metadata.labels = { ...n.metadata.labels, zone: 'b' }));
    assert.equal(attempts('p'), 1);

    const big = (await store.get<Pod>('Pod', 'default', 'big'))!;
    await store.updateStatus<Pod>({ ...big, status: { phase: 'Succeeded' } });
    await settle();
    assert.equal(await nodeOf('p'), 'n');
  });

  it('retries every parked pod periodically, in case a change was missed', async () => {
    await store.create(node('n', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }));
    await store.create(pod('p'));
    await settle();
    assert.equal(attempts('p'), 1);
    clock.advance(30_000);
    await settle();
    assert.equal(attempts('p'), 2);
  });
});
