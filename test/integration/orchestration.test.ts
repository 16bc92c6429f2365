// Orchestration as users see it: a real etcd, real controller processes, and hollow nodes (in-process
// agents on the fake runtime) talking real gRPC. Scheduling, rolling updates, node loss, controller
// failover, Jobs, DaemonSets and events, checked through the API and the kite CLI.
//
// One cluster is shared by the whole file; tests use their own namespaces and names, and leave
// nodes as they found them (uncordoned, untainted). Order matters only for the first test (an
// empty cluster) and the last ones (which restart controllers and add nodes).
import { joinCredentials } from '../harness/credentials';
import assert from 'node:assert/strict';
import type { DaemonSet, Deployment, Event, Job, KObject, Node, Pod, PodSpec, ReplicaSet } from '../../common/api/types';
import { isNodeReady } from '../../common/api/node';
import type { KiteClient } from '../../common/client';
import { silentLogger } from '../../common/log';
import { Agent } from '../../node-agent/agent';
import { FakeExecutor } from '../../node-agent/executor/fake';
import { LABELS } from '../../node-agent/executor/types';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { startController, eventually, kite, type ControllerHandle } from '../harness/processes';
import { freePort } from '../harness/ports';
import { requireCommand } from '../harness/require';

const PREFIX = '/kite-it-orch';
const GiB = 2 ** 30;
const NODE_GRACE_SECONDS = 3;
const HEARTBEAT_MS = 500;

interface HollowNode {
  name: string;
  agent: Agent;
  executor: FakeExecutor;
}

function configureExecutor(ex: FakeExecutor): void {
  // Containers named "done" finish successfully at once, "crash" fail at once (Jobs); a readiness
  // probe running `false` never passes (a rollout that cannot make progress).
  ex.scripts.set('done', { exitOnStart: 0 });
  ex.scripts.set('crash', { exitOnStart: 1 });
  ex.execHandler = (_id, cmd) => ({ exitCode: cmd[0] === 'false' ? 1 : 0 });
}

/** Polls fn until it returns something truthy (a spec-like spelling of the harness's eventually). */
function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  return eventually(fn, timeoutMs, what);
}

function isReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function deployment(ns: string, name: string, replicas: number, spec: Partial<PodSpec> = {}, extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'busybox:1' }], ...spec } },
      ...extra,
    },
  } as Deployment;
}

function namespace(name: string): KObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KObject;
}

function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}

describe('Orchestration (integration: etcd + controller + hollow nodes)', function () {
  this.timeout(60_000);
  let etcd: EtcdHandle | undefined;
  let ctl: ControllerHandle | undefined;
  let standby: ControllerHandle | undefined;
  let grpcPort = 0;
  let client: KiteClient;
  const nodes = new Map<string, HollowNode>();

  const server = () => `127.0.0.1:${grpcPort}`;
  const cli = (args: string[]) => kite(server(), args);

  async function addNode(name: string, o: { labels?: Record<string, string>; taints?: { key: string; value: string; effect: string }[]; executor?: FakeExecutor } = {}): Promise<HollowNode> {
    const executor = o.executor ?? new FakeExecutor(name);
    configureExecutor(executor);
    const agent = new Agent({
      controller: server(),
      name,
      runtime: 'fake',
      executor,
      labels: o.labels,
      taints: o.taints,
      cpuMillis: 8000,
      memoryBytes: 8 * GiB,
      maxPods: 110,
      log: silentLogger,
      defaultMetrics: false,
      ...joinCredentials(server()),
    });
    await agent.start();
    const n = { name, agent, executor };
    nodes.set(name, n);
    await until(`node ${name} Ready`, async () => {
      const node = await client.get<Node>('Node', name);
      return isNodeReady(node);
    }, 15_000);
    return n;
  }

  /** The pods their owners count: Terminating ones (deleted, containers still stopping) are not replicas. */
  async function pods(ns: string, labelSelector?: string): Promise<Pod[]> {
    return (await client.list<Pod>('Pod', { namespace: ns, labelSelector })).items.filter((p) => !p.metadata.deletionTimestamp);
  }

  async function waitAvailable(ns: string, name: string, replicas: number, timeoutMs = 20_000): Promise<Deployment> {
    return until(`deployment ${ns}/${name} available ${replicas}`, async () => {
      const d = await client.get<Deployment>('Deployment', name, ns);
      const s = d.status;
      const ok =
        s?.observedGeneration === d.metadata.generation &&
        s?.availableReplicas === replicas &&
        s?.updatedReplicas === replicas &&
        s?.replicas === replicas;
      if (!ok) return undefined;
      // Status is written a moment after pods change: the pods themselves must agree.
      const ready = (await pods(ns, `app=${name}`)).filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      return ready.length === replicas ? d : undefined;
    }, timeoutMs);
  }

  async function setImage(ns: string, name: string, image: string): Promise<void> {
    for (;;) {
      const d = await client.get<Deployment>('Deployment', name, ns);
      d.spec.template.spec.containers[0]!.image = image;
      try {
        await client.update(d);
        return;
      } catch (e) {
        if ((e as { code?: string }).code !== 'Conflict') throw e;
      }
    }
  }

  /** Polls a deployment's pods until stopped; records the extremes a user could observe. */
  function observe(ns: string, app: string) {
    let stop = false;
    const seen = { minReady: Infinity, maxTotal: 0, samples: 0 };
    const done = (async () => {
      while (!stop) {
        const ps = await pods(ns, `app=${app}`).catch(() => undefined);
        if (ps) {
          seen.samples++;
          seen.minReady = Math.min(seen.minReady, ps.filter(isReady).length);
          seen.maxTotal = Math.max(seen.maxTotal, ps.length);
        }
        await new Promise((r) => setTimeout(r, 40));
      }
    })();
    return {
      seen,
      async stop() {
        stop = true;
        await done;
        return seen;
      },
    };
  }

  async function replicaSetsOf(ns: string, name: string): Promise<ReplicaSet[]> {
    const d = await client.get<Deployment>('Deployment', name, ns);
    return (await client.list<ReplicaSet>('ReplicaSet', { namespace: ns })).items.filter((rs) =>
      rs.metadata.ownerReferences?.some((r) => r.uid === d.metadata.uid),
    );
  }

  async function startPrimary(id: string): Promise<ControllerHandle> {
    return startController({ etcd: etcd!.endpoint, prefix: PREFIX, id, grpcPort, nodeGraceSeconds: NODE_GRACE_SECONDS, heartbeatMs: HEARTBEAT_MS, leaderTtlSeconds: 2 });
  }

  before(async function () {
    this.timeout(60_000);
    requireCommand(this, 'etcd', 'etcd');
    etcd = await startEtcd();
    grpcPort = await freePort();
    ctl = await startPrimary('orch-1');
    client = ctl.client;
    await client.apply(['sched', 'roll', 'loss', 'jobs', 'ds', 'failover'].map(namespace));
  });

  after(async function () {
    this.timeout(30_000);
    for (const n of nodes.values()) await n.agent.stop().catch(() => undefined);
    await standby?.stop();
    await ctl?.stop();
    await etcd?.stop();
  });

  describe('scheduling', () => {
    it('leaves a pod Pending with "0/0 nodes are available" when the cluster has no nodes', async () => {
      await client.apply([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lonely', namespace: 'sched' }, spec: { containers: [{ name: 'main', image: 'busybox:1' }] } } as Pod]);
      const cond = await until('PodScheduled=False', async () => {
        const p = await client.get<Pod>('Pod', 'lonely', 'sched');
        return p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
      });
      assert.equal(cond.reason, 'Unschedulable');
      assert.match(cond.message ?? '', /^0\/0 nodes are available/);
      await client.delete('Pod', 'lonely', 'sched');

      // The rest of the file runs on three nodes; node-1 has an SSD.
      await addNode('node-1', { labels: { disk: 'ssd' } });
      await addNode('node-2');
      await addNode('node-3');
    });

    it('spreads a Deployment of 12 replicas 4/4/4 over 3 nodes', async () => {
      await client.apply([deployment('sched', 'spread', 12)]);
      await waitAvailable('sched', 'spread', 12);
      const byNode = countBy(await pods('sched', 'app=spread'), (p) => p.spec.nodeName ?? '');
      assert.deepEqual(byNode, { 'node-1': 4, 'node-2': 4, 'node-3': 4 });
      await client.delete('Deployment', 'spread', 'sched');
    });

    it('places pods only on nodes matching their nodeSelector', async () => {
      await client.apply([deployment('sched', 'ssd', 4, { nodeSelector: { disk: 'ssd' } })]);
      await waitAvailable('sched', 'ssd', 4);
      assert.deepEqual(countBy(await pods('sched', 'app=ssd'), (p) => p.spec.nodeName ?? ''), { 'node-1': 4 });
      await client.delete('Deployment', 'ssd', 'sched');
    });

    it('keeps pods without a matching toleration off a NoSchedule-tainted node', async () => {
      const taint = async (on: boolean) => {
        const n = await client.get<Node>('Node', 'node-3');
        const others = (n.spec?.taints ?? []).filter((t) => t.key !== 'dedicated');
        await client.update({ ...n, spec: { ...n.spec, taints: on ? [...others, { key: 'dedicated', value: 'db', effect: 'NoSchedule' }] : others } });
      };
      await taint(true);
      try {
        await client.apply([
          deployment('sched', 'plain', 6),
          deployment('sched', 'tolerant', 6, { nodeSelector: { 'kubernetes.io/hostname': 'node-3' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] }),
        ]);
        await waitAvailable('sched', 'plain', 6);
        await waitAvailable('sched', 'tolerant', 6);
        const plain = countBy(await pods('sched', 'app=plain'), (p) => p.spec.nodeName ?? '');
        assert.equal(plain['node-3'], undefined, `no untolerating pod on the tainted node: ${JSON.stringify(plain)}`);
        assert.deepEqual(countBy(await pods('sched', 'app=tolerant'), (p) => p.spec.nodeName ?? ''), { 'node-3': 6 });
      } finally {
        await taint(false);
        await client.delete('Deployment', 'plain', 'sched').catch(() => undefined);
        await client.delete('Deployment', 'tolerant', 'sched').catch(() => undefined);
      }
    });

    it('explains why a pod that fits nowhere stays Pending, in its condition and in kite describe', async () => {
      await client.apply([
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'huge', namespace: 'sched' }, spec: { containers: [{ name: 'main', image: 'busybox:1', resources: { requests: { memory: '100Gi' } } }] } } as Pod,
      ]);
      const expected = '0/3 nodes are available: 3 Insufficient memory.';
      await until('FailedScheduling condition', async () => {
        const p = await client.get<Pod>('Pod', 'huge', 'sched');
        const c = p.status?.conditions?.find((x) => x.type === 'PodScheduled');
        return c?.status === 'False' && c.message === expected;
      });
      const p = await client.get<Pod>('Pod', 'huge', 'sched');
      assert.equal(p.spec.nodeName ?? '', '');
      assert.equal(p.status?.phase, 'Pending');
      const out = await cli(['describe', 'pod', 'huge', '-n', 'sched']);
      assert.equal(out.code, 0, out.stderr);
      assert.ok(out.stdout.includes(expected), out.stdout);
      await client.delete('Pod', 'huge', 'sched');
    });

    it('stops placing new pods on a cordoned node, and places them again after uncordon', async () => {
      const c = await cli(['cordon', 'node-2']);
      assert.equal(c.code, 0, c.stderr);
      try {
        await until('node-2 unschedulable', async () => (await client.get<Node>('Node', 'node-2')).spec?.unschedulable === true);
        await client.apply([deployment('sched', 'avoid', 6)]);
        await waitAvailable('sched', 'avoid', 6);
        const byNode = countBy(await pods('sched', 'app=avoid'), (p) => p.spec.nodeName ?? '');
        assert.equal(byNode['node-2'], undefined, JSON.stringify(byNode));
      } finally {
        const u = await cli(['uncordon', 'node-2']);
        assert.equal(u.code, 0, u.stderr);
      }
      assert.equal((await client.get<Node>('Node', 'node-2')).spec?.unschedulable ?? false, false);
      await client.delete('Deployment', 'avoid', 'sched');
    });

    it('drain evicts Deployment pods (recreated elsewhere) and leaves DaemonSet pods in place', async () => {
      const ds: DaemonSet = {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent', namespace: 'sched' },
        spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'main', image: 'busybox:1' }] } } },
      } as DaemonSet;
      await client.apply([ds, deployment('sched', 'web', 6)]);
      await waitAvailable('sched', 'web', 6);
      await until('a DaemonSet pod per node', async () => (await pods('sched', 'app=agent')).filter(isReady).length === 3);
      const before = await pods('sched', 'app=web');
      const onNode1 = before.filter((p) => p.spec.nodeName === 'node-1');
      assert.ok(onNode1.length > 0, 'spread put some web pods on node-1');
      const dsPod = (await pods('sched', 'app=agent')).find((p) => p.spec.nodeName === 'node-1')!;

      const d = await cli(['drain', 'node-1', '--timeout', '20s']);
      try {
        assert.equal(d.code, 0, d.stderr);
        const after = await waitAvailable('sched', 'web', 6).then(() => pods('sched', 'app=web'));
        assert.equal(after.filter((p) => p.spec.nodeName === 'node-1').length, 0, 'no web pod left on the drained node');
        for (const p of onNode1) assert.ok(!after.some((a) => a.metadata.uid === p.metadata.uid), `evicted ${p.metadata.name}`);
        const dsAfter = (await pods('sched', 'app=agent')).find((p) => p.spec.nodeName === 'node-1');
        assert.equal(dsAfter?.metadata.uid, dsPod.metadata.uid, 'the DaemonSet pod stays');
      } finally {
        await cli(['uncordon', 'node-1']);
        await client.delete('Deployment', 'web', 'sched').catch(() => undefined);
        await client.delete('DaemonSet', 'agent', 'sched').catch(() => undefined);
      }
    });

    it('drain of a node that does not exist fails with a clear error', async () => {
      const r = await cli(['drain', 'no-such-node']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /no-such-node/);
      assert.match(r.stderr, /not found/i);
    });
  });

  describe('rolling update', () => {
    const strategy = { strategy: { type: 'RollingUpdate' as const, rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } } };

    it('keeps at least replicas-maxUnavailable Ready and at most replicas+maxSurge pods, and rollout status succeeds', async () => {
      await client.apply([deployment('roll', 'web', 6, {}, strategy)]);
      await waitAvailable('roll', 'web', 6);
      const watch = observe('roll', 'web');
      await setImage('roll', 'web', 'busybox:2');
      const status = await cli(['rollout', 'status', 'deployment/web', '-n', 'roll', '--timeout', '30s']);
      await waitAvailable('roll', 'web', 6);
      const seen = await watch.stop();
      assert.equal(status.code, 0, status.stderr + status.stdout);
      assert.ok(seen.samples > 5, `observed the rollout (${seen.samples} samples)`);
      assert.ok(seen.minReady >= 5, `Ready pods dropped to ${seen.minReady}`);
      assert.ok(seen.maxTotal <= 7, `pods rose to ${seen.maxTotal}`);
      const ps = await pods('roll', 'app=web');
      assert.equal(ps.length, 6);
      assert.ok(ps.every((p) => p.spec.containers[0]!.image === 'busybox:2'));
    });

    it('lists revisions, and undo returns to the old template by reusing the old ReplicaSet', async () => {
      const h = await cli(['rollout', 'history', 'deployment/web', '-n', 'roll']);
      assert.equal(h.code, 0, h.stderr);
      assert.match(h.stdout, /REVISION/);
      assert.match(h.stdout, /^1\s/m);
      assert.match(h.stdout, /^2\s/m);
      const before = await replicaSetsOf('roll', 'web');
      assert.equal(before.length, 2);
      const old = before.find((rs) => rs.spec.template.spec.containers[0]!.image === 'busybox:1')!;

      const u = await cli(['rollout', 'undo', 'deployment/web', '-n', 'roll']);
      assert.equal(u.code, 0, u.stderr);
      await until('pods back on busybox:1', async () => {
        const ps = await pods('roll', 'app=web');
        return ps.length === 6 && ps.every((p) => p.spec.containers[0]!.image === 'busybox:1' && isReady(p));
      });
      await waitAvailable('roll', 'web', 6);
      const after = await replicaSetsOf('roll', 'web');
      assert.equal(after.length, 2, 'no new ReplicaSet for an old template');
      const reused = after.find((rs) => rs.metadata.uid === old.metadata.uid)!;
      assert.equal(reused.spec.replicas, 6);
      assert.equal((await client.get<Deployment>('Deployment', 'web', 'roll')).spec.template.spec.containers[0]!.image, 'busybox:1');
    });

    it('refuses undo to a revision that does not exist, writing nothing', async () => {
      const before = await client.get<Deployment>('Deployment', 'web', 'roll');
      const r = await cli(['rollout', 'undo', 'deployment/web', '-n', 'roll', '--to-revision', '99']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /revision 99/);
      const after = await client.get<Deployment>('Deployment', 'web', 'roll');
      assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    });

    for (const bad of ['-1', 'abc', '100000000']) {
      it(`refuses kite scale --replicas ${bad}, writing nothing`, async () => {
        const before = await client.get<Deployment>('Deployment', 'web', 'roll');
        const r = await cli(['scale', 'deployment/web', '-n', 'roll', `--replicas=${bad}`]);
        assert.notEqual(r.code, 0, r.stdout);
        assert.match(r.stderr, /replicas/);
        const after = await client.get<Deployment>('Deployment', 'web', 'roll');
        assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
        assert.equal(after.spec.replicas, 6);
      });
    }

    it('kite rollout status fails once the progress deadline passes with pods that never get Ready', async () => {
      await client.apply([deployment('roll', 'stuck', 2, {}, { ...strategy, progressDeadlineSeconds: 2 })]);
      await waitAvailable('roll', 'stuck', 2);
      const d = await client.get<Deployment>('Deployment', 'stuck', 'roll');
      d.spec.template.spec.containers[0]!.readinessProbe = { exec: { command: ['false'] }, periodSeconds: 1 };
      await client.update(d);
      const r = await cli(['rollout', 'status', 'deployment/stuck', '-n', 'roll', '--timeout', '30s']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /progress deadline/);
      const after = await client.get<Deployment>('Deployment', 'stuck', 'roll');
      assert.equal(after.status?.availableReplicas ?? 0, 1, 'the old pods beyond maxUnavailable keep serving');
      await client.delete('Deployment', 'stuck', 'roll');
    });
  });

  describe('Jobs', () => {
    function job(name: string, container: string, spec: Partial<Job['spec']>): Job {
      return {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name, namespace: 'jobs' },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: container, image: 'busybox:1' }] } }, ...spec },
      } as Job;
    }
    const condition = async (name: string, type: string) =>
      until(`job ${name} ${type}`, async () => {
        const j = await client.get<Job>('Job', name, 'jobs');
        return j.status?.conditions?.some((c) => c.type === type && c.status === 'True') ? j : undefined;
      }, 30_000);

    it('completes 3 completions at parallelism 2', async () => {
      await client.apply([job('three', 'done', { completions: 3, parallelism: 2 })]);
      const j = await condition('three', 'Complete');
      assert.equal(j.status?.succeeded, 3);
      assert.equal(j.status?.failed ?? 0, 0);
    });

    it('is Complete at once with completions 0', async () => {
      await client.apply([job('zero', 'done', { completions: 0 })]);
      const j = await condition('zero', 'Complete');
      assert.equal(j.status?.succeeded ?? 0, 0);
      assert.equal((await pods('jobs', 'job-name=zero')).length, 0);
    });

    it('fails once backoffLimit is exceeded', async () => {
      await client.apply([job('bad', 'crash', { completions: 1, backoffLimit: 1 })]);
      const j = await condition('bad', 'Failed');
      assert.ok((j.status?.failed ?? 0) >= 2, `failed=${j.status?.failed}`);
      assert.equal(j.status?.succeeded ?? 0, 0);
    });
  });

  describe('node loss', () => {
    it('replaces a lost node\'s pods elsewhere, and the node stops stale containers when it returns', async () => {
      await client.apply([deployment('loss', 'web', 6)]);
      await waitAvailable('loss', 'web', 6);
      const lost = nodes.get('node-3')!;
      const onLost = (await pods('loss', 'app=web')).filter((p) => p.spec.nodeName === 'node-3');
      assert.ok(onLost.length > 0);
      await lost.agent.stop(); // the agent goes away; its (fake) containers keep running

      await until('node-3 NotReady', async () => {
        const n = await client.get<Node>('Node', 'node-3');
        const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
        return ready?.status !== 'True' && n.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute');
      }, 15_000);
      await until('replacements Ready elsewhere', async () => {
        const ps = await pods('loss', 'app=web');
        return ps.length === 6 && ps.every((p) => p.spec.nodeName !== 'node-3' && isReady(p));
      }, 20_000);
      await waitAvailable('loss', 'web', 6);

      const staleUids = new Set(onLost.map((p) => p.metadata.uid));
      const running = () =>
        [...lost.executor.containers.values()].filter((c) => staleUids.has(c.info.labels[LABELS.podUid] ?? '') && c.info.state === 'running');
      assert.ok(running().length > 0, 'the stale containers still run while the agent is away');

      await addNode('node-3', { executor: lost.executor });
      await until('stale containers stopped', async () => running().length === 0, 15_000);
      const ps = await pods('loss', 'app=web');
      assert.ok(!ps.some((p) => staleUids.has(p.metadata.uid!)), 'evicted pods are not resurrected');
      // The evicted pods stayed Terminating while their node was away; the returning agent stops
      // them, reports it, and only then are they removed.
      await until('evicted pods removed', async () => {
        const all = (await client.list<Pod>('Pod', { namespace: 'loss' })).items;
        return !all.some((p) => staleUids.has(p.metadata.uid!));
      }, 15_000);
      await client.delete('Deployment', 'loss', 'loss').catch(() => undefined);
    });
  });

  describe('DaemonSet', () => {
    it('runs one pod per node, adds one for a new node, and none on a node whose taint it does not tolerate', async () => {
      const ds: DaemonSet = {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'logs', namespace: 'ds' },
        spec: { selector: { matchLabels: { app: 'logs' } }, template: { metadata: { labels: { app: 'logs' } }, spec: { containers: [{ name: 'main', image: 'busybox:1' }] } } },
      } as DaemonSet;
      await client.apply([ds]);
      const perNode = async (n: number) =>
        until(`${n} DaemonSet pods Ready`, async () => {
          const ps = await pods('ds', 'app=logs');
          return ps.length === n && ps.every(isReady) ? countBy(ps, (p) => p.spec.nodeName ?? '') : undefined;
        }, 20_000);
      assert.deepEqual(await perNode(3), { 'node-1': 1, 'node-2': 1, 'node-3': 1 });
      await addNode('node-4');
      await addNode('node-5', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
      assert.deepEqual(await perNode(4), { 'node-1': 1, 'node-2': 1, 'node-3': 1, 'node-4': 1 });
      // Settled: still nothing on the tainted node a moment later.
      await new Promise((r) => setTimeout(r, 1000));
      assert.ok(!(await pods('ds', 'app=logs')).some((p) => p.spec.nodeName === 'node-5'));
    });
  });

  describe('events', () => {
    it('kite get events shows scheduling, scaling and node events', async () => {
      const r = await cli(['get', 'events', '-A']);
      assert.equal(r.code, 0, r.stderr);
      for (const reason of ['Scheduled', 'FailedScheduling', 'ScalingReplicaSet', 'NodeNotReady']) {
        assert.match(r.stdout, new RegExp(`\\b${reason}\\b`), `${reason} in:\n${r.stdout.slice(0, 3000)}`);
      }
      const ev = (await client.list<Event>('Event', { allNamespaces: true })).items;
      assert.ok(ev.some((e) => e.reason === 'NodeNotReady' && e.involvedObject.name === 'node-3'));
    });
  });

  describe('controller failover', () => {
    const strategy = { strategy: { type: 'RollingUpdate' as const, rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } } };

    async function assertOneReplicaSetPerTemplate(ns: string, name: string) {
      const sets = await replicaSetsOf(ns, name);
      const images = sets.map((rs) => rs.spec.template.spec.containers[0]!.image);
      assert.equal(new Set(images).size, images.length, `one ReplicaSet per template: ${images.join(', ')}`);
    }

    it('completes a rollout after the controller is SIGKILLed mid-rollout and restarted', async () => {
      await client.apply([deployment('failover', 'restart', 8, {}, strategy)]);
      await waitAvailable('failover', 'restart', 8);
      const watch = observe('failover', 'restart');
      await setImage('failover', 'restart', 'busybox:2');
      await until('rollout under way', async () => (await replicaSetsOf('failover', 'restart')).length === 2);
      await ctl!.kill();
      ctl = await startPrimary('orch-2');
      client = ctl.client;
      await until('rollout finished', async () => {
        const ps = await pods('failover', 'app=restart');
        return ps.length === 8 && ps.every((p) => p.spec.containers[0]!.image === 'busybox:2' && isReady(p));
      }, 30_000);
      await waitAvailable('failover', 'restart', 8);
      const seen = await watch.stop();
      assert.ok(seen.maxTotal <= 9, `pods rose to ${seen.maxTotal}`);
      await assertOneReplicaSetPerTemplate('failover', 'restart');
    });

    it('with two controllers only the leader acts, and the standby finishes a rollout when the leader dies', async () => {
      standby = await startController({ etcd: etcd!.endpoint, prefix: PREFIX, id: 'orch-standby', nodeGraceSeconds: NODE_GRACE_SECONDS, heartbeatMs: HEARTBEAT_MS, leaderTtlSeconds: 2 });
      await client.apply([deployment('failover', 'pair', 8, {}, strategy)]);
      await waitAvailable('failover', 'pair', 8);
      const watch = observe('failover', 'pair');
      await setImage('failover', 'pair', 'busybox:2');
      await waitAvailable('failover', 'pair', 8);
      await assertOneReplicaSetPerTemplate('failover', 'pair');

      await setImage('failover', 'pair', 'busybox:3');
      await until('rollout under way', async () => (await replicaSetsOf('failover', 'pair')).length === 3);
      // The hollow nodes are connected to the leader's address: bring a fresh (standby) controller
      // up there right away so they reconnect, while the other controller takes over leadership.
      await ctl!.kill();
      ctl = await startPrimary('orch-3');
      client = ctl.client;
      await until('rollout finished', async () => {
        const ps = await pods('failover', 'app=pair');
        return ps.length === 8 && ps.every((p) => p.spec.containers[0]!.image === 'busybox:3' && isReady(p));
      }, 30_000);
      await waitAvailable('failover', 'pair', 8);
      const seen = await watch.stop();
      assert.ok(seen.maxTotal <= 9, `pods rose to ${seen.maxTotal}`);
      await assertOneReplicaSetPerTemplate('failover', 'pair');
      const v = await standby.client.version();
      assert.match(JSON.stringify(v), /orch-standby/, 'the standby leads now');
    });
  });
});
