// The scheduling loop over the in-memory store with inter-pod rules: replicas with required
// anti-affinity spread one per node, the extra one waits and is re-queued when a matching pod goes
// or a node is relabelled into a new domain; spread constraints hold across one batch.
import assert from 'node:assert/strict';
import type { Condition, Node, Pod, PodAffinityTerm } from '../../../common/api/types';
import { LoopHarness } from './loop-harness';
import { node, replicas, pod } from './fixtures';

const ZONE = 'topology.kubernetes.io/zone';
const HOSTNAME_ANTI: PodAffinityTerm = { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' };

describe('scheduling loop with inter-pod rules', () => {
  let h: LoopHarness;
  let store: LoopHarness['store'];
  let loop: LoopHarness['loop'];

  beforeEach(() => {
    h = new LoopHarness();
    ({ store, loop } = h);
    loop.start();
  });
  afterEach(() => h.stop());

  const settle = () => h.settle();
  const attempts = (name: string) => h.attempts(name);
  const get = async (name: string) => (await store.get<Pod>('Pod', 'default', name))!;
  const placement = async (names: string[]) => Promise.all(names.map(async (n) => (await get(n)).spec.nodeName));

  it('places a Deployment of 3 with required anti-affinity one per node; the 4th waits with kubectl\'s reason', async () => {
    for (const n of ['n1', 'n2', 'n3']) await store.create(node(n));
    const web = replicas('web', 4, { labels: { app: 'web' }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [HOSTNAME_ANTI] } } } });
    await store.createMany(web);
    await settle();

    const nodes = await placement(web.map((p) => p.metadata.name));
    const bound = nodes.filter((n) => n !== undefined);
    assert.deepEqual([...bound].sort(), ['n1', 'n2', 'n3']);
    const pending = web[nodes.indexOf(undefined)]!.metadata.name;
    const condition = (await get(pending)).status?.conditions?.find((c: Condition) => c.type === 'PodScheduled');
    assert.equal(condition?.status, 'False');
    assert.equal(condition?.message, "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");
    assert.equal(attempts(pending), 1);

    // An unrelated label change cannot help: hostname domains are untouched.
    const n1 = (await store.get<Node>('Node', '', 'n1'))!;
    await store.update({ ...n1, spec: { ...n1.spec, taints: [] } });
    await settle();
    assert.equal(attempts(pending), 1, 'a node change no filter awaits does not re-queue it');

    // A replica going away frees its node's domain: the parked pod is re-queued and takes it.
    // While it terminates it still holds the domain, as in Kubernetes.
    const victim = web[nodes.findIndex((n) => n === 'n2')]!;
    await store.delete('Pod', 'default', victim.metadata.name);
    await settle();
    assert.equal((await get(pending)).spec.nodeName, undefined);
    await store.delete('Pod', 'default', victim.metadata.name, { finalize: true });
    await settle();
    assert.equal((await get(pending)).spec.nodeName, 'n2');
  });

  it('re-queues a pod parked by anti-affinity when a node is relabelled into a new domain', async () => {
    await store.create(node('a', { labels: { [ZONE]: 'z1' } }));
    await store.create(node('b', { labels: { [ZONE]: 'z1' } }));
    const zoneAnti: PodAffinityTerm = { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: ZONE };
    const db = replicas('db', 2, { labels: { app: 'db' }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [zoneAnti] } } } });
    await store.createMany(db);
    await settle();
    const nodes = await placement(db.map((p) => p.metadata.name));
    assert.equal(nodes.filter((n) => n !== undefined).length, 1, 'one zone holds one replica');
    const freeNode = nodes.includes('a') ? 'b' : 'a';
    const n = (await store.get<Node>('Node', '', freeNode))!;
    await store.update({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, [ZONE]: 'z2' } } });
    await settle();
    assert.deepEqual([...(await placement(db.map((p) => p.metadata.name)))].sort(), ['a', 'b']);
  });

  it('spreads 6 replicas with maxSkew 1 over 3 zones two per zone in one batch', async () => {
    for (const [name, zone] of [['a1', 'a'], ['a2', 'a'], ['a3', 'a'], ['b1', 'b'], ['c1', 'c']] as const) await store.create(node(name, { labels: { [ZONE]: zone } }));
    const web = replicas('web', 6, {
      labels: { app: 'web' },
      spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] },
    });
    await store.createMany(web);
    await settle();
    const perZone: Record<string, number> = {};
    for (const n of await placement(web.map((p) => p.metadata.name))) {
      assert.ok(n, 'every replica placed');
      perZone[n[0]!] = (perZone[n[0]!] ?? 0) + 1;
    }
    assert.deepEqual(perZone, { a: 2, b: 2, c: 2 });
  });

  it('re-queues a pod waiting on required affinity when a matching pod is bound', async () => {
    await store.create(node('n1'));
    const affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    await store.create(pod('web', { labels: { app: 'web' }, spec: { affinity } }));
    await settle();
    assert.equal(attempts('web'), 1);
    await store.create(pod('cache', { labels: { app: 'cache' } }));
    await settle();
    assert.equal((await get('cache')).spec.nodeName, 'n1');
    assert.equal((await get('web')).spec.nodeName, 'n1');
    assert.equal(attempts('web'), 1, 'placed on the re-queue, not the 30s retry');
  });
});
