import { strict as assert } from 'node:assert';
import type { Node, Pod, Toleration } from '../../../common/api/types';
import { isNodeReady } from '../../../common/api/node';
import { FakeClock } from '../../../common/clock';
import { silentLogger } from '../../../common/log';
import { NodeLifecycle, tolerationSecondsFor } from '../../../controller/nodes/lifecycle';
import { FakeNodeLiveness } from '../../../controller/nodes/fake-liveness';
import { NODE_STATUS_UNKNOWN } from '../../../controller/nodes/liveness';
import { UNREACHABLE_TAINT } from '../../../controller/dispatcher/node-object';
import { MemoryStore } from '../../../controller/store/memory-store';
import { SharedInformers } from '../../../controller/informers';
import { objectKey } from '../../../controller/informer';
import type { EventRecorderLike } from '../../../controller/events';

describe('eviction from an unreachable node', () => {
  const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' as const };

  it('evicts at once without a matching toleration', () => {
    assert.equal(tolerationSecondsFor(taint, undefined), 0);
    assert.equal(tolerationSecondsFor(taint, [{ key: 'other', operator: 'Exists' }]), 0);
  });

  it('waits tolerationSeconds when a toleration matches, forever without a limit', () => {
    assert.equal(tolerationSecondsFor(taint, [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]), 30);
    assert.equal(tolerationSecondsFor(taint, [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }]), Infinity);
    assert.equal(tolerationSecondsFor(taint, [{ operator: 'Exists' }]), Infinity);
  });

  it('ignores a toleration for another effect', () => {
    assert.equal(tolerationSecondsFor(taint, [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }]), 0);
  });
});

describe('node lifecycle driven by liveness', () => {
  const GRACE_S = 10;
  let clock: FakeClock;
  let store: MemoryStore;
  let informers: SharedInformers;
  let liveness: FakeNodeLiveness;
  let lifecycle: NodeLifecycle;
  let recorded: string[];

  /** Lets the informers catch up with the store (they follow its watch asynchronously). */
  async function caughtUp(): Promise<void> {
    const matches = async (kind: string) => {
      const { items } = await store.list(kind);
      const informer = informers.get(kind);
      return informer.size === items.length && items.every((o) => informer.get(objectKey(o))?.metadata.resourceVersion === o.metadata.resourceVersion);
    };
    for (let i = 0; i < 1000; i++) {
      if ((await matches('Node')) && (await matches('Pod'))) return;
      await new Promise((r) => setImmediate(r));
    }
    throw new Error('informers did not catch up');
  }

  async function tick(): Promise<void> {
    await caughtUp();
    await lifecycle.tick();
    await caughtUp();
  }

  async function addNode(name: string): Promise<void> {
    await liveness.registered(name);
    await store.create<Node>({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'AgentReady' }] } });
  }

  async function addPod(name: string, nodeName: string, tolerations?: Toleration[]): Promise<void> {
    await store.create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName, tolerations, containers: [{ name: 'c', image: 'busybox' }] } });
  }

  const getNode = async (name: string) => (await store.get<Node>('Node', '', name))!;
  const evicted = async (name: string) => {
    const pod = await store.get<Pod>('Pod', 'default', name);
    return !pod || !!pod.metadata.deletionTimestamp;
  };

  /** Heartbeats from these nodes every 2 s for `ms`, with a lifecycle pass after each. */
  async function run(ms: number, heartbeating: string[]): Promise<void> {
    for (let t = 0; t < ms; t += 2000) {
      clock.advance(Math.min(2000, ms - t));
      for (const n of heartbeating) await liveness.heartbeat(n);
      await tick();
    }
  }

  beforeEach(async () => {
    clock = new FakeClock();
    store = new MemoryStore({ clock });
    informers = new SharedInformers(store, silentLogger);
    liveness = new FakeNodeLiveness(clock, GRACE_S);
    recorded = [];
    const events: EventRecorderLike = { record: (obj, _type, reason) => void recorded.push(`${obj.metadata.name}:${reason}`) };
    lifecycle = new NodeLifecycle({ store, liveness, informers, events, log: silentLogger, clock });
    informers.get<Pod>('Pod');
    informers.start();
    await addNode('a');
    await addNode('b');
  });

  afterEach(() => informers.stop());

  it('keeps nodes Ready while their heartbeats arrive', async () => {
    await run(60_000, ['a', 'b']);
    assert.ok(isNodeReady(await getNode('a')));
    assert.ok(isNodeReady(await getNode('b')));
    assert.deepEqual(recorded, []);
  });

  it('marks a quiet node NotReady after the grace, with the reason, the unreachable taint and an event', async () => {
    await run(8000, ['b']);
    assert.ok(isNodeReady(await getNode('a')), 'still within the grace');
    await run(4000, ['b']);
    const a = await getNode('a');
    const ready = a.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'Unknown');
    assert.equal(ready?.reason, NODE_STATUS_UNKNOWN);
    assert.match(ready?.message ?? '', /no heartbeat within the 10s grace period/);
    assert.deepEqual(a.spec.taints?.map((t) => [t.key, t.effect]), [[UNREACHABLE_TAINT, 'NoExecute']]);
    assert.deepEqual(recorded, ['a:NodeNotReady']);
    assert.ok(isNodeReady(await getNode('b')), 'the heartbeating node stays Ready');
  });

  it('evicts pods from an unreachable node at once, or after their tolerationSeconds', async () => {
    await addPod('plain', 'a');
    await addPod('tolerant', 'a', [{ key: UNREACHABLE_TAINT, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]);
    await addPod('elsewhere', 'b');
    await run(12_000, ['b']);
    assert.ok(await evicted('plain'));
    assert.ok(!(await evicted('tolerant')));
    await run(26_000, ['b']);
    assert.ok(!(await evicted('tolerant')), 'less than 30 s since the taint');
    await run(6000, ['b']);
    assert.ok(await evicted('tolerant'));
    assert.ok(!(await evicted('elsewhere')));
  });

  it('evicts nothing when every node is unreachable at once', async () => {
    await addPod('p', 'a');
    await run(20_000, []);
    assert.ok(!isNodeReady(await getNode('a')));
    assert.ok(!isNodeReady(await getNode('b')));
    assert.ok(!(await evicted('p')));
  });
});
