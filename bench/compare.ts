// Kite vs Docker Swarm vs plain `docker run`, on the same kind of engine (a test host: netns + own
// dockerd, so the main engine is untouched), same image, same stop grace, all with an init process.
//   npm run bench:compare   (= tsx bench/compare.ts)
// Prints a table with ratios to Swarm and writes bench/results/compare.json.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Deployment, Pod } from '../common/api/types';
import { startEtcd } from '../test/harness/etcd';
import { createHosts, startHostController, type TestHost, type TestHosts } from '../test/harness/hosts';
import { TEST_IMAGE } from '../test/harness/images';
import { freePort } from '../test/harness/ports';

const STOP_GRACE_S = 10;
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

function docker(h: TestHost, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('docker', ['-H', `unix://${h.socket}`, ...args], { env: { ...process.env, DOCKER_API_VERSION: '1.41' }, maxBuffer: 16 << 20 }, (e, out, err) =>
      e ? reject(new Error(`docker ${args.join(' ')}: ${err || e.message}`)) : resolve(out),
    ),
  );
}

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 300_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(100);
  }
}

async function timed(what: string, fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  const s = (performance.now() - t0) / 1000;
  process.stderr.write(`  ${what}: ${s.toFixed(1)} s\n`);
  return s;
}

// ---- plain docker run --------------------------------------------------------------------------
async function plainRun(h: TestHost): Promise<number> {
  const s = await timed('plain: 20 parallel docker run -d --init', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => docker(h, ['run', '-d', '--init', '--name', `plain-${i}`, '--stop-timeout', String(STOP_GRACE_S), TEST_IMAGE, 'sleep', '3600'])));
  });
  await docker(h, ['rm', '-f', ...Array.from({ length: 20 }, (_, i) => `plain-${i}`)]);
  return s;
}

// ---- Kite --------------------------------------------------------------------------------------
function sleeper(replicas: number, version: string): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'bench', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'bench' } },
      template: {
        metadata: { labels: { app: 'bench' } },
        spec: {
          terminationGracePeriodSeconds: STOP_GRACE_S,
          containers: [{ name: 'main', image: TEST_IMAGE, command: ['sleep', '3600'], env: [{ name: 'V', value: version }] }],
        },
      },
    },
  } as Deployment;
}

interface KiteCtx {
  apply(d: Deployment): Promise<void>;
  available(n: number, excludeNode?: string): Promise<boolean>;
  running(n: number): Promise<boolean>;
}

async function kiteSingle(k: KiteCtx): Promise<Record<string, number>> {
  const r: Record<string, number> = {};
  r.create20 = await timed('kite: 20 replicas Running', async () => {
    await k.apply(sleeper(20, 'v1'));
    await until('20 running', () => k.running(20));
  });
  r.scale20to60 = await timed('kite: scale 20 -> 60', async () => {
    await k.apply(sleeper(60, 'v1'));
    await until('60 running', () => k.running(60));
  });
  await k.apply(sleeper(20, 'v1'));
  await until('back to 20', () => k.available(20));
  r.rolling20 = await timed('kite: rolling update of 20 (maxSurge 25%, maxUnavailable 25%)', async () => {
    await k.apply(sleeper(20, 'v2'));
    await until('rollout', () => k.available(20));
  });
  return r;
}

// ---- Swarm -------------------------------------------------------------------------------------
/** `exclude` is a swarm node ID: test hosts share one hostname, so node names cannot tell them apart. */
async function swarmTasksRunning(mgr: TestHost, svc: string, n: number, exclude?: string): Promise<boolean> {
  const out = await docker(mgr, ['service', 'ps', svc, '--filter', 'desired-state=running', '--format', '{{.CurrentState}}']);
  const rows = out.split('\n').filter((l) => l.startsWith('Running'));
  if (rows.length !== n) return false;
  return !exclude || (await docker(mgr, ['node', 'ps', exclude, '--filter', 'desired-state=running', '-q'])).trim() === '';
}

async function swarmUpdateDone(mgr: TestHost, svc: string): Promise<boolean> {
  const s = (await docker(mgr, ['service', 'inspect', svc, '--format', '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}'])).trim();
  return s === 'completed';
}

async function swarmSingle(mgr: TestHost): Promise<Record<string, number>> {
  const r: Record<string, number> = {};
  // --no-resolve-image: otherwise the docker CLI first asks the (unreachable) registry for the image digest.
  const create = ['service', 'create', '--detach', '--no-resolve-image', '--init', '--name', 'bench', '--stop-grace-period', `${STOP_GRACE_S}s`];
  r.create20 = await timed('swarm: 20 replicas Running', async () => {
    await docker(mgr, [...create, '--replicas', '20', TEST_IMAGE, 'sleep', '3600']);
    await until('20 tasks', () => swarmTasksRunning(mgr, 'bench', 20));
  });
  r.scale20to60 = await timed('swarm: scale 20 -> 60', async () => {
    await docker(mgr, ['service', 'scale', '--detach', 'bench=60']);
    await until('60 tasks', () => swarmTasksRunning(mgr, 'bench', 60));
  });
  await docker(mgr, ['service', 'scale', '--detach', 'bench=20']);
  await until('back to 20', () => swarmTasksRunning(mgr, 'bench', 20));
  r.rolling20 = await timed('swarm: rolling update of 20 (parallelism 1, stop-first)', async () => {
    await docker(mgr, ['service', 'update', '--detach', '--no-resolve-image', '--env-add', 'V=v2', 'bench']);
    await until('update', () => swarmUpdateDone(mgr, 'bench'));
  });
  r.rolling20p5 = await timed('swarm: rolling update of 20 (parallelism 5, start-first)', async () => {
    await docker(mgr, ['service', 'update', '--detach', '--no-resolve-image', '--update-parallelism', '5', '--update-order', 'start-first', '--env-add', 'V=v3', 'bench']);
    await until('update', () => swarmUpdateDone(mgr, 'bench'));
  });
  await docker(mgr, ['service', 'rm', 'bench']);
  return r;
}

// ---- main --------------------------------------------------------------------------------------
async function main(): Promise<void> {
  // h0: single-engine runs (plain, Kite, Swarm manager); h1,h2: Kite node loss; h3,h4: Swarm workers.
  const hosts: TestHosts = await createHosts(5, { swarmReady: true });
  const etcd = await startEtcd();
  const results: Record<string, Record<string, number>> = { plain: {}, kite: {}, swarm: {} };
  try {
    const [h0, h1, h2, h3, h4] = hosts.hosts as [TestHost, TestHost, TestHost, TestHost, TestHost];
    results.plain!.create20 = await plainRun(h0);

    const ctl = await startHostController({
      etcd: etcd.endpoint,
      host: hosts.bridgeIp,
      port: await freePort(hosts.bridgeIp),
      httpPort: await freePort(hosts.bridgeIp),
      logFile: path.join(hosts.state.dir, 'controller.log'),
    });
    hosts.track(ctl.pid);
    const client = ctl.client;
    const k: KiteCtx = {
      apply: async (d) => void (await client.apply([d])),
      running: async (n) => (await client.list<Pod>('Pod', { namespace: 'default', labelSelector: 'app=bench' })).items.filter((p) => p.status?.phase === 'Running').length === n,
      available: async (n, exclude) => {
        const d = await client.get<Deployment>('Deployment', 'bench', 'default');
        const s = d.status;
        if (!(s && s.observedGeneration === d.metadata.generation && s.replicas === n && s.updatedReplicas === n && s.availableReplicas === n)) return false;
        if (!exclude) return true;
        const pods = (await client.list<Pod>('Pod', { namespace: 'default', labelSelector: 'app=bench' })).items;
        return pods.every((p) => p.spec.nodeName !== exclude);
      },
    };
    hosts.startAgent(h0, ctl.target);
    await until('kite node', async () => (await client.list('Node')).items.length === 1);
    results.kite = await kiteSingle(k);

    // Node loss, Kite: three nodes (default node grace), kill one.
    await client.delete('Deployment', 'bench', 'default');
    await until('kite pods gone', async () => (await client.list('Pod', { namespace: 'default' })).items.length === 0);
    hosts.startAgent(h1, ctl.target);
    hosts.startAgent(h2, ctl.target);
    await until('three kite nodes', async () => (await client.list('Node')).items.length === 3);
    await k.apply(sleeper(20, 'v1'));
    await until('20 available on 3 nodes', () => k.available(20));
    results.kite.nodeLoss = await timed('kite: node loss recovery (20 replicas, 3 nodes)', async () => {
      hosts.kill(h2);
      await until('recovered', () => k.available(20, h2.name));
    });
    await client.delete('Deployment', 'bench', 'default');
    await until('kite pods gone', async () => (await client.list('Pod', { namespace: 'default' })).items.length === 0);
    await hosts.stopAgent(h0);
    await hosts.stopAgent(h1);
    await ctl.stop();

    // Swarm on h0 alone, then with h3, h4 as workers for node loss.
    await docker(h0, ['swarm', 'init', '--advertise-addr', h0.ip]);
    results.swarm = await swarmSingle(h0);
    const token = (await docker(h0, ['swarm', 'join-token', '-q', 'worker'])).trim();
    for (const w of [h3, h4]) await docker(w, ['swarm', 'join', '--token', token, `${h0.ip}:2377`]);
    await docker(h0, ['service', 'create', '--detach', '--no-resolve-image', '--init', '--name', 'loss', '--stop-grace-period', `${STOP_GRACE_S}s`, '--replicas', '20', TEST_IMAGE, 'sleep', '3600']);
    await until('20 tasks on 3 nodes', () => swarmTasksRunning(h0, 'loss', 20));
    const h4Node = (await docker(h4, ['info', '--format', '{{.Swarm.NodeID}}'])).trim();
    results.swarm.nodeLoss = await timed('swarm: node loss recovery (20 replicas, 3 nodes)', async () => {
      hosts.kill(h4);
      await until('recovered', () => swarmTasksRunning(h0, 'loss', 20, h4Node));
    });
  } finally {
    hosts.teardown();
    await etcd.stop();
  }

  const rows: [string, string][] = [
    ['create20', '20 replicas Running'],
    ['scale20to60', 'scale 20 -> 60'],
    ['rolling20', 'rolling update of 20 (defaults)'],
    ['rolling20p5', 'rolling update of 20 (Swarm parallelism 5, start-first)'],
    ['nodeLoss', 'node loss recovery'],
  ];
  const fmt = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(1) + ' s');
  console.log(`\n${'scenario'.padEnd(58)}${'kite'.padStart(10)}${'swarm'.padStart(10)}${'docker run'.padStart(12)}${'kite/swarm'.padStart(12)}`);
  for (const [key, label] of rows) {
    const kv = results.kite![key === 'rolling20p5' ? 'rolling20' : key];
    const sv = results.swarm![key];
    const ratio = kv !== undefined && sv ? (kv / sv).toFixed(2) + 'x' : '-';
    console.log(`${label.padEnd(58)}${fmt(key === 'rolling20p5' ? undefined : kv).padStart(10)}${fmt(sv).padStart(10)}${fmt(results.plain![key]).padStart(12)}${ratio.padStart(12)}`);
  }
  const out = path.join(__dirname, 'results', 'compare.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), stopGraceSeconds: STOP_GRACE_S, seconds: results }, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
