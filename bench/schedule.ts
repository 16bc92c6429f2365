// Scheduling throughput on a hollow cluster: real etcd, one controller child process, N hollow
// nodes (fake runtime) in 1-4 child processes over real gRPC. `npm run bench:schedule -- --nodes 1000 --pods 10000`
// Scenario A: one Deployment of --pods replicas. Scenario B: --pods/10 single-replica Deployments.
// Each is measured at --nodes and at a 10-node baseline; results go to bench/results/schedule.json.
// --profile DIR writes CPU profiles of the controller (node --cpu-prof) for the large cluster, in DIR/tls and DIR/plaintext.
// TLS's cost: each cluster runs with the normal (mTLS) controller and with a plaintext one
// (--plaintext-for-benchmarks; hollow nodes then skip joining), each on a fresh etcd; every row
// gets the plaintext figure under it, with the ratio TLS/plaintext against the aim of 1.15x.
import * as path from 'node:path';
import type { Deployment, KObject, Node } from '../common/api/types';
import { isNodeReady } from '../common/api/node';
import type { KiteClient } from '../common/client';
import { startEtcd } from '../test/harness/etcd';
import { formatTable, makeReport, row, writeReport, type BenchRow } from './lib/report';
import { PodTracker, procUsage, startBenchController, startHollowFleet, type BenchController, type Child } from './lib/bench-cluster';
import { medianRows, runOrder, TLS_AIM, type TlsCost, tlsSummary, type TransportMode, withPlaintextBaselines } from './lib/tls-cost';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const NODES = Number(flag('nodes', '1000'));
const PODS = Number(flag('pods', '10000'));
const PROFILE = flag('profile', '');
// 10 hollow nodes cannot hold 10,000 pods well: one agent process running 10,000 pod workers misses
// heartbeats and the nodes go NotReady (see the report). The baseline therefore defaults to 1,000 pods.
const BASELINE_NODES = Number(flag('baseline-nodes', '10'));
const BASELINE_PODS = Number(flag('baseline-pods', String(Math.min(PODS, 1000))));
const TIMEOUT_MS = Number(flag('timeout-s', '300')) * 1000;
/** `--rounds N`: per cluster size, N runs with TLS and N with a plaintext controller, alternating; rows are the median run. */
const ROUNDS = Number(flag('rounds', '1'));

function deployment(ns: string, name: string, replicas: number): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'busybox:1', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
      },
    },
  } as Deployment;
}

interface ScenarioResult {
  scenario: string;
  nodes: number;
  pods: number;
  boundMs: number;
  runningMs: number;
  podsBoundPerSecond: number;
  controllerCpuSeconds: number;
  /** CPU of the hollow-node processes over the same span: on one machine they share its CPUs with the controller. */
  nodesCpuSeconds: number;
  controllerPeakRssMb: number;
}

async function runScenario(ctl: BenchController, fleet: readonly Child[], nodes: number, scenario: 'A' | 'B', pods: number): Promise<ScenarioResult> {
  const client: KiteClient = ctl.client;
  const ns = `bench-${scenario.toLowerCase()}`;
  await client.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as KObject]);
  const { resourceVersion } = await client.list('Pod', { namespace: ns });
  const tracker = new PodTracker(client, ns, resourceVersion);
  const fleetCpu = () => fleet.reduce((sum, f) => sum + procUsage(f.pid).cpuSeconds, 0);
  const cpu0 = procUsage(ctl.pid).cpuSeconds;
  const nodesCpu0 = fleetCpu();
  const t0 = performance.now();
  if (scenario === 'A') {
    await client.apply([deployment(ns, 'web', pods)]);
  } else {
    const count = Math.max(1, Math.round(pods / 10));
    pods = count;
    for (let i = 0; i < count; i += 100) {
      await client.apply(Array.from({ length: Math.min(100, count - i) }, (_, j) => deployment(ns, `app-${i + j}`, 1)));
    }
  }
  const bound = await tracker.until((t) => t.bound.size >= pods, TIMEOUT_MS, `${pods} pods bound`);
  const running = await tracker.until((t) => t.running.size >= pods, TIMEOUT_MS, `${pods} pods Running`);
  const usage = procUsage(ctl.pid);
  const nodesCpuAtRunning = fleetCpu();
  // Clean up for the next scenario (a list of 10,000 pods is larger than a gRPC message may be).
  for (const d of (await client.list<Deployment>('Deployment', { namespace: ns })).items) await client.delete('Deployment', d.metadata.name, ns);
  await tracker.until((t) => t.live.size === 0, TIMEOUT_MS, 'pods deleted');
  await tracker.stop();
  const boundMs = bound - t0;
  const result: ScenarioResult = {
    scenario,
    nodes,
    pods,
    boundMs: Math.round(boundMs),
    runningMs: Math.round(running - t0),
    podsBoundPerSecond: Math.round((pods / boundMs) * 1000),
    controllerCpuSeconds: Math.round((usage.cpuSeconds - cpu0) * 100) / 100,
    nodesCpuSeconds: Math.round((nodesCpuAtRunning - nodesCpu0) * 100) / 100,
    controllerPeakRssMb: usage.peakRssMb,
  };
  process.stderr.write(`  ${JSON.stringify(result)}\n`);
  return result;
}

interface ClusterResult {
  mode: TransportMode;
  nodes: number;
  /** From starting the hollow nodes until the controller lists them all Ready (with TLS: each joins first). */
  nodesReadyMs: number;
  scenarios: ScenarioResult[];
}

async function runCluster(nodes: number, pods: number, mode: TransportMode, profile: boolean): Promise<ClusterResult> {
  process.stderr.write(`[${mode}] cluster of ${nodes} hollow nodes, ${pods} pods\n`);
  const etcd = await startEtcd();
  const cpuProfileDir = profile && PROFILE ? path.resolve(PROFILE, mode) : undefined;
  const ctl = await startBenchController({ etcd: etcd.endpoint, prefix: '/kite-bench', cpuProfileDir, plaintext: mode === 'plaintext' });
  // Room for every pod even on the 10-node baseline.
  const maxPods = Math.max(110, Math.ceil((2 * pods) / nodes));
  const fleetStart = performance.now();
  const fleet = await startHollowFleet(ctl.target, nodes, Math.min(4, Math.ceil(nodes / 250)), 'hollow-', maxPods);
  try {
    // Wait until the controller lists every node Ready (registration is asynchronous).
    for (;;) {
      const ready = (await ctl.client.list<Node>('Node')).items.filter(isNodeReady).length;
      if (ready >= nodes) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const nodesReadyMs = Math.round(performance.now() - fleetStart);
    process.stderr.write(`  ${nodes} nodes Ready after ${nodesReadyMs} ms\n`);
    const a = await runScenario(ctl, fleet, nodes, 'A', pods);
    const b = await runScenario(ctl, fleet, nodes, 'B', pods);
    return { mode, nodes, nodesReadyMs, scenarios: [a, b] };
  } finally {
    await Promise.all(fleet.map((f) => f.stop()));
    await ctl.stop();
    await etcd.stop();
  }
}

function clusterRows(c: ClusterResult): BenchRow[] {
  return [
    row(`${c.nodes} hollow nodes started until all Ready`, c.nodes, c.nodesReadyMs, undefined, 'with TLS each node makes a key and joins first'),
    ...c.scenarios.map((r) =>
      row(
        `scenario ${r.scenario}: ${r.scenario === 'A' ? '1 deployment' : `${r.pods} deployments`}, ${r.nodes} nodes`,
        r.pods,
        r.boundMs,
        undefined,
        `all Running ${r.runningMs} ms; controller cpu ${r.controllerCpuSeconds} s, nodes cpu ${r.nodesCpuSeconds} s, peak RSS ${r.controllerPeakRssMb} MB`,
      ),
    ),
  ];
}

async function main(): Promise<void> {
  const started = new Date();
  const sizes: { nodes: number; pods: number; profile: boolean }[] = [
    ...(BASELINE_NODES > 0 ? [{ nodes: BASELINE_NODES, pods: BASELINE_PODS, profile: false }] : []),
    { nodes: NODES, pods: PODS, profile: true },
  ];
  const order = runOrder(ROUNDS);
  const clusters: ClusterResult[] = [];
  const rows: BenchRow[] = [];
  const costs: TlsCost[] = [];
  for (const size of sizes) {
    const runs: Record<TransportMode, BenchRow[][]> = { tls: [], plaintext: [] };
    for (const mode of order) {
      const c = await runCluster(size.nodes, size.pods, mode, size.profile);
      clusters.push(c);
      runs[mode].push(clusterRows(c));
    }
    // Every row gets its plaintext baseline; the node start-up row is shown but not held to the aim.
    const merged = withPlaintextBaselines(medianRows(runs.tls), medianRows(runs.plaintext), () => true, (r) => r.operation.startsWith('scenario'));
    rows.push(...merged.rows);
    costs.push(...merged.costs);
  }
  process.stdout.write(formatTable(rows) + '\n');
  process.stdout.write(`\n${tlsSummary(costs)} (scenario rows; runs in order ${order.join(', ')} per size, fresh etcd and controller each)\n`);
  const out = path.join(__dirname, 'results', 'schedule.json');
  const results = clusters.flatMap((c) => c.scenarios.map((s) => ({ mode: c.mode, ...s })));
  writeReport(
    out,
    makeReport('schedule', rows, {
      results,
      nodesReady: clusters.map((c) => ({ mode: c.mode, nodes: c.nodes, ms: c.nodesReadyMs })),
      aims: { boundMs: 5000, runningMs: 15000, controllerPeakRssMb: 400 },
      tlsVsPlaintext: { aim: TLS_AIM, order, costs, note: 'each run: fresh etcd, controller and hollow nodes; rounds alternate which mode goes first' },
    }, started),
  );
  process.stdout.write(`wrote ${out}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
