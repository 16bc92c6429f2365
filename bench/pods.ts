// Pod start latency on a real Docker Engine: Kite (apply -> every pod Running, seen through a
// watch) against the same number of plain `docker run -d --init` of the same image and command,
// started concurrently. Real etcd + kite-controller + one kite-agent (runtime docker).
// Run: `npm run bench:pods` (tsx bench/pods.ts). Sizes: KITE_BENCH_SIZES=1,10,40 (default).
// Prints a table and writes bench/results/pods.json. A measurement, not a test: nothing is asserted.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Docker from 'dockerode';
import { stringify } from 'yaml';
import type { Node, Pod } from '../common/api/types';
import { isNodeReady } from '../common/api/node';
import type { KiteClient } from '../common/client';
import { ensureDocker } from '../test/harness/dockerd';
import { startEtcd } from '../test/harness/etcd';
import { ensureTestImage } from '../test/harness/images';
import { eventually, kite, startAgent, startController } from '../test/harness/processes';
import { formatTable, makeReport, row, writeReport, type BenchRow } from './lib/report';
import { percentile } from './lib/stats';

const NODE = `bench-pods-${process.pid}`;
const NS = 'default';
const COMMAND = ['sleep', '3600'];
const SIZES = (process.env.KITE_BENCH_SIZES ?? '1,10,40').split(',').map(Number).filter((n) => n > 0);
const CLI_SIZE = Number(process.env.KITE_BENCH_CLI_SIZE ?? 10);
const RESULTS = path.join(__dirname, 'results', 'pods.json');

interface Round {
  /** Per-pod latency from the start of the round to that pod Running, ms. */
  latencies: number[];
  wallMs: number;
  /** Where a Kite pod's time went (p50s, ms), from the timestamps in its status. */
  breakdown?: Record<string, number | undefined>;
}

function podsFor(prefix: string, n: number, image: string): Pod[] {
  return Array.from({ length: n }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${prefix}-${i}`, namespace: NS, labels: { bench: prefix } },
    spec: { containers: [{ name: 'main', image, command: COMMAND }], terminationGracePeriodSeconds: 0 },
  }));
}

/** Times when each named pod was first seen Running, measured on performance.now(). */
class RunningWatch {
  readonly runningAt = new Map<string, number>();
  /** When each pod was first seen bound to a node (spec.nodeName set by the scheduler). */
  readonly boundAt = new Map<string, number>();
  readonly lastSeen = new Map<string, Pod>();
  private readonly abort = new AbortController();
  private wake: (() => void) | undefined;
  private failed: unknown;

  constructor(client: KiteClient, labelSelector: string, resourceVersion: string) {
    void (async () => {
      try {
        for await (const ev of client.watch<Pod>('Pod', { namespace: NS, labelSelector, resourceVersion }, this.abort.signal)) {
          const p = ev.object;
          if (!p) continue;
          this.lastSeen.set(p.metadata.name, p);
          if (p.spec.nodeName && !this.boundAt.has(p.metadata.name)) this.boundAt.set(p.metadata.name, performance.now());
          if (p.status?.phase === 'Running' && !this.runningAt.has(p.metadata.name)) this.runningAt.set(p.metadata.name, performance.now());
          this.wake?.();
        }
      } catch (e) {
        if (!this.abort.signal.aborted) this.failed = e;
        this.wake?.();
      }
    })();
  }

  async allRunning(n: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.runningAt.size < n) {
      if (this.failed) throw this.failed;
      if (performance.now() > deadline) throw new Error(`only ${this.runningAt.size}/${n} pods Running after ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 200);
      });
    }
  }

  stop(): void {
    this.abort.abort();
  }
}

const ms = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN);
const p50 = (xs: number[]) => {
  const v = percentile(xs.filter((x) => Number.isFinite(x)), 50);
  return v === undefined ? undefined : Math.round(v);
};

/**
 * Splits each pod's start into stages: apply -> bound (seen in the watch), bound -> the engine's
 * startedAt of its container (dispatch + agent pull/create/start), startedAt -> Running seen in
 * the watch (agent status batching + controller status write + watch fan-out). Wall clock, one host.
 */
function breakdown(pods: Pod[], appliedAtWall: number, boundAtWall: Map<string, number>, runningAtWall: Map<string, number>): Record<string, number | undefined> {
  const sched: number[] = [];
  const toStart: number[] = [];
  const report: number[] = [];
  for (const p of pods) {
    const bound = boundAtWall.get(p.metadata.name) ?? NaN;
    const started = ms(p.status?.containerStatuses?.[0]?.state.running?.startedAt);
    const seen = runningAtWall.get(p.metadata.name) ?? NaN;
    sched.push(bound - appliedAtWall);
    toStart.push(started - bound);
    report.push(seen - started);
  }
  return { applyToBoundMs: p50(sched), boundToContainerStartedMs: p50(toStart), containerStartedToRunningSeenMs: p50(report) };
}

async function kiteRound(client: KiteClient, image: string, n: number, via: 'client' | 'cli', server: string): Promise<Round> {
  const prefix = `bench-${via}-${n}`;
  const pods = podsFor(prefix, n, image);
  const { resourceVersion } = await client.list('Pod', { namespace: NS });
  const watch = new RunningWatch(client, `bench=${prefix}`, resourceVersion);
  let file = '';
  if (via === 'cli') {
    file = path.join(os.tmpdir(), `${prefix}-${process.pid}.yaml`);
    fs.writeFileSync(file, pods.map((p) => stringify(p)).join('---\n'));
  }
  const wall0 = Date.now();
  const t0 = performance.now();
  try {
    if (via === 'client') await client.apply(pods);
    else {
      const r = await kite(server, ['apply', '-f', file]);
      if (r.code !== 0) throw new Error(`kite apply failed: ${r.stderr}`);
    }
    await watch.allRunning(n, 120_000);
  } finally {
    watch.stop();
    if (file) fs.rmSync(file, { force: true });
  }
  const latencies = pods.map((p) => watch.runningAt.get(p.metadata.name)! - t0);
  const toWall = (m: Map<string, number>) => new Map([...m].map(([name, t]) => [name, wall0 + (t - t0)]));
  const seen = pods.map((p) => watch.lastSeen.get(p.metadata.name)!);
  return { latencies, wallMs: Math.max(...latencies), breakdown: breakdown(seen, wall0, toWall(watch.boundAt), toWall(watch.runningAt)) };
}

async function deleteKitePods(client: KiteClient, docker: Docker): Promise<void> {
  const { items } = await client.list<Pod>('Pod', { namespace: NS });
  await Promise.all(items.map((p) => client.delete('Pod', p.metadata.name, NS).catch(() => undefined)));
  await eventually(async () => (await client.list('Pod', { namespace: NS })).items.length === 0, 120_000, 'pods deleted');
  await eventually(async () => (await docker.listContainers({ all: true, filters: { label: [`kite.node=${NODE}`] } })).length === 0, 120_000, 'pod containers gone');
}

/** The API calls of `docker run -d --init IMAGE sleep 3600`, N at once. */
async function dockerRound(docker: Docker, image: string, n: number): Promise<Round> {
  const t0 = performance.now();
  const latencies = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const c = await docker.createContainer({
        Image: image,
        Cmd: COMMAND,
        name: `bench-docker-${process.pid}-${n}-${i}`,
        Labels: { 'kite-bench': String(process.pid) },
        HostConfig: { Init: true },
      });
      await c.start();
      return performance.now() - t0;
    }),
  );
  return { latencies, wallMs: Math.max(...latencies) };
}

async function removeDockerContainers(docker: Docker): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [`kite-bench=${process.pid}`] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

async function main(): Promise<void> {
  const dockerHandle = await ensureDocker();
  const docker = dockerHandle.docker;
  const image = await ensureTestImage(docker);
  const etcd = await startEtcd();
  const controller = await startController({ etcd: etcd.endpoint });
  const agentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-bench-agent-'));
  const agent = await startAgent({ controller: controller.target, name: NODE, dataDir: agentDir });
  const client = controller.client;
  const rows: BenchRow[] = [];
  const extra: Record<string, unknown> = { image, command: COMMAND, targets: { ratioToDocker: 1.2, p99OnePodMs: 1000 }, rounds: {} as Record<string, unknown> };
  const rounds = extra.rounds as Record<string, unknown>;
  try {
    await eventually(async () => isNodeReady(await client.get<Node>('Node', NODE)), 30_000, 'node Ready');
    // Warm-up: the first container on a fresh engine pays one-off costs (network, image layers in cache).
    await kiteRound(client, image, 1, 'client', controller.target);
    await deleteKitePods(client, docker);
    await dockerRound(docker, image, 1);
    await removeDockerContainers(docker);

    for (const n of SIZES) {
      const k = await kiteRound(client, image, n, 'client', controller.target);
      await deleteKitePods(client, docker);
      const d = await dockerRound(docker, image, n);
      await removeDockerContainers(docker);
      const ratio = k.wallMs / d.wallMs;
      const p99Ratio = percentile(k.latencies, 99)! / percentile(d.latencies, 99)!;
      rows.push(row(`kite apply -> Running (${n} pods)`, n, k.wallMs, k.latencies, `${ratio.toFixed(2)}x docker wall, p99 ${p99Ratio.toFixed(2)}x`));
      rows.push(row(`docker run -d --init (${n})`, n, d.wallMs, d.latencies));
      rounds[`n${n}`] = { kite: { wallMs: k.wallMs, latencies: k.latencies.map(Math.round), breakdownP50: k.breakdown }, docker: { wallMs: d.wallMs, latencies: d.latencies.map(Math.round) }, ratio, p99Ratio };
    }
    if (CLI_SIZE > 0) {
      const c = await kiteRound(client, image, CLI_SIZE, 'cli', controller.target);
      await deleteKitePods(client, docker);
      rows.push(row(`kite apply (CLI) -> Running (${CLI_SIZE} pods)`, CLI_SIZE, c.wallMs, c.latencies, 'includes CLI start-up'));
      rounds[`cli${CLI_SIZE}`] = { wallMs: c.wallMs, latencies: c.latencies.map(Math.round), breakdownP50: c.breakdown };
    }
  } finally {
    await deleteKitePods(client, docker).catch(() => undefined);
    await removeDockerContainers(docker).catch(() => undefined);
    await agent.stop();
    await controller.stop();
    await etcd.stop();
    const left = await docker.listContainers({ all: true, filters: { label: [`kite.node=${NODE}`] } });
    await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
    await dockerHandle.stop();
    fs.rmSync(agentDir, { recursive: true, force: true });
  }
  console.log(formatTable(rows));
  for (const [name, r] of Object.entries(rounds)) {
    const b = (r as { kite?: { breakdownP50?: unknown }; breakdownP50?: unknown }).kite?.breakdownP50 ?? (r as { breakdownP50?: unknown }).breakdownP50;
    if (b) console.log(`${name} where the time goes (p50 ms): ${JSON.stringify(b)}`);
  }
  writeReport(RESULTS, makeReport('pods', rows, extra));
  console.log(`wrote ${path.relative(process.cwd(), RESULTS)}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
