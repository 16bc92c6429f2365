// Compose depends_on through scheduling gates, as users see it: a real etcd, a real controller
// process and a hollow node (an in-process agent on the fake runtime). Two Deployments, as the
// Compose converter writes them: web depends on db with service_healthy, so web's pods stay
// SchedulingGated (unscheduled, no FailedScheduling) until db's pod is Ready.
import { joinCredentials } from '../harness/credentials';
import assert from 'node:assert/strict';
import type { Deployment, Event, KObject, Node, Pod } from '../../common/api/types';
import { isNodeReady } from '../../common/api/node';
import type { KiteClient } from '../../common/client';
import { silentLogger } from '../../common/log';
import { Agent } from '../../node-agent/agent';
import { FakeExecutor } from '../../node-agent/executor/fake';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { startController, eventually, kite, type ControllerHandle } from '../harness/processes';
import { freePort } from '../harness/ports';
import { requireCommand } from '../harness/require';

const NS = 'shop';
const SERVICE = 'com.docker.compose.service';
const GATE = 'kite.io/depends-on';

function composeDeployment(service: string, replicas: number, extra: { gated?: unknown[]; readinessCommand?: string[] } = {}): Deployment {
  const labels = { [SERVICE]: service };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: service, namespace: NS, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, ...(extra.gated ? { annotations: { [GATE]: JSON.stringify(extra.gated) } } : {}) },
        spec: {
          containers: [{ name: 'main', image: 'busybox:1', ...(extra.readinessCommand ? { readinessProbe: { exec: { command: extra.readinessCommand }, periodSeconds: 1 } } : {}) }],
          ...(extra.gated ? { schedulingGates: [{ name: GATE }] } : {}),
        },
      },
    },
  };
}

describe('Compose depends_on (integration: etcd + controller + hollow node)', function () {
  this.timeout(60_000);
  let etcd: EtcdHandle | undefined;
  let ctl: ControllerHandle | undefined;
  let agent: Agent | undefined;
  let client: KiteClient;
  let grpcPort = 0;
  /** What db's readiness probe answers: it stays unhealthy until the test says so. */
  let dbHealthy = false;

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    etcd = await startEtcd();
    grpcPort = await freePort();
    ctl = await startController({ etcd: etcd.endpoint, prefix: `/kite-it-depends-on-${process.pid}`, id: 'depends-on-1', grpcPort });
    client = ctl.client;
    const server = `127.0.0.1:${grpcPort}`;
    const executor = new FakeExecutor('node-1');
    executor.execHandler = (_id, cmd) => ({ exitCode: cmd[0] === 'db-healthcheck' && !dbHealthy ? 1 : 0 });
    agent = new Agent({ controller: server, name: 'node-1', runtime: 'fake', executor, cpuMillis: 8000, memoryBytes: 8 * 2 ** 30, maxPods: 110, log: silentLogger, defaultMetrics: false, ...joinCredentials(server) });
    await agent.start();
    await eventually(async () => isNodeReady(await client.get<Node>('Node', 'node-1')), 15_000, 'node-1 Ready');
    await client.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } as KObject]);
  });

  after(async function () {
    this.timeout(30_000);
    await agent?.stop().catch(() => undefined);
    await ctl?.stop();
    await etcd?.stop();
  });

  const podsOf = async (service: string) => (await client.list<Pod>('Pod', { namespace: NS, labelSelector: `${SERVICE}=${service}` })).items;
  const isReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

  it('holds web SchedulingGated until db is healthy, then schedules and runs it', async () => {
    await client.apply([
      composeDeployment('db', 1, { readinessCommand: ['db-healthcheck'] }),
      composeDeployment('web', 2, { gated: [{ service: 'db', condition: 'service_healthy' }] }),
    ]);
    // db runs but is not healthy; web's pods exist, gated and marked so.
    await eventually(async () => (await podsOf('db')).some((p) => p.status?.phase === 'Running'), 20_000, 'db running');
    const gated = await eventually(async () => {
      const web = await podsOf('web');
      return web.length === 2 && web.every((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) && web;
    }, 20_000, 'web pods SchedulingGated');
    for (const p of gated) {
      assert.equal(p.spec.nodeName, undefined);
      assert.deepEqual(p.spec.schedulingGates, [{ name: GATE }]);
    }
    const table = await kite(`127.0.0.1:${grpcPort}`, ['get', 'pods', '-n', NS, '-l', `${SERVICE}=web`]);
    assert.equal(table.code, 0, table.stderr);
    assert.equal(table.stdout.trim().split('\n').slice(1).filter((l) => /\sSchedulingGated\s/.test(l)).length, 2, table.stdout);

    // A while later (several probe periods), still held back: db is still unhealthy.
    await new Promise((r) => setTimeout(r, 2_000));
    assert.ok((await podsOf('web')).every((p) => !p.spec.nodeName), 'web stays unscheduled while db is unhealthy');
    assert.ok((await podsOf('db')).every((p) => !isReady(p)));

    dbHealthy = true;
    await eventually(async () => {
      const web = await podsOf('web');
      return web.length === 2 && web.every((p) => p.spec.nodeName === 'node-1' && isReady(p));
    }, 20_000, 'web scheduled and Ready after db became healthy');

    const events = (await client.list<Event>('Event', { namespace: NS })).items.filter((e) => e.involvedObject.kind === 'Pod' && e.involvedObject.name.startsWith('web-'));
    const reasons = new Set(events.map((e) => e.reason));
    assert.ok(reasons.has('WaitingForDependencies') && reasons.has('DependenciesReady'), [...reasons].join(','));
    assert.ok(!reasons.has('FailedScheduling'), 'a gated pod is not unschedulable');
    assert.match(events.find((e) => e.reason === 'WaitingForDependencies')!.message ?? '', /service "db" to be healthy/);
  });
});
