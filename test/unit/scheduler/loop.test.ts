// The scheduling loop over the in-memory store: what wakes a parked (unschedulable) pod.
import assert from 'node:assert/strict';
import type { KObject, Node, Pod } from '../../../common/api/types';
import { FakeClock } from '../../../common/clock';
import { silentLogger } from '../../../common/log';
import type { EventRecorderLike } from '../../../controller/events';
import { SharedInformers } from '../../../controller/informers';
import { ControllerMetrics } from '../../../controller/metrics';
import { SchedulerLoop } from '../../../controller/scheduler/loop';
import { MemoryStore } from '../../../controller/store/memory-store';
import { node, pod } from './fixtures';

describe('scheduling loop re-queueing', () => {
  let clock: FakeClock;
  let store: MemoryStore;
  let informers: SharedInformers;
  let loop: SchedulerLoop;
  let failures: string[];

  beforeEach(() => {
    clock = new FakeClock();
    store = new MemoryStore({ clock });
    informers = new SharedInformers(store, silentLogger);
    failures = [];
    const events: EventRecorderLike = {
      record: (obj: KObject, _type, reason) => {
        if (reason === 'FailedScheduling') failures.push(obj.metadata.name);
      },
    };
    loop = new SchedulerLoop(store, informers, events, new ControllerMetrics({ defaultMetrics: false }), silentLogger, clock);
    informers.start();
    loop.start();
  });
  afterEach(() => {
    loop.stop();
    informers.stop();
  });

  /** Lets the informers and the loop run until nothing changes for a few turns. */
  async function settle(): Promise<void> {
    let quiet = 0;
    for (let i = 0; i < 500 && quiet < 5; i++) {
      const before = `${await store.revision()}:${failures.length}`;
      await new Promise((r) => setTimeout(r, 1));
      quiet = `${await store.revision()}:${failures.length}` === before ? quiet + 1 : 0;
    }
  }

  const attempts = (name: string) => failures.filter((n) => n === name).length;
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
