import assert from 'node:assert/strict';
import type { DaemonSet, Node, Pod } from '../../../common/api/types';
import { CONTROLLER_REVISION_HASH } from '../../../controller/workloads';
import { TestCluster, isLive, isReady, template, watchPods } from './harness';

function daemonSet(name: string, extra: Partial<DaemonSet['spec']> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels: { app: name } }, template: template('agent:1', { app: name }), ...extra },
  };
}

describe('DaemonSet controller', () => {
  let c: TestCluster;
  beforeEach(async () => {
    c = new TestCluster();
    await c.start();
  });
  afterEach(() => c.stop());

  const nodesWithPods = async () => (await c.pods()).map((p) => p.spec.nodeName).sort();
  const status = async () => (await c.get<DaemonSet>('DaemonSet', 'agent')).status;

  it('runs one pod per node, bound directly, with the daemon tolerations', async () => {
    await c.addNode('a');
    await c.addNode('b', { ready: false });
    await c.create(daemonSet('agent'));
    assert.deepEqual(await nodesWithPods(), ['a', 'b'], 'a NotReady node gets its daemon pod too');
    const [pod] = await c.pods();
    assert.match(pod!.metadata.name, /^agent-[a-z0-9]{5}$/);
    assert.ok(pod!.metadata.labels?.[CONTROLLER_REVISION_HASH]);
    const tolerated = pod!.spec.tolerations?.map((t) => `${t.key}:${t.effect}`).sort();
    assert.deepEqual(tolerated, ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unschedulable:NoSchedule']);
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

  it('follows nodes joining and leaving', async () => {
    await c.addNode('a');
    await c.create(daemonSet('agent'));
    await c.addNode('b');
    assert.deepEqual(await nodesWithPods(), ['a', 'b']);
    await c.store.delete('Node', '', 'a');
    await c.settle();
    assert.deepEqual(await nodesWithPods(), ['b']);
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
    await c.runPods(await c.pods());
    assert.equal((await status())?.numberReady, 2);
    assert.equal((await status())?.numberAvailable, 0);
    await c.advance(5_000);
    assert.equal((await status())?.numberAvailable, 2);
  });

  it('rolls a new template node by node within maxUnavailable', async () => {
    for (const n of ['a', 'b', 'c', 'd']) await c.addNode(n);
    await c.create(daemonSet('agent', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } }));
    await c.runPods(await c.pods());
    let worst = 0;
    const watcher = watchPods(c.store, (pods) => {
      const up = [...pods.values()].filter((p) => isLive(p) && isReady(p)).length;
      worst = Math.max(worst, 4 - up);
    });
    await c.change<DaemonSet>('DaemonSet', 'agent', (ds) => (ds.spec.template.spec.containers[0]!.image = 'agent:2'));
    for (let i = 0; i < 20; i++) {
      const pending = (await c.pods()).filter((p) => !isReady(p));
      if (!pending.length) break;
      for (const p of pending) await c.runPods([p], { node: p.spec.nodeName });
    }
    await watcher.stop();
    assert.equal(worst, 1, 'one node at a time');
    const pods = await c.pods();
    assert.deepEqual(pods.map((p: Pod) => p.spec.containers[0]?.image), ['agent:2', 'agent:2', 'agent:2', 'agent:2']);
    assert.equal((await status())?.updatedNumberScheduled, 4);
  });

  it('replaces a failed daemon pod', async () => {
    await c.addNode('a');
    await c.create(daemonSet('agent'));
    const [first] = await c.pods();
    await c.finishPods([first!], 'Failed');
    const pods = await c.pods();
    assert.equal(pods.length, 1);
    assert.notEqual(pods[0]!.metadata.name, first!.metadata.name);
  });
});
