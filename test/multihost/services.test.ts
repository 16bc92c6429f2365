// Services across three real hosts (network namespaces, each with its own dockerd and kite-agent):
// a virtual IP load-balances over pods on every host, every DNS form resolves inside a pod,
// NodePort and LoadBalancer answer at every host's address from outside the hosts, an unready
// pod drops out of rotation, a headless service resolves to pod IPs, a pod reaches itself
// through its own service (hairpin), a service without endpoints refuses at once, and pods get
// the service environment variables.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import type { Endpoints, Pod, Service } from '../../common/api/types';
import { eventually, NS, podReady, requireHostTools, startCluster, type MultiHostCluster } from './fixture';

const ENGINE_ENV = { ...process.env, DOCKER_API_VERSION: '1.41' };

/** A backend on one host: httpd answering /name with its own pod name; Ready while /tmp/ready exists. */
const backend = (name: string, node: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: NS, labels: { app: 'echo' } },
  spec: {
    nodeName: node,
    terminationGracePeriodSeconds: 1,
    containers: [
      {
        name: 'web',
        image: 'kite-test/busybox:1',
        command: ['sh', '-c', `echo ${name} > /www/name; touch /tmp/ready; exec httpd -f -p 80 -h /www`],
        ports: [{ name: 'http', containerPort: 80 }],
        readinessProbe: { exec: { command: ['test', '-f', '/tmp/ready'] }, periodSeconds: 1 },
      },
    ],
  },
});

const svc = (name: string, spec: Service['spec']): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec });

describe('Services on three hosts (multi-host)', function () {
  this.timeout(120_000);
  let c: MultiHostCluster | undefined;
  const cluster = () => c!;
  const hosts = () => cluster().hosts.hosts;

  /** Runs a shell command in a pod's container through its host's engine (faster than kite exec). */
  async function inPod(podName: string, cmd: string, timeoutMs = 30_000): Promise<string> {
    const pod = await cluster().client().get<Pod>('Pod', podName, NS);
    const h = cluster().host(pod.spec.nodeName!);
    const ids = (await cluster().runningOn(h)).get(pod.metadata.uid!);
    if (!ids?.length) throw new Error(`${podName} has no running container on ${h.name}`);
    return execFileSync('docker', ['-H', `unix://${h.socket}`, 'exec', ids[0]!, 'sh', '-c', cmd], { env: ENGINE_ENV, timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  }

  /** Runs a host command (curl) inside a pod's network namespace, for precise timings. */
  async function inPodNetns(podName: string, cmd: string[]): Promise<{ code: number; stdout: string }> {
    const pod = await cluster().client().get<Pod>('Pod', podName, NS);
    const h = cluster().host(pod.spec.nodeName!);
    const ids = (await cluster().runningOn(h)).get(pod.metadata.uid!);
    if (!ids?.length) throw new Error(`${podName} has no running container on ${h.name}`);
    const pid = execFileSync('docker', ['-H', `unix://${h.socket}`, 'inspect', '-f', '{{.State.Pid}}', ids[0]!], { env: ENGINE_ENV }).toString().trim();
    const r = spawnSync('nsenter', ['-t', pid, '-n', ...cmd], { timeout: 30_000 });
    return { code: r.status ?? -1, stdout: r.stdout.toString() };
  }

  /** n requests from a pod to a URL; the bodies (a failed request gives "FAIL"). */
  async function requests(from: string, url: string, n: number): Promise<string[]> {
    const out = await inPod(from, `for i in $(seq ${n}); do timeout 3 wget -qO- ${url} || echo FAIL; done`, 30_000 + n * 3000);
    return out.split('\n').map((l) => l.trim()).filter(Boolean);
  }

  const serviceOf = (name: string) => cluster().client().get<Service>('Service', name, NS);
  const readyIPs = async (name: string) => {
    try {
      const ep = await cluster().client().get<Endpoints>('Endpoints', name, NS);
      return (ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort();
    } catch {
      return [];
    }
  };

  before(async function () {
    this.timeout(240_000);
    requireHostTools(this);
    c = await startCluster({ hosts: 3, controllers: 1, nodeGraceSeconds: 3, heartbeatMs: 500 });
    await eventually(async () => (await c!.client().list('Node')).items.length === 3, 30_000, 'three nodes registered');
    const hs = c.hosts.hosts;
    await c.client().apply([
      ...hs.map((h, i) => backend(`echo-${i}`, h.name)),
      svc('echo', { selector: { app: 'echo' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }),
      svc('echo-np', { type: 'NodePort', selector: { app: 'echo' }, ports: [{ port: 80, targetPort: 80 }] }),
      svc('echo-lb', { type: 'LoadBalancer', selector: { app: 'echo' }, ports: [{ port: 8080, targetPort: 80 }] }),
      svc('echo-headless', { clusterIP: 'None', selector: { app: 'echo' }, ports: [{ name: 'http', port: 80 }] }),
      svc('nothing', { selector: { app: 'nothing' }, ports: [{ port: 80 }] }),
    ]);
    await eventually(async () => (await c!.pods('app=echo')).filter(podReady).length === 3, 90_000, 'three echo pods ready');
    await eventually(async () => (await readyIPs('echo')).length === 3, 30_000, 'echo endpoints list three pods');
    // The client comes after the services, so it gets their environment variables.
    const client: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'client', namespace: NS },
      spec: { nodeName: hs[0]!.name, terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'kite-test/busybox:1', command: ['sleep', '3600'] }] },
    };
    await c.client().apply([client]);
    await eventually(async () => (await c!.pods()).some((p) => p.metadata.name === 'client' && p.status?.phase === 'Running'), 60_000, 'client running');
  });

  after(async () => {
    await c?.teardown();
  });

  it('load-balances a service over pods on several hosts, from a pod on host A', async () => {
    const bodies = await eventually(
      async () => {
        const got = await requests('client', 'http://echo/name', 30);
        return got.every((b) => b !== 'FAIL') && new Set(got).size >= 2 ? got : undefined;
      },
      30_000,
      'the echo service answering from at least two backends',
    );
    assert.ok(bodies.every((b) => /^echo-\d$/.test(b)), bodies.join(','));
  });

  it('resolves every DNS form of a service inside a pod', async () => {
    for (const name of ['echo', 'echo.default', 'echo.default.svc', 'echo.default.svc.cluster.local']) {
      const out = await eventually(
        async () => {
          const got = await requests('client', `http://${name}/name`, 1);
          return got[0] !== 'FAIL' ? got[0] : undefined;
        },
        15_000,
        `${name} resolving and answering`,
      );
      assert.match(out, /^echo-\d$/, name);
    }
  });

  it('resolves a headless service to the pods\' own IPs', async () => {
    const podIPs = await readyIPs('echo-headless');
    assert.equal(podIPs.length, 3);
    // busybox wget says where it connects: "Connecting to NAME (IP:PORT)".
    const out = await inPod('client', 'timeout 3 wget -O- http://echo-headless/name 2>&1 || true');
    const ip = /Connecting to echo-headless \(([\d.]+):80\)/.exec(out)?.[1];
    assert.ok(ip && podIPs.includes(ip), `connected to ${ip}, pods are ${podIPs.join(',')}: ${out}`);
  });

  it('answers NodePort and LoadBalancer ports at every host\'s address from outside the hosts', async () => {
    const np = (await serviceOf('echo-np')).spec.ports![0]!.nodePort;
    assert.ok(np && np >= 30000 && np <= 32767, `nodePort ${np}`);
    const curl = (url: string) => {
      try {
        return execFileSync('curl', ['-sf', '-m', '3', url], { stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
      } catch {
        return undefined;
      }
    };
    for (const h of hosts()) {
      for (const url of [`http://${h.ip}:${np}/name`, `http://${h.ip}:8080/name`]) {
        const body = await eventually(() => curl(url), 20_000, `${url} from the root namespace`);
        assert.match(body, /^echo-\d$/, url);
      }
    }
    const lb = await eventually(async () => {
      const ingress = (await serviceOf('echo-lb')).status?.loadBalancer?.ingress ?? [];
      return ingress.length === 3 ? ingress.map((i) => i.ip).sort() : undefined;
    }, 20_000, 'node addresses in the LoadBalancer status');
    assert.deepEqual(lb, hosts().map((h) => h.ip).sort());
  });

  it('reaches a service from the node itself', async () => {
    const vip = (await serviceOf('echo')).spec.clusterIP!;
    const body = await eventually(() => {
      try {
        return cluster().hosts.exec(hosts()[1]!, ['curl', '-sf', '-m', '3', `http://${vip}/name`]).trim();
      } catch {
        return undefined;
      }
    }, 20_000, 'the virtual IP from host B');
    assert.match(body, /^echo-\d$/);
  });

  it('lets a pod reach itself through its own service (hairpin)', async () => {
    // With three backends, 30 requests all miss echo-0 with probability (2/3)^30: never in practice.
    const got = await requests('echo-0', 'http://echo/name', 30);
    assert.ok(!got.includes('FAIL'), `every request answered: ${got.join(',')}`);
    assert.ok(got.includes('echo-0'), `some requests landed on the caller itself: ${got.join(',')}`);
  });

  it('refuses connections to a service without endpoints at once', async () => {
    const vip = (await serviceOf('nothing')).spec.clusterIP!;
    // curl in the client pod's network namespace: exit 7 is "connection refused"; timed precisely.
    for (let i = 0; i < 3; i++) {
      const r = await inPodNetns('client', ['curl', '-s', '-o', '/dev/null', '-m', '5', '-w', '%{time_total}', `http://${vip}/`]);
      assert.equal(r.code, 7, `connection refused, not a timeout (exit ${r.code})`);
      assert.ok(Number(r.stdout) < 0.5, `refused after ${r.stdout}s, not at once`);
    }
  });

  it('gives pods the service environment variables', async () => {
    const vip = (await serviceOf('echo')).spec.clusterIP!;
    const env = await inPod('client', 'env');
    assert.match(env, new RegExp(`^ECHO_SERVICE_HOST=${vip.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(env, /^ECHO_SERVICE_PORT=80$/m);
    assert.match(env, /^ECHO_SERVICE_PORT_HTTP=80$/m);
    assert.ok(!/^ECHO_HEADLESS_SERVICE_HOST=/m.test(env), 'headless services give no variables');
  });

  it('stops sending traffic to a pod that turns unready', async () => {
    const victim = 'echo-2';
    await inPod(victim, 'rm -f /tmp/ready');
    await eventually(async () => {
      const p = await cluster().client().get<Pod>('Pod', victim, NS);
      return !podReady(p);
    }, 20_000, `${victim} unready`);
    const victimIP = (await cluster().client().get<Pod>('Pod', victim, NS)).status?.podIP;
    await eventually(async () => !(await readyIPs('echo')).includes(victimIP!), 10_000, `${victim} out of the endpoints`);
    // The issue asks for under a second on every node; allow a little more for a loaded machine.
    await new Promise((r) => setTimeout(r, 1500));
    const got = await requests('client', 'http://echo/name', 30);
    assert.ok(!got.includes('FAIL'), got.join(','));
    assert.ok(!got.includes(victim), `no request reached ${victim}: ${got.join(',')}`);
    assert.equal(new Set(got).size, 2);
  });

  it('keeps routing through a restart of the client host\'s agent', async () => {
    const client = hosts()[0]!;
    const vip = (await serviceOf('echo')).spec.clusterIP!;
    await cluster().hosts.stopAgent(client);
    // Routes and rules live in the kernel: the virtual IP answers while the agent is away.
    const during = await requests('client', `http://${vip}/name`, 10);
    assert.ok(!during.includes('FAIL'), during.join(','));
    await cluster().hosts.restartAgent(client);
    await eventually(async () => (await cluster().node(client.name)).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'), 30_000, 'agent back');
    // DNS is the agent's own server: names resolve again once it is back.
    const after = await eventually(
      async () => {
        const got = await requests('client', 'http://echo/name', 10);
        return got.includes('FAIL') ? undefined : got;
      },
      15_000,
      'the service by name after the agent restart',
    );
    assert.ok(after.every((b) => /^echo-\d$/.test(b)), after.join(','));
  });

  it('keeps a backend\'s IP and its routing across a Docker Engine restart on its host', async () => {
    const h = hosts()[1]!;
    const before = await cluster().client().get<Pod>('Pod', 'echo-1', NS);
    await cluster().hosts.stopEngine(h);
    await cluster().hosts.startEngine(h);
    const back = await eventually(
      async () => {
        const p = await cluster().client().get<Pod>('Pod', 'echo-1', NS);
        return podReady(p) ? p : undefined;
      },
      60_000,
      'echo-1 Ready again after the engine restart',
    );
    assert.equal(back.status?.podIP, before.status?.podIP, 'the pod keeps its IP');
    // Docker re-inserted its own rules on start; the agent re-asserts its routes and chains.
    await eventually(
      async () => {
        const got = await requests('client', 'http://echo/name', 20);
        return !got.includes('FAIL') && got.includes('echo-1') ? got : undefined;
      },
      30_000,
      'the service reaching echo-1 again',
    );
  });
});
