// Services as users see them on a real etcd, a real controller process and hollow nodes: cluster
// IPs and node ports allocated at create (refused when outside the range or taken, freed at
// delete), headless services, Endpoints following pod readiness, LoadBalancer ingress from the
// nodes, and a controller that refuses overlapping address ranges. The allocators themselves
// (pod subnets, races between controllers, exhaustion) are checked in-process on the same etcd.
import { joinCredentials } from '../harness/credentials';
import assert from 'node:assert/strict';
import { Etcd3 } from 'etcd3';
import type { Deployment, Endpoints, KObject, Service } from '../../common/api/types';
import type { KiteClient } from '../../common/client';
import { isKiteError } from '../../common/errors';
import { silentLogger } from '../../common/log';
import { Agent } from '../../node-agent/agent';
import { FakeExecutor } from '../../node-agent/executor/fake';
import { LABELS } from '../../node-agent/executor/types';
import { KeyLayout } from '../../controller/store/keys';
import { parseCidr } from '../../controller/network/ipv4';
import { PodCidrAllocator } from '../../controller/network/pod-cidr-allocator';
import { RangeFullError } from '../../controller/network/allocation-pool';
import { AllocationRepair } from '../../controller/network/allocation-repair';
import { NodePortAllocator, ServiceIPAllocator } from '../../controller/network/service-addresses';
import { EtcdStore } from '../../controller/store/etcd-store';
import { SharedInformers } from '../../controller/informers';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { eventually, kite, launch, startController, type ControllerHandle } from '../harness/processes';

const PREFIX = '/kite-it-services';
const GiB = 2 ** 30;

function service(name: string, spec: Partial<Service['spec']>, ns = 'default'): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec } } as Service;
}

/** Pods that are Ready unless their name is in `unready` (the fake engine answers the readiness probe). */
function backend(name: string, replicas: number): Deployment {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'busybox:1', ports: [{ name: 'web', containerPort: 8080 }], readinessProbe: { exec: { command: ['ready'] }, periodSeconds: 1 } }] },
      },
    },
  } as Deployment;
}

describe('Services (integration: etcd + controller + hollow nodes)', function () {
  this.timeout(60_000);
  let etcd: EtcdHandle | undefined;
  let ctl: ControllerHandle | undefined;
  let client: KiteClient;
  const agents: Agent[] = [];
  const executors: FakeExecutor[] = [];
  /** Pod names whose readiness probe fails. */
  const unready = new Set<string>();

  const apply = async (...objs: KObject[]) => (await client.apply(objs)).results;
  const get = <T extends KObject>(kind: string, name: string, ns = 'default') => client.get<T>(kind, name, ns);
  const applyError = async (obj: KObject): Promise<string> => {
    try {
      await apply(obj);
    } catch (e) {
      assert.ok(isKiteError(e, 'Invalid'), String(e));
      return e.message;
    }
    assert.fail(`${obj.kind} ${obj.metadata.name} was accepted`);
  };

  before(async () => {
    etcd = await startEtcd();
    ctl = await startController({ etcd: etcd.endpoint, prefix: PREFIX, heartbeatMs: 500 });
    client = ctl.client;
    for (const [i, name] of ['svc-node-1', 'svc-node-2'].entries()) {
      const executor = new FakeExecutor(name);
      executor.execHandler = (id) => {
        const pod = executor.containers.get(id)?.info.labels[LABELS.podName] ?? '';
        return { exitCode: unready.has(pod) ? 1 : 0 };
      };
      const agent = new Agent({ controller: ctl.target, name, runtime: 'fake', executor, address: `127.0.0.${i + 2}`, cpuMillis: 8000, memoryBytes: 8 * GiB, maxPods: 110, log: silentLogger, defaultMetrics: false, ...joinCredentials(ctl.target) });
      await agent.start();
      agents.push(agent);
      executors.push(executor);
    }
  });

  after(async () => {
    for (const a of agents) await a.stop().catch(() => undefined);
    await ctl?.stop();
    await etcd?.stop();
  });

  it('gives two services different cluster IPs from the service range, never its network address or .1', async () => {
    await apply(service('alpha', {}), service('beta', {}));
    const a = await get<Service>('Service', 'alpha');
    const b = await get<Service>('Service', 'beta');
    for (const ip of [a.spec.clusterIP!, b.spec.clusterIP!]) {
      assert.match(ip, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/, `${ip} is in 10.96.0.0/12`);
      assert.ok(!['10.96.0.0', '10.96.0.1'].includes(ip), ip);
    }
    assert.notEqual(a.spec.clusterIP, b.spec.clusterIP);
    assert.equal((await apply(service('alpha', {})))[0]!.action, 'unchanged', 're-applying without clusterIP keeps the one allocated');
  });

  it('refuses a requested cluster IP outside the range or already taken, naming the field', async () => {
    assert.match(await applyError(service('outside', { clusterIP: '10.0.0.5' })), /spec\.clusterIP: Invalid value: "10\.0\.0\.5": provided IP is not in the valid range\. The range of valid IPs is 10\.96\.0\.0\/12/);
    await apply(service('fixed', { clusterIP: '10.96.7.7' }));
    assert.equal((await get<Service>('Service', 'fixed')).spec.clusterIP, '10.96.7.7');
    assert.match(await applyError(service('thief', { clusterIP: '10.96.7.7' })), /spec\.clusterIP: Invalid value: "10\.96\.7\.7": provided IP is already allocated/);
    await assert.rejects(client.get('Service', 'thief', 'default'), (e: unknown) => isKiteError(e, 'NotFound'), 'nothing was created');
  });

  it('dry-run allocates nothing', async () => {
    await client.apply([service('dry', { clusterIP: '10.96.9.9' })], true);
    await apply(service('wet', { clusterIP: '10.96.9.9' }));
    assert.equal((await get<Service>('Service', 'wet')).spec.clusterIP, '10.96.9.9');
  });

  it('a headless service keeps clusterIP None and takes no address', async () => {
    await apply(service('headless', { clusterIP: 'None' }));
    assert.equal((await get<Service>('Service', 'headless')).spec.clusterIP, 'None');
    assert.match(await applyError(service('headless-np', { clusterIP: 'None', type: 'NodePort' })), /spec\.clusterIP: Invalid value: "None": may not be set to 'None' for NodePort services/);
  });

  it('gives NodePort services a node port per port, the one asked for, and refuses one taken naming its holder', async () => {
    await apply(service('np-auto', { type: 'NodePort' }));
    const auto = (await get<Service>('Service', 'np-auto')).spec.ports![0]!.nodePort!;
    assert.ok(auto >= 30000 && auto <= 32767, String(auto));
    await apply(service('np-fixed', { type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }] }));
    assert.equal((await get<Service>('Service', 'np-fixed')).spec.ports![0]!.nodePort, 30080);
    assert.match(
      await applyError(service('np-thief', { type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }] })),
      /spec\.ports\[0\]\.nodePort: Invalid value: 30080: provided port is already allocated \(by service default\/np-fixed\)/,
    );
    // A re-apply that omits the node port keeps it; turning into ClusterIP gives it back.
    await apply(service('np-auto', { type: 'NodePort' }));
    assert.equal((await get<Service>('Service', 'np-auto')).spec.ports![0]!.nodePort, auto);
    await apply(service('np-auto', { type: 'ClusterIP' }));
    assert.equal((await get<Service>('Service', 'np-auto')).spec.ports![0]!.nodePort, undefined);
    await apply(service('np-reuse', { type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: auto }] }));
  });

  it('a ClusterIP service that becomes NodePort gets its node ports then', async () => {
    await apply(service('grow', {}));
    const before = await get<Service>('Service', 'grow');
    await apply(service('grow', { type: 'LoadBalancer' }));
    const after = await get<Service>('Service', 'grow');
    assert.equal(after.spec.clusterIP, before.spec.clusterIP);
    assert.ok(after.spec.ports![0]!.nodePort! >= 30000);
  });

  it('frees a deleted service\'s cluster IP and node port for reuse', async () => {
    await apply(service('first', { type: 'NodePort', clusterIP: '10.96.8.8', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30888 }] }));
    await client.delete('Service', 'first', 'default');
    await apply(service('second', { type: 'NodePort', clusterIP: '10.96.8.8', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30888 }] }));
    const second = await get<Service>('Service', 'second');
    assert.equal(second.spec.clusterIP, '10.96.8.8');
    assert.equal(second.spec.ports![0]!.nodePort, 30888);
  });

  it('keeps Endpoints: ready pods in addresses, an unready one moved to notReadyAddresses and back', async () => {
    await apply(backend('web', 3), service('web', { ports: [{ name: 'http', port: 80, targetPort: 'web' }] }));
    const ep = await eventually(async () => {
      const e = await get<Endpoints>('Endpoints', 'web').catch(() => undefined);
      return (e?.subsets?.[0]?.addresses?.length ?? 0) === 3 ? e : undefined;
    }, 20_000, 'three ready endpoints');
    assert.deepEqual(ep.subsets![0]!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }], 'the named targetPort resolves to the container port');
    const victim = ep.subsets![0]!.addresses![0]!;
    assert.equal(victim.targetRef?.kind, 'Pod');
    assert.ok(victim.nodeName?.startsWith('svc-node-'));
    unready.add(victim.targetRef!.name);
    await eventually(async () => {
      const e = await get<Endpoints>('Endpoints', 'web');
      const ready = e.subsets?.flatMap((s) => s.addresses ?? []).map((a) => a.targetRef?.name) ?? [];
      const notReady = e.subsets?.flatMap((s) => s.notReadyAddresses ?? []).map((a) => a.targetRef?.name) ?? [];
      return ready.length === 2 && !ready.includes(victim.targetRef!.name) && notReady.includes(victim.targetRef!.name);
    }, 20_000, 'the unready pod out of addresses');
    unready.delete(victim.targetRef!.name);
    await eventually(async () => ((await get<Endpoints>('Endpoints', 'web')).subsets?.[0]?.addresses?.length ?? 0) === 3, 20_000, 'back in rotation');
    const listed = await kite(ctl!.target, ['get', 'endpoints', 'web']);
    assert.match(listed.stdout, /^web\s+(\d+\.\d+\.\d+\.\d+:8080,){2}\d+\.\d+\.\d+\.\d+:8080\s/m);
  });

  it('a selector that matches nothing gives Endpoints without subsets, and describe says <none>', async () => {
    await apply(service('lonely', { selector: { app: 'nobody' } }));
    await eventually(async () => (await get<Endpoints>('Endpoints', 'lonely').catch(() => undefined)) !== undefined, 10_000, 'Endpoints created');
    assert.deepEqual((await get<Endpoints>('Endpoints', 'lonely')).subsets ?? [], []);
    const out = await kite(ctl!.target, ['describe', 'service', 'lonely']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /\nEndpoints:\s+<none>\n/);
  });

  it('leaves the Endpoints of a service without selector to the user', async () => {
    const manual = service('external', {});
    delete manual.spec.selector;
    await apply(manual, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external', namespace: 'default' }, subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ name: 'http', port: 8080 }] }] } as Endpoints);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await get<Endpoints>('Endpoints', 'external')).subsets?.[0]?.addresses?.[0]?.ip, '192.0.2.10');
  });

  it('lists every Ready node\'s address as a LoadBalancer service\'s ingress, shown as EXTERNAL-IP', async () => {
    await apply(service('lb', { type: 'LoadBalancer' }));
    const svc = await eventually(async () => {
      const s = await get<Service>('Service', 'lb');
      return (s.status?.loadBalancer?.ingress?.length ?? 0) === 2 ? s : undefined;
    }, 15_000, 'two ingress addresses');
    assert.deepEqual(svc.status!.loadBalancer!.ingress, [{ ip: '127.0.0.2' }, { ip: '127.0.0.3' }]);
    const out = await kite(ctl!.target, ['get', 'svc', 'lb']);
    assert.match(out.stdout, /^lb\s+LoadBalancer\s+10\.\S+\s+127\.0\.0\.2,127\.0\.0\.3\s+80:3\d{4}\/TCP/m);
  });

  it('refuses to start with overlapping --cluster-cidr and --service-cidr', async () => {
    const p = launch('controller/main.ts', ['--etcd', etcd!.endpoint, '--etcd-prefix', '/kite-it-bad', '--cluster-cidr', '10.96.0.0/16', '--service-cidr', '10.96.0.0/12']);
    const code = await p.exited;
    assert.notEqual(code, 0);
    const { readFileSync } = await import('node:fs');
    assert.match(readFileSync(p.logFile, 'utf8'), /--cluster-cidr 10\.96\.0\.0\/16 and --service-cidr 10\.96\.0\.0\/12 overlap/);
  });
});

describe('Pod CIDR allocator (integration: etcd)', function () {
  this.timeout(30_000);
  let etcd: EtcdHandle | undefined;
  let client: Etcd3;
  const keys = new KeyLayout('/kite-it-podcidr');

  before(async () => {
    etcd = await startEtcd();
    client = new Etcd3({ hosts: [etcd.endpoint] });
  });
  after(async () => {
    client?.close();
    await etcd?.stop();
  });

  it('gives each node its own /24 and the same one again when asked twice', async () => {
    const a = new PodCidrAllocator(client, keys, parseCidr('10.244.0.0/16', 'test'));
    const first = await a.allocate('n1');
    assert.equal(first, '10.244.0.0/24');
    assert.equal(await a.allocate('n1'), first);
    assert.equal(await a.allocate('n2'), '10.244.1.0/24');
    const stored = await client.get(keys.allocationPool('podcidrs') + '10.244.1.0-24').string();
    assert.equal(stored, 'n2', 'one key per subnet, the node name as value');
  });

  it('never gives two racing controllers the same subnet, nor one node two subnets', async () => {
    const k = new KeyLayout('/kite-it-podcidr-race');
    const controllers = [0, 1, 2].map(() => new PodCidrAllocator(client, k, parseCidr('10.250.0.0/16', 'test')));
    const nodes = Array.from({ length: 12 }, (_, i) => `race-${i}`);
    // Every controller allocates for every node at once.
    const results = await Promise.all(controllers.flatMap((c) => nodes.map(async (n) => [n, await c.allocate(n)] as const)));
    const byNode = new Map<string, Set<string>>();
    for (const [n, s] of results) byNode.set(n, (byNode.get(n) ?? new Set()).add(s));
    for (const [n, set] of byNode) assert.equal(set.size, 1, `${n} got ${[...set].join(', ')}`);
    const subnets = [...byNode.values()].map((s) => [...s][0]);
    assert.equal(new Set(subnets).size, nodes.length, 'no subnet given twice');
  });

  it('says the range is full naming it and its size, and reuses a released subnet', async () => {
    const k = new KeyLayout('/kite-it-podcidr-full');
    const a = new PodCidrAllocator(client, k, parseCidr('10.9.0.0/23', 'test'));
    await a.allocate('x');
    await a.allocate('y');
    await assert.rejects(a.allocate('z'), (e: unknown) => e instanceof RangeFullError && /--cluster-cidr 10\.9\.0\.0\/23 holds 2 node subnets \(\/24\) and all are allocated/.test(e.message));
    const ys = await a.subnetOf('y');
    await a.release('y');
    assert.equal(await a.subnetOf('y'), undefined);
    assert.equal(await a.allocate('z'), ys);
  });
});


describe('Allocation repair (integration: etcd)', function () {
  this.timeout(30_000);
  let etcd: EtcdHandle | undefined;
  let store: EtcdStore;
  let informers: SharedInformers;
  const keys = new KeyLayout('/kite-it-repair');

  before(async () => {
    etcd = await startEtcd();
    store = new EtcdStore({ client: new Etcd3({ hosts: [etcd.endpoint] }), keys });
    await store.hub.start();
    informers = new SharedInformers(store, silentLogger);
    informers.start();
  });
  after(async () => {
    informers?.stop();
    await store?.close();
    await etcd?.stop();
  });

  it('releases a leak on the second sweep that finds it, records a pending uid, and re-records an allocation that went missing', async () => {
    const ips = new ServiceIPAllocator(store.client, keys, parseCidr('10.96.0.0/12', 'test'));
    const ports = new NodePortAllocator(store.client, keys);
    const podCidrs = new PodCidrAllocator(store.client, keys, parseCidr('10.244.0.0/16', 'test'));
    const live = await store.create<Service>(service('live', { clusterIP: '10.96.0.20', type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30020 }] }));
    await ips.pool.claim('10.96.0.20', 'default/live/'); // allocated while being created: no uid yet
    await ips.pool.claim('10.96.0.99', 'default/gone/old-uid'); // its service is gone
    await podCidrs.allocate('ghost-node'); // a node that does not exist
    const repair = new AllocationRepair({ informers, podCidrs, serviceIPs: ips.pool, nodePorts: ports.pool, log: silentLogger });
    await informers.synced(['Service', 'Node']);
    await eventually(async () => informers.get('Service').get('default/live') !== undefined, 5000, 'service cached');

    await repair.sweep();
    assert.equal((await ips.pool.get('10.96.0.20'))?.holder, `default/live/${live.metadata.uid}`, 'the uid is recorded');
    assert.equal((await ports.pool.get('30020'))?.holder, `default/live/${live.metadata.uid}`, 'an unrecorded node port in use is recorded');
    assert.ok(await ips.pool.get('10.96.0.99'), 'a leak survives the first sweep that finds it');
    assert.equal(await podCidrs.subnetOf('ghost-node'), '10.244.0.0/24');

    await repair.sweep();
    assert.equal(await ips.pool.get('10.96.0.99'), undefined, 'released on the second sweep');
    assert.equal(await podCidrs.subnetOf('ghost-node'), undefined);
    assert.equal((await podCidrs.subnets.list()).size, 0);
    assert.ok(await ips.pool.get('10.96.0.20'), 'what is in use stays');
  });
});
