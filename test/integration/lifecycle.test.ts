// Object lifecycle rules, against a real controller on a real etcd with hollow agents: immutable
// fields, namespaces that must exist and are deleted with their contents, and graceful deletion
// of pods (Terminating until the agent has stopped the containers; finalizers; lost nodes).
import assert from 'node:assert/strict';
import type { ConfigMap, Deployment, Namespace, Node, Pod } from '../../common/api/types';
import { isKiteError } from '../../common/errors';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { startController, kite, eventually, type ControllerHandle } from '../harness/processes';
import { startHollowNode, type HollowNode } from '../harness/hollow-node';
import { requireCommand } from '../harness/require';
import { rejects } from '../harness/assertions';

const PREFIX = '/kite-it-lifecycle';
const NODE_GRACE_SECONDS = 2;

const namespace = (name: string): Namespace => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

function configMap(name: string, ns: string): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { k: 'v' } };
}

function deployment(name: string, ns: string, app = name): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app } },
      template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'main', image: 'busybox:1' }] } },
    },
  } as Deployment;
}

function pod(name: string, ns: string, extra: { grace?: number; finalizers?: string[]; node?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, ...(extra.finalizers ? { finalizers: extra.finalizers } : {}) },
    spec: {
      containers: [{ name: 'main', image: 'busybox:1', env: [{ name: 'A', value: '1' }] }],
      ...(extra.grace !== undefined ? { terminationGracePeriodSeconds: extra.grace } : {}),
      ...(extra.node ? { nodeSelector: { 'kubernetes.io/hostname': extra.node } } : {}),
    },
  } as Pod;
}


describe('object lifecycle (integration: etcd + controller + hollow agents)', function () {
  this.timeout(60_000);
  let etcd: EtcdHandle | undefined;
  let ctl: ControllerHandle | undefined;
  const nodes: HollowNode[] = [];
  const client = () => ctl!.client;
  const cli = (args: string[]) => kite(ctl!.target, args);
  const exists = async (kind: string, name: string, ns = '') =>
    client()
      .get(kind, name, ns)
      .then(
        () => true,
        (e: unknown) => {
          if (isKiteError(e, 'NotFound')) return false;
          throw e;
        },
      );

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    etcd = await startEtcd();
    ctl = await startController({ etcd: etcd.endpoint, prefix: PREFIX, nodeGraceSeconds: NODE_GRACE_SECONDS, heartbeatMs: 500 });
    nodes.push(await startHollowNode(ctl.target, client(), 'node-a'), await startHollowNode(ctl.target, client(), 'node-b'));
  });

  after(async function () {
    this.timeout(30_000);
    for (const n of nodes) await n.agent.stop().catch(() => undefined);
    await ctl?.stop();
    await etcd?.stop();
  });

  describe('immutable fields', () => {
    it('refuses a Deployment selector change, naming the field, and changes nothing', async () => {
      await client().apply([deployment('sel', 'default')]);
      const before = await client().get<Deployment>('Deployment', 'sel', 'default');
      const e = await rejects(client().apply([deployment('sel', 'default', 'other')]), 'Invalid', /spec\.selector: field is immutable/);
      assert.match(e.message, /Deployment "sel"/);
      const after = await client().get<Deployment>('Deployment', 'sel', 'default');
      assert.equal(after.metadata.generation, before.metadata.generation);
      assert.deepEqual(after.spec, before.spec);

      const r = await cli(['apply', '-f', '-']);
      assert.notEqual(r.code, 0, 'apply without input fails');
    });

    it('kite apply exits non-zero with the field named', async () => {
      const yaml = JSON.stringify(deployment('sel', 'default', 'moved'));
      const r = await kite(ctl!.target, ['apply', '-f', '-'], yaml);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /spec\.selector: field is immutable/);
    });

    it('lets a pod change its image but not its environment', async () => {
      await client().apply([pod('imm', 'default')]);
      const changedImage = pod('imm', 'default');
      changedImage.spec.containers[0]!.image = 'busybox:2';
      const res = await client().apply([changedImage]);
      assert.equal(res.results[0]!.action, 'configured');
      const changedEnv = pod('imm', 'default');
      changedEnv.spec.containers[0]!.image = 'busybox:2';
      changedEnv.spec.containers[0]!.env = [{ name: 'A', value: '2' }];
      await rejects(client().apply([changedEnv]), 'Invalid', /spec\.containers\[0\]\.env/);
      const stored = await client().get<Pod>('Pod', 'imm', 'default');
      assert.deepEqual(stored.spec.containers[0]!.env, [{ name: 'A', value: '1' }]);
      await client().delete('Pod', 'imm', 'default', { gracePeriodSeconds: 0 });
    });
  });

  describe('namespaces', () => {
    it('has default, kube-system and kube-public from the first start', async () => {
      const names = (await client().list('Namespace')).items.map((n) => n.metadata.name);
      for (const n of ['default', 'kube-system', 'kube-public']) assert.ok(names.includes(n), `${n} missing from ${names.join(',')}`);
      const r = await cli(['delete', 'namespace', 'kube-system']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /kube-system/);
      assert.ok(await exists('Namespace', 'kube-system'));
    });

    it('refuses writes into a namespace that does not exist, unless the same apply creates it', async () => {
      await rejects(client().apply([configMap('c', 'nowhere'), configMap('d', 'default')]), 'NotFound', /namespaces "nowhere" not found/);
      assert.equal(await exists('ConfigMap', 'd', 'default'), false, 'nothing of the apply was written');
      const res = await client().apply([configMap('c', 'fresh'), namespace('fresh')]);
      assert.deepEqual(res.results.map((r) => r.action), ['created', 'created']);
      assert.ok(await exists('ConfigMap', 'c', 'fresh'));
    });

    it('kite create namespace creates it, once', async () => {
      const first = await cli(['create', 'namespace', 'team']);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(first.stdout, 'namespace/team created\n');
      const again = await cli(['create', 'namespace', 'team']);
      assert.notEqual(again.code, 0);
      assert.match(again.stderr, /already exists/);
    });

    it('deleting a namespace marks it Terminating, refuses new content, deletes everything in it, then removes it', async () => {
      await client().apply([namespace('doomed')]);
      await client().apply([deployment('web', 'doomed'), configMap('cfg', 'doomed')]);
      await eventually(async () => (await client().list<Pod>('Pod', { namespace: 'doomed' })).items.some((p) => p.status?.phase === 'Running'), 20_000, 'a pod running in doomed');
      // A finalizer on a ConfigMap holds the namespace in Terminating long enough to look at it.
      const cfg = await client().get<ConfigMap>('ConfigMap', 'cfg', 'doomed');
      await client().update({ ...cfg, metadata: { ...cfg.metadata, finalizers: ['example.com/hold'] } });

      await client().delete('Namespace', 'doomed');
      const ns = await eventually(async () => {
        const n = await client().get<Namespace>('Namespace', 'doomed');
        return n.status?.phase === 'Terminating' ? n : undefined;
      }, 10_000, 'namespace Terminating');
      assert.ok(ns.metadata.deletionTimestamp);
      const table = await cli(['get', 'namespace', 'doomed']);
      assert.match(table.stdout, /doomed\s+Terminating/);
      await rejects(client().apply([configMap('late', 'doomed')]), 'Forbidden', /being terminated/);
      const again = await cli(['delete', 'namespace', 'doomed', '--wait=false']);
      assert.notEqual(again.code, 0, 'deleting a Terminating namespace again is an error');
      assert.match(again.stderr, /already being deleted/);

      await eventually(async () => !(await exists('Deployment', 'web', 'doomed')), 20_000, 'deployment deleted');
      await eventually(async () => (await client().list('Pod', { namespace: 'doomed' })).items.length === 0, 20_000, 'pods gone');
      assert.ok(await exists('Namespace', 'doomed'), 'held by the ConfigMap finalizer');
      const held = await client().get<ConfigMap>('ConfigMap', 'cfg', 'doomed');
      assert.ok(held.metadata.deletionTimestamp, 'the ConfigMap is Terminating');
      await client().update({ ...held, metadata: { ...held.metadata, finalizers: [] } });
      await eventually(async () => !(await exists('Namespace', 'doomed')), 20_000, 'namespace removed');
      assert.equal(await exists('ConfigMap', 'cfg', 'doomed'), false);
    });
  });

  describe('graceful pod deletion', () => {
    it('shows a deleted pod Terminating until its agent has stopped it; finalizers hold it until removed', async () => {
      await client().apply([pod('held', 'default', { grace: 7, finalizers: ['example.com/hold'] })]);
      const running = await eventually(async () => {
        const p = await client().get<Pod>('Pod', 'held', 'default');
        return p.status?.phase === 'Running' ? p : undefined;
      }, 20_000, 'pod Running');
      const node = nodes.find((n) => n.name === running.spec.nodeName)!;
      const del = await cli(['delete', 'pod', 'held', '--wait=false']);
      assert.equal(del.code, 0, del.stderr);
      assert.equal(del.stdout, 'pod/held deleted\n');

      const marked = await client().get<Pod>('Pod', 'held', 'default');
      assert.ok(marked.metadata.deletionTimestamp);
      assert.equal(marked.metadata.deletionGracePeriodSeconds, 7);
      // The agent stops the containers and says so; the finalizer keeps the object.
      await eventually(async () => {
        const p = await client().get<Pod>('Pod', 'held', 'default');
        return p.status?.containerStatuses?.every((c) => c.state.terminated) ?? false;
      }, 20_000, 'containers reported stopped');
      assert.ok(![...node.executor.containers.values()].some((c) => c.info.state === 'running' && c.info.labels['kite.io/pod-name'] === 'held'), 'nothing runs');
      const again = await cli(['delete', 'pod', 'held', '--wait=false']);
      assert.notEqual(again.code, 0);
      assert.match(again.stderr, /already being deleted/);

      const p = await client().get<Pod>('Pod', 'held', 'default');
      await client().update({ ...p, metadata: { ...p.metadata, finalizers: [] } });
      await eventually(async () => !(await exists('Pod', 'held', 'default')), 10_000, 'pod removed once its finalizer went');
    });

    it('kite delete waits until the pod is gone; --force --grace-period 0 removes at once', async () => {
      await client().apply([pod('quick', 'default'), pod('forced', 'default')]);
      await eventually(async () => (await client().list<Pod>('Pod', { namespace: 'default' })).items.filter((p) => ['quick', 'forced'].includes(p.metadata.name) && p.status?.phase === 'Running').length === 2, 20_000, 'pods Running');
      const quick = await cli(['delete', 'pod', 'quick']);
      assert.equal(quick.code, 0, quick.stderr);
      assert.equal(await exists('Pod', 'quick', 'default'), false, 'gone when delete returns');

      const forced = await cli(['delete', 'pod', 'forced', '--force', '--grace-period', '0', '--wait=false']);
      assert.equal(forced.code, 0, forced.stderr);
      assert.match(forced.stdout, /pod\/forced force deleted/);
      assert.match(forced.stderr, /Immediate deletion/);
      assert.equal(await exists('Pod', 'forced', 'default'), false);
    });

    it('a pod on a node that went away is removed once the node is NotReady past the grace', async () => {
      const lost = await startHollowNode(ctl!.target, client(), 'node-lost', { labels: { lost: 'yes' } });
      nodes.push(lost);
      const p = pod('stranded', 'default', { grace: 2 });
      p.spec.nodeSelector = { lost: 'yes' };
      await client().apply([p]);
      await eventually(async () => (await client().get<Pod>('Pod', 'stranded', 'default')).status?.phase === 'Running', 20_000, 'pod Running');
      await lost.agent.stop();
      await client().delete('Pod', 'stranded', 'default');
      assert.ok((await client().get<Pod>('Pod', 'stranded', 'default')).metadata.deletionTimestamp, 'Terminating while nobody can stop it');
      const table = await cli(['get', 'pods', 'stranded']);
      assert.match(table.stdout, /stranded\s+\S+\s+Terminating/);
      await eventually(async () => (await client().get<Node>('Node', 'node-lost')).status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True', 15_000, 'node NotReady');
      await eventually(async () => !(await exists('Pod', 'stranded', 'default')), 15_000, 'pod removed');
    });

    it('leaves no Terminating pod behind', async () => {
      const leftovers = (await client().list<Pod>('Pod', { namespace: 'default' })).items.filter((p) => p.metadata.deletionTimestamp);
      assert.deepEqual(leftovers.map((p) => p.metadata.name), []);
    });
  });
});
