import assert from 'node:assert/strict';
import type { DaemonSet, Node, Pod } from '../../../common/api/types';
import { ClusterSnapshot, scheduleAll } from '../../../controller/scheduler';
import { CONTROLLER_REVISION_HASH } from '../../../controller/workloads';
import { TestCluster, isReady, template, watchPods } from './harness';

function daemonSet(name: string, extra: Partial<DaemonSet['spec']> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels: { app: name } }, template: template('agent:1', { app: name }), ...extra },
  };
}

/** The node a daemon pod is for, read the way a user would: its binding, or its one metadata.name pin. */
function nodeFor(p: Pod): string | undefined {
  return p.spec.nodeName ?? p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values?.[0];
}

const pinTo = (node: string) => ({
  requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In' as const, values: [node] }] }] },
});

describe('DaemonSet controller', () => {
  let c: TestCluster;
  beforeEach(async () => {
    c = new TestCluster();
    await c.start();
  });
  afterEach(() => c.stop());

  const terminating = (p: Pod) => !!p.metadata.deletionTimestamp;
  const nodesWithPods = async () => (await c.pods((p) => !terminating(p))).map(nodeFor).sort();
  const status = async () => (await c.get<DaemonSet>('DaemonSet', 'agent')).status;

  /** Plays the scheduler: binds each unbound daemon pod to the node it is pinned to. */
  async function bindPinned(): Promise<void> {
    for (const p of await c.pods((p) => !p.spec.nodeName && !terminating(p))) {
      await c.store.update<Pod>({ ...p, spec: { ...p.spec, nodeName: nodeFor(p) } });
    }
    await c.settle();
  }

  it('creates one pod per node, pinned by node affinity rather than bound, with the daemon tolerations', async () => {
    await c.addNode('a');
    await c.addNode('b', { ready: false });
    await c.create(daemonSet('agent'));
    assert.deepEqual(await nodesWithPods(), ['a', 'b'], 'a NotReady node gets its daemon pod too (the scheduler binds it once Ready)');
    const pods = await c.pods();
    for (const pod of pods) {
      assert.equal(pod.spec.nodeName, undefined, 'the scheduler binds it');
      assert.deepEqual(pod.spec.affinity, { nodeAffinity: pinTo(nodeFor(pod)!) });
      assert.match(pod.metadata.name, /^agent-[a-z0-9]{5}$/);
      assert.ok(pod.metadata.labels?.[CONTROLLER_REVISION_HASH]);
      const tolerated = pod.spec.tolerations?.map((t) => `${t.key}:${t.effect}`).sort();
      assert.deepEqual(tolerated, ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unschedulable:NoSchedule']);
    }
    assert.deepEqual(await status(), {
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberReady: 0,
      numberAvailable: 0,
      updatedNumberScheduled: 2,
      numberMisscheduled: 0,
      observedGeneration: 1,
    });
  });

  it("replaces the template's required node affinity with the pin, keeping its preferred terms", async () => {
    await c.addNode('a', { labels: { zone: 'z1' } });
    await c.addNode('b', { labels: { zone: 'z2' } });
    const ds = daemonSet('agent');
    const preferred = [{ weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In' as const, values: ['ssd'] }] } }];
    ds.spec.template.spec.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }] },
        preferredDuringSchedulingIgnoredDuringExecution: preferred,
      },
    };
    await c.create(ds);
    const [pod, ...rest] = await c.pods();
    assert.equal(rest.length, 0, 'only the node matching the required term');
    assert.deepEqual(pod!.spec.affinity, { nodeAffinity: { ...pinTo('a'), preferredDuringSchedulingIgnoredDuringExecution: preferred } });
  });

  it('finds the pod for a node by its pin, and by its nodeName once bound: no second pod either way', async () => {
    await c.addNode('a');
    await c.addNode('b');
    await c.create(daemonSet('agent'));
    const before = (await c.pods()).map((p) => p.metadata.name).sort();
    await bindPinned();
    await c.advance(1000);
    assert.deepEqual((await c.pods()).map((p) => p.metadata.name).sort(), before);
    assert.deepEqual((await c.pods()).map((p) => p.spec.nodeName).sort(), ['a', 'b']);
  });

  it('leaves placement to the scheduler: the pod for a full node does not fit it, with the scheduler reason', async () => {
    await c.addNode('small');
    await c.addNode('big');
    const ds = daemonSet('agent');
    ds.spec.template.spec.containers[0]!.resources = { requests: { memory: '2Gi' } };
    await c.create(ds);
    const withRoom = (n: Node, memory: string): Node => ({ ...n, status: { ...n.status, allocatable: { cpu: '4', memory, pods: '110' } } });
    const nodes = [withRoom(await c.get<Node>('Node', 'small'), '1Gi'), withRoom(await c.get<Node>('Node', 'big'), '8Gi')];
    const pods = await c.pods();
    const results = scheduleAll(pods, ClusterSnapshot.build(nodes, []));
    const byTarget = new Map(pods.map((p, i) => [nodeFor(p), results[i]!]));
    assert.deepEqual(byTarget.get('big'), { node: 'big' });
    const small = byTarget.get('small')!;
    assert.ok('unschedulable' in small);
    assert.equal(small.unschedulable.message, "0/2 nodes are available: 1 Insufficient memory, 1 node(s) didn't match Pod's node affinity/selector.");
  });

  it('follows nodes joining and leaving, also for pods not bound yet', async () => {
    await c.addNode('a');
    await c.create(daemonSet('agent'));
    await c.addNode('b');
    assert.deepEqual(await nodesWithPods(), ['a', 'b']);
    await c.store.delete('Node', '', 'a');
    await c.settle();
    assert.deepEqual(await nodesWithPods(), ['b']);
    assert.equal((await c.pods()).length, 1, 'the unbound pod for the gone node is removed at once');
  });

  it('skips nodes with untolerated NoSchedule/NoExecute taints or unmatched nodeSelector, but not cordoned ones', async () => {
    await c.addNode('plain', { labels: { disk: 'ssd' } });
    await c.addNode('gpu', { labels: { disk: 'ssd' }, taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] });
    await c.addNode('soft', { labels: { disk: 'ssd' }, taints: [{ key: 'x', effect: 'PreferNoSchedule' }] });
    await c.addNode('cordoned', { labels: { disk: 'ssd' }, unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] });
    await c.addNode('hdd', { labels: { disk: 'hdd' } });
    const ds = daemonSet('agent');
    ds.spec.template.spec.nodeSelector = { disk: 'ssd' };
    await c.create(ds);
    assert.deepEqual(await nodesWithPods(), ['cordoned', 'plain', 'soft']);
  });

  it('removes the pod when a node gains an untolerated taint (misscheduled), and tolerations bring it back', async () => {
    await c.addNode('a');
    await c.create(daemonSet('agent'));
    await bindPinned();
    await c.change<Node>('Node', 'a', (n) => (n.spec.taints = [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]));
    assert.deepEqual(await nodesWithPods(), []);
    assert.equal((await status())?.desiredNumberScheduled, 0);
    await c.change<DaemonSet>('DaemonSet', 'agent', (ds) => (ds.spec.template.spec.tolerations = [{ key: 'dedicated', operator: 'Exists' }]));
    assert.deepEqual(await nodesWithPods(), ['a']);
  });

  it('counts ready and available pods', async () => {
    await c.addNode('a');
    await c.addNode('b');
    await c.create(daemonSet('agent', { minReadySeconds: 5 }));
    await bindPinned();
    await c.runPods(await c.pods());
    assert.equal((await status())?.numberReady, 2);
    assert.equal((await status())?.numberAvailable, 0);
    await c.advance(5_000);
    assert.equal((await status())?.numberAvailable, 2);
  });

  it('does not count a Terminating pod, and replaces it only once it is gone', async () => {
    await c.addNode('a');
    await c.create(daemonSet('agent'));
    await bindPinned();
    await c.runPods(await c.pods());
    assert.equal((await status())?.numberReady, 1);
    c.kubeletStopsPods = false; // the pod's containers take their time to stop
    const [first] = await c.pods();
    await c.store.delete('Pod', 'default', first!.metadata.name);
    await c.settle();
    const pods = await c.pods();
    assert.deepEqual(pods.map((p) => [p.metadata.name, terminating(p)]), [[first!.metadata.name, true]], 'no second daemon pod while the first still stops');
    assert.deepEqual({ ...(await status()), observedGeneration: undefined }, {
      desiredNumberScheduled: 1,
      currentNumberScheduled: 0,
      numberReady: 0,
      numberAvailable: 0,
      updatedNumberScheduled: 0,
      numberMisscheduled: 0,
      observedGeneration: undefined,
    });
    c.kubeletStopsPods = true;
    await c.settle();
    const after = await c.pods();
    assert.equal(after.length, 1);
    assert.notEqual(after[0]!.metadata.name, first!.metadata.name);
    assert.equal(nodeFor(after[0]!), 'a');
  });

  it('rolls a new template node by node within maxUnavailable', async () => {
    for (const n of ['a', 'b', 'c', 'd']) await c.addNode(n);
    await c.create(daemonSet('agent', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } }));
    await bindPinned();
    await c.runPods(await c.pods());
    let worst = 0;
    const watcher = watchPods(c.store, (pods) => {
      const up = [...pods.values()].filter((p) => !terminating(p) && isReady(p)).length;
      worst = Math.max(worst, 4 - up);
    });
    await c.change<DaemonSet>('DaemonSet', 'agent', (ds) => (ds.spec.template.spec.containers[0]!.image = 'agent:2'));
    for (let i = 0; i < 20; i++) {
      await bindPinned();
      const pending = await c.pods((p) => !isReady(p));
      if (!pending.length) break;
      await c.runPods(pending);
    }
    await watcher.stop();
    assert.deepEqual(watcher.failures, []);
    assert.equal(worst, 1, 'one node at a time');
    const pods = await c.pods();
    assert.deepEqual(pods.map((p: Pod) => p.spec.containers[0]?.image), ['agent:2', 'agent:2', 'agent:2', 'agent:2']);
    assert.deepEqual(pods.map((p) => p.spec.nodeName).sort(), ['a', 'b', 'c', 'd']);
    assert.equal((await status())?.updatedNumberScheduled, 4);
  });

  it('replaces a failed daemon pod', async () => {
    await c.addNode('a');
    await c.create(daemonSet('agent'));
    await bindPinned();
    const [first] = await c.pods();
    await c.finishPods([first!], 'Failed');
    const pods = await c.pods();
    assert.equal(pods.length, 1);
    assert.notEqual(pods[0]!.metadata.name, first!.metadata.name);
    assert.equal(nodeFor(pods[0]!), 'a');
  });
});
