// kubectl benchmark (issue 14): the real kubectl 1.32 against Kite's Kubernetes HTTP API next to
// `kite` against the gRPC API, on the same cluster (one real etcd, one real controller from the
// build) in the same run, alternating:
//   1. `kubectl get pods -A` vs `kite get pods -A` of 10,000 pods (created through the admin
//      client's Apply; no nodes, and each pod has a scheduling gate, so they stay Pending
//      (SchedulingGated) and the scheduler leaves them alone: ungated, 10,000 unschedulable pods
//      are retried every 30 s, seconds of controller CPU that would land in random runs; output to
//      /dev/null, the line count checked on an untimed first call, which also warms kubectl's
//      discovery cache);
//   2. `kubectl apply -f` (client-side, the default) vs `kite apply -f` of 1,000 ConfigMaps, each
//      run into fresh namespaces so both create; then the same file again (all unchanged).
// Each figure is the median (and min) of several runs; the ratio kubectl/kite is the figure that
// matters (aim: within 1.5x). Besides the wall time, each row records the CPU the client process
// used and the CPU the controller used meanwhile, which says on which side the time goes.
//   npm run bench:kubectl [-- --runs 5 --pods 10000 --objects 1000 --kind configmap|deployment --cpu-prof DIR]
// Writes bench/results/kubectl.json. `--cpu-prof DIR` profiles the controller (NODE_OPTIONS
// --cpu-prof) and prints, for each measured phase, where the controller's CPU went (the profile's
// samples cut by the phase's time window: V8 and process.hrtime share CLOCK_MONOTONIC).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';
import type { ConfigMap, Deployment, KObject, Pod } from '../common/api/types';
import type { KiteClient } from '../common/client';
import { startEtcd, type EtcdHandle } from '../test/harness/etcd';
import { KUBECTL_132, kubectlFor, type Kubectl } from '../test/harness/kubectl';
import { controllerSecurityArgs } from '../test/harness/credentials';
import { freePort } from '../test/harness/ports';
import { launch, programCommand, startController, waitForController } from '../test/harness/processes';
import { procUsage } from './lib/bench-cluster';
import { type BenchRow, formatTable, makeReport, row, writeReport } from './lib/report';
import { percentile } from './lib/stats';

const RESULTS = path.join(__dirname, 'results', 'kubectl.json');
const PREFIX = '/kite-bench-kubectl';
const AIM_RATIO = 1.5;

function flagValue(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const RUNS = Number(flagValue('runs', '5'));
const PODS = Number(flagValue('pods', '10000'));
const APPLY_OBJECTS = Number(flagValue('objects', '1000'));
const APPLY_KIND = flagValue('kind', 'configmap') as 'configmap' | 'deployment';
const CPU_PROFILE_DIR = flagValue('cpu-prof', '');
/** `--only get` or `--only apply`: one of the two comparisons. */
const ONLY = flagValue('only', 'both') as 'get' | 'apply' | 'both';
/** `--diagnose`: after the timed runs, one kubectl run of each with -v=6, its requests and their latencies. */
const DIAGNOSE = process.argv.includes('--diagnose');
/** The pods are spread over this many namespaces (kubectl -A and kite -A read them all). */
const POD_NAMESPACES = 10;
/** Pods per Apply call while filling the cluster. */
const POD_BATCH = 500;

// ---- objects --------------------------------------------------------------------------------------

function namespace(name: string): KObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KObject;
}

function pod(ns: string, i: number): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${i}`, namespace: ns, labels: { app: 'bench', bench: 'kubectl' } },
    spec: {
      schedulingGates: [{ name: 'bench.kite.io/hold' }],
      containers: [{ name: 'main', image: 'busybox:1', command: ['sleep', '3600'], resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
    },
  } as Pod;
}

function applyObject(ns: string, i: number): KObject {
  if (APPLY_KIND === 'deployment') {
    const name = `web-${i}`;
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, labels: { app: name } },
      // replicas 0: the reconcilers make a ReplicaSet but no pods.
      spec: { replicas: 0, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } } },
    } as Deployment as KObject;
  }
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: ns, labels: { bench: 'kubectl' } }, data: { index: String(i), payload: 'x'.repeat(64) } } as ConfigMap as KObject;
}

function manifestFile(dir: string, ns: string): string {
  const file = path.join(dir, `${ns}.yaml`);
  fs.writeFileSync(file, Array.from({ length: APPLY_OBJECTS }, (_, i) => YAML.stringify(applyObject(ns, i))).join('---\n'));
  return file;
}

// ---- the controller -------------------------------------------------------------------------------

interface KubeController {
  pid: number;
  target: string;
  kubeApiPort: number;
  client: KiteClient;
  adminConfig: string;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * The controller from the build, with its Kubernetes API. Profiled, it is launched with node's
 * own --cpu-prof flags (Node 20 refuses --cpu-prof in NODE_OPTIONS, and startController takes no
 * node flags) and given 20 s to stop, time to write the profile.
 */
async function startKubeController(etcd: string, profileDir: string): Promise<KubeController> {
  if (!profileDir) return startController({ etcd, prefix: PREFIX, id: 'bench-kubectl' });
  const [grpcPort, httpPort, kubeApiPort] = [await freePort(), await freePort(), await freePort()];
  const security = controllerSecurityArgs(etcd, PREFIX, grpcPort);
  const args = ['--etcd', etcd, '--etcd-prefix', PREFIX, '--id', 'bench-kubectl', '--listen', `127.0.0.1:${grpcPort}`, '--http', `127.0.0.1:${httpPort}`, '--kube-api-listen', `127.0.0.1:${kubeApiPort}`, ...security.args];
  const p = launch('controller/main.ts', args, { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`], stopGraceMs: 20_000 });
  const target = `127.0.0.1:${grpcPort}`;
  const client = await waitForController(target, security.adminConfig, p.logFile, () => p.stop(), undefined, 60_000);
  return {
    pid: p.pid,
    target,
    kubeApiPort,
    client,
    adminConfig: security.adminConfig,
    logFile: p.logFile,
    stop: async () => {
      client.close();
      await p.stop();
    },
  };
}

// ---- running and timing a command -----------------------------------------------------------------

interface Command {
  what: string;
  binary: string;
  args: string[];
  env: Record<string, string>;
}

interface Timing {
  wallMs: number;
  /** CPU (user + system) of the client process and anything it waited for. */
  clientCpuMs: number;
  /** CPU the controller used while the command ran. */
  controllerCpuMs: number;
  /** process.hrtime at start and end, ns (the profile's clock). */
  window: [bigint, bigint];
}

/** CPU ticks of this process's reaped children (cutime + cstime of /proc/self/stat), in ms. */
function reapedChildrenCpuMs(): number {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100; // cutime, cstime (fields 16 and 17)
}

/**
 * Runs a command to completion. `capture`: resolve with its stdout; otherwise stdout goes to
 * /dev/null (the timed runs). A non-zero exit throws with stderr.
 */
async function run(cmd: Command, ctl: KubeController, capture: boolean, stderrFile?: string): Promise<{ stdout: string; timing: Timing }> {
  const devNull = capture ? undefined : fs.openSync('/dev/null', 'w');
  const errFd = stderrFile ? fs.openSync(stderrFile, 'w') : undefined;
  const cpu0 = reapedChildrenCpuMs();
  const ctl0 = procUsage(ctl.pid).cpuSeconds;
  const h0 = process.hrtime.bigint();
  const t0 = performance.now();
  try {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(cmd.binary, cmd.args, { env: cmd.env, stdio: ['ignore', devNull ?? 'pipe', errFd ?? 'pipe'] });
      let out = '';
      let err = '';
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
      child.on('error', reject);
      child.on('close', (c, signal) => {
        clearTimeout(timer);
        resolve({ code: c ?? (signal ? 128 : -1), stdout: out, stderr: err });
      });
    });
    const wallMs = performance.now() - t0;
    const h1 = process.hrtime.bigint();
    if (code !== 0) throw new Error(`${cmd.what} exited ${code}\nstderr: ${stderr.slice(-3000)}`);
    return {
      stdout,
      timing: { wallMs, clientCpuMs: reapedChildrenCpuMs() - cpu0, controllerCpuMs: (procUsage(ctl.pid).cpuSeconds - ctl0) * 1000, window: [h0, h1] },
    };
  } finally {
    if (devNull !== undefined) fs.closeSync(devNull);
    if (errFd !== undefined) fs.closeSync(errFd);
  }
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

/** Waits until the controller has used under 5% of a CPU for two seconds in a row (the scheduler's burst is over). */
async function controllerQuiet(pid: number, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let calm = 0;
  let last = procUsage(pid).cpuSeconds;
  while (calm < 4) {
    if (Date.now() > deadline) throw new Error(`the controller did not go quiet within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
    const now = procUsage(pid).cpuSeconds;
    calm = now - last < 0.025 ? calm + 1 : 0;
    last = now;
  }
}

// ---- the comparison -------------------------------------------------------------------------------

interface Series {
  operation: string;
  count: number;
  timings: Timing[];
}

const median = (xs: readonly number[]) => percentile(xs, 50)!;
const min = (xs: readonly number[]) => Math.min(...xs);

function summary(s: Series) {
  const wall = s.timings.map((t) => t.wallMs);
  return {
    operation: s.operation,
    count: s.count,
    runs: s.timings.length,
    medianMs: Math.round(median(wall)),
    minMs: Math.round(min(wall)),
    wallMs: wall.map(Math.round),
    clientCpuMedianMs: Math.round(median(s.timings.map((t) => t.clientCpuMs))),
    controllerCpuMedianMs: Math.round(median(s.timings.map((t) => t.controllerCpuMs))),
  };
}

function seriesRow(s: Series, note: string): BenchRow {
  const x = summary(s);
  return { ...row(s.operation, s.count, x.medianMs, undefined, `min ${x.minMs} ms; cpu client ${x.clientCpuMedianMs} / controller ${x.controllerCpuMedianMs} ms${note ? '; ' + note : ''}`) };
}

function ratioNote(kubectl: Series, kite: Series): { ratio: number; note: string } {
  const ratio = median(kubectl.timings.map((t) => t.wallMs)) / median(kite.timings.map((t) => t.wallMs));
  return { ratio, note: `${ratio.toFixed(2)}x kite (aim <= ${AIM_RATIO}x: ${ratio <= AIM_RATIO ? 'met' : 'MISSED'})` };
}

async function fillPods(client: KiteClient): Promise<number> {
  const t0 = performance.now();
  const namespaces = Array.from({ length: POD_NAMESPACES }, (_, i) => `bench-pods-${i}`);
  await client.apply(namespaces.map(namespace));
  for (let first = 0; first < PODS; first += POD_BATCH) {
    const batch = Array.from({ length: Math.min(POD_BATCH, PODS - first) }, (_, j) => pod(namespaces[(first + j) % POD_NAMESPACES]!, first + j));
    const res = await client.apply(batch);
    const created = res.results.filter((r) => r.action === 'created').length;
    if (created !== batch.length) throw new Error(`apply created ${created} of ${batch.length} pods`);
  }
  return performance.now() - t0;
}

interface Tools {
  ctl: KubeController;
  kubectl: Kubectl;
  kubectlCmd(what: string, args: string[]): Command;
  kiteCmd(what: string, args: string[]): Command;
}

async function benchGet(t: Tools, out: { series: Series[]; checks: Record<string, unknown> }): Promise<[Series, Series]> {
  const kc = t.kubectlCmd('kubectl get pods -A', ['get', 'pods', '-A']);
  const kt = t.kiteCmd('kite get pods -A', ['get', 'pods', '-A']);
  // Untimed first calls: kubectl fills its discovery cache; both outputs are checked once.
  const first = { kubectl: await run(kc, t.ctl, true), kite: await run(kt, t.ctl, true) };
  for (const [who, r] of Object.entries(first)) {
    const got = lines(r.stdout);
    if (got.length !== PODS + 1) throw new Error(`${who} get pods -A printed ${got.length} lines, expected ${PODS + 1} (header + pods)`);
    if (!/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/.test(got[0]!)) throw new Error(`${who} get pods -A header: ${got[0]}`);
    if (!/\sSchedulingGated\s/.test(got[1]!)) throw new Error(`${who} get pods -A: the first pod is not SchedulingGated: ${got[1]}`);
  }
  out.checks.getLines = { kubectl: PODS + 1, kite: PODS + 1, firstKubectlMs: Math.round(first.kubectl.timing.wallMs), firstKiteMs: Math.round(first.kite.timing.wallMs) };
  const kubectlSeries: Series = { operation: `kubectl get pods -A (${PODS} gated Pending pods)`, count: PODS, timings: [] };
  const kiteSeries: Series = { operation: `kite get pods -A (same pods)`, count: PODS, timings: [] };
  for (let r = 0; r < RUNS; r++) {
    // Alternate who goes first, so a drifting machine does not favour one.
    const order = r % 2 === 0 ? [[kc, kubectlSeries], [kt, kiteSeries]] as const : [[kt, kiteSeries], [kc, kubectlSeries]] as const;
    for (const [cmd, series] of order) series.timings.push((await run(cmd, t.ctl, false)).timing);
    process.stdout.write(`get run ${r + 1}/${RUNS}: kubectl ${Math.round(kubectlSeries.timings.at(-1)!.wallMs)} ms, kite ${Math.round(kiteSeries.timings.at(-1)!.wallMs)} ms\n`);
  }
  out.series.push(kubectlSeries, kiteSeries);
  return [kubectlSeries, kiteSeries];
}

/** Runs `apply -f file` and checks that every object got `verb`. */
async function applyChecked(t: Tools, cmd: Command, verb: 'created' | 'unchanged', pattern: RegExp): Promise<Timing> {
  const r = await run(cmd, t.ctl, true);
  const got = lines(r.stdout);
  const matching = got.filter((l) => pattern.test(l) && l.endsWith(` ${verb}`)).length;
  if (got.length !== APPLY_OBJECTS || matching !== APPLY_OBJECTS) throw new Error(`${cmd.what}: ${matching} of ${got.length} lines say ${verb}, expected ${APPLY_OBJECTS}; first: ${got[0]}`);
  return r.timing;
}

async function benchApply(t: Tools, dir: string, out: { series: Series[] }): Promise<Series[]> {
  const what = APPLY_KIND === 'deployment' ? 'Deployments (replicas 0)' : 'ConfigMaps';
  const printed = APPLY_KIND === 'deployment' ? /^deployment\.apps\/web-\d+ / : /^configmap\/cm-\d+ /;
  const s = {
    kubectlCreate: { operation: `kubectl apply -f: ${APPLY_OBJECTS} new ${what}`, count: APPLY_OBJECTS, timings: [] } as Series,
    kiteCreate: { operation: `kite apply -f: the same, other namespace`, count: APPLY_OBJECTS, timings: [] } as Series,
    kubectlAgain: { operation: `kubectl apply -f again (all unchanged)`, count: APPLY_OBJECTS, timings: [] } as Series,
    kiteAgain: { operation: `kite apply -f again (all unchanged)`, count: APPLY_OBJECTS, timings: [] } as Series,
  };
  // Warm-up, untimed: kubectl's discovery and OpenAPI caches, and one object through each path.
  const warmNs = ['warm-kubectl', 'warm-kite'];
  await t.ctl.client.apply(warmNs.map(namespace));
  const warmFile = (ns: string) => {
    const f = path.join(dir, `${ns}.yaml`);
    fs.writeFileSync(f, YAML.stringify(applyObject(ns, 0)));
    return f;
  };
  await run(t.kubectlCmd('kubectl apply warm-up', ['apply', '-f', warmFile('warm-kubectl')]), t.ctl, true);
  await run(t.kiteCmd('kite apply warm-up', ['apply', '-f', warmFile('warm-kite')]), t.ctl, true);

  for (let r = 0; r < RUNS; r++) {
    const kubectlNs = `apply-kubectl-${r}`;
    const kiteNs = `apply-kite-${r}`;
    await t.ctl.client.apply([namespace(kubectlNs), namespace(kiteNs)]);
    const kubectlFile = manifestFile(dir, kubectlNs);
    const kiteFile = manifestFile(dir, kiteNs);
    const kubectlPass = async () => {
      const cmd = t.kubectlCmd('kubectl apply -f', ['apply', '-f', kubectlFile]);
      s.kubectlCreate.timings.push(await applyChecked(t, cmd, 'created', printed));
      s.kubectlAgain.timings.push(await applyChecked(t, cmd, 'unchanged', printed));
    };
    const kitePass = async () => {
      const cmd = t.kiteCmd('kite apply -f', ['apply', '-f', kiteFile]);
      s.kiteCreate.timings.push(await applyChecked(t, cmd, 'created', printed));
      s.kiteAgain.timings.push(await applyChecked(t, cmd, 'unchanged', printed));
    };
    if (r % 2 === 0) {
      await kubectlPass();
      if (APPLY_KIND === 'deployment') await controllerQuiet(t.ctl.pid);
      await kitePass();
    } else {
      await kitePass();
      if (APPLY_KIND === 'deployment') await controllerQuiet(t.ctl.pid);
      await kubectlPass();
    }
    if (APPLY_KIND === 'deployment') await controllerQuiet(t.ctl.pid);
    const last = (x: Series) => Math.round(x.timings.at(-1)!.wallMs);
    process.stdout.write(`apply run ${r + 1}/${RUNS}: kubectl ${last(s.kubectlCreate)} / again ${last(s.kubectlAgain)} ms, kite ${last(s.kiteCreate)} / again ${last(s.kiteAgain)} ms\n`);
  }
  out.series.push(s.kubectlCreate, s.kiteCreate, s.kubectlAgain, s.kiteAgain);
  return [s.kubectlCreate, s.kiteCreate, s.kubectlAgain, s.kiteAgain];
}

// ---- where a kubectl run's time goes (--diagnose) ------------------------------------------------

interface RouteTime {
  route: string;
  count: number;
  totalMs: number;
  medianMs: number;
}

interface Diagnosis {
  what: string;
  wallMs: number;
  clientCpuMs: number;
  controllerCpuMs: number;
  requests: number;
  /** Sum of the requests' latencies as kubectl logs them (server + network): kubectl makes them one at a time. */
  inRequestsMs: number;
  /** The longest time kubectl spent between two requests, and the request it then made. */
  longestPause: { ms: number; before: string };
  routes: RouteTime[];
  /** Bytes of each OpenAPI v3 document kubectl fetched (it parses one again for every object it applies). */
  openApiBytes?: Record<string, number>;
}

/** A klog line's time of day in ms (`I1130 06:17:28.673994 ...`). */
function klogMs(line: string): number | undefined {
  const m = /^[IWE]\d{4} (\d\d):(\d\d):(\d\d\.\d+)/.exec(line);
  return m ? (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000 : undefined;
}

/** A request path with names and namespaces folded, so requests group by route. */
function routeOf(method: string, url: string, code: string): string {
  const p = new URL(url).pathname.replace(/\/namespaces\/[^/]+/, '/namespaces/{ns}').replace(/\/(cm|web|pod)-\d+$/, '/{name}');
  return `${method} ${p} ${code}`;
}

/** The requests of a `kubectl -v=6` run, from its round_trippers log lines (made one at a time). */
function requestBreakdown(stderr: string): Pick<Diagnosis, 'requests' | 'inRequestsMs' | 'longestPause' | 'routes'> {
  const byRoute = new Map<string, number[]>();
  let lastEnd = klogMs(stderr.split('\n').find((l) => klogMs(l) !== undefined) ?? '');
  const longestPause = { ms: 0, before: '' };
  for (const line of stderr.split('\n')) {
    const m = /round_trippers\.go:\d+\] (\w+) (https?:\/\/\S+) (\d{3})\b.* in (\d+) milliseconds/.exec(line);
    if (!m) continue;
    const ms = Number(m[4]);
    const route = routeOf(m[1]!, m[2]!, m[3]!);
    const end = klogMs(line)!;
    const pause = lastEnd === undefined ? 0 : end - ms - lastEnd;
    if (pause > longestPause.ms) Object.assign(longestPause, { ms: Math.round(pause), before: route });
    lastEnd = end;
    byRoute.set(route, [...(byRoute.get(route) ?? []), ms]);
  }
  const routes = [...byRoute.entries()].map(([route, ms]) => ({ route, count: ms.length, totalMs: ms.reduce((a, b) => a + b, 0), medianMs: median(ms) })).sort((a, b) => b.totalMs - a.totalMs);
  return { requests: routes.reduce((a, r) => a + r.count, 0), inRequestsMs: routes.reduce((a, r) => a + r.totalMs, 0), longestPause, routes };
}

/** One untimed run of kubectl with -v=6: how many requests, how long they took, and the rest (kubectl itself). */
async function diagnose(t: Tools, what: string, args: string[], expectLines: number): Promise<Diagnosis> {
  const stderrFile = path.join(os.tmpdir(), `kite-bench-kubectl-v6-${process.pid}.log`);
  try {
    const r = await run(t.kubectlCmd(what, [...args, '-v=6']), t.ctl, true, stderrFile);
    const got = lines(r.stdout).length;
    if (got !== expectLines) throw new Error(`${what} -v=6 printed ${got} lines, expected ${expectLines}`);
    const breakdown = requestBreakdown(fs.readFileSync(stderrFile, 'utf8'));
    const openApiBytes: Record<string, number> = {};
    for (const doc of breakdown.routes.map((x) => /^GET (\/openapi\/v3\/\S+) 200$/.exec(x.route)?.[1]).filter((x) => x !== undefined)) {
      openApiBytes[doc] = Buffer.byteLength((await run(t.kubectlCmd('kubectl get --raw', ['get', '--raw', doc]), t.ctl, true)).stdout);
    }
    return { what, wallMs: Math.round(r.timing.wallMs), clientCpuMs: Math.round(r.timing.clientCpuMs), controllerCpuMs: Math.round(r.timing.controllerCpuMs), ...breakdown, ...(Object.keys(openApiBytes).length ? { openApiBytes } : {}) };
  } finally {
    fs.rmSync(stderrFile, { force: true });
  }
}

function printDiagnosis(d: Diagnosis): void {
  const own = d.wallMs - d.inRequestsMs;
  console.log(
    `\n${d.what} -v=6 (untimed): ${d.wallMs} ms wall; ${d.requests} requests one after another, ${d.inRequestsMs} ms in them (server + network); ` +
      `${own} ms in kubectl itself (longest pause ${d.longestPause.ms} ms, before ${d.longestPause.before}); CPU: kubectl ${d.clientCpuMs} ms, controller ${d.controllerCpuMs} ms`,
  );
  if (d.openApiBytes) console.log(`  OpenAPI v3 documents kubectl parsed: ${Object.entries(d.openApiBytes).map(([doc, n]) => `${doc} ${(n / 1024).toFixed(0)} KiB`).join(', ')}`);
  for (const r of d.routes.slice(0, 8)) console.log(`  ${String(r.count).padStart(6)} x ${r.route}: ${r.totalMs} ms (median ${r.medianMs} ms)`);
}

// ---- the controller's CPU profile, cut by phase ---------------------------------------------------

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface Ranked {
  name: string;
  ms: number;
  pct: number;
}

/**
 * The controller's CPU among the samples inside the windows: self time per source file and per
 * function, and inclusive time of Kite's own functions (frames from dist/, so callers of the
 * libraries show; stacks stop at each await, so this is per synchronous stretch).
 */
function profileBreakdown(profile: CpuProfile, windows: readonly [bigint, bigint][], top = 25): { sampledMs: number; files: Ranked[]; functions: Ranked[]; kiteInclusive: Ranked[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const spans = windows.map(([a, b]) => [Number(a / 1000n), Number(b / 1000n)] as const);
  const fileOf = (url: string) => {
    if (!url) return '(native)';
    const file = url.replace(/^file:\/\//, '');
    return file.includes('/node_modules/') ? file.replace(/^.*\/node_modules\//, 'node_modules/') : file.replace(/^.*\/dist\//, 'dist/');
  };
  const nameOf = (f: CpuProfile['nodes'][number]['callFrame']) => `${f.functionName || '(anonymous)'} ${fileOf(f.url)}${f.url ? ':' + (f.lineNumber + 1) : ''}`;
  const selfUs = new Map<string, number>();
  const fileUs = new Map<string, number>();
  const inclusiveUs = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);
  let total = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (!spans.some(([a, b]) => t >= a && t <= b)) continue;
    const node = byId.get(profile.samples[i]!)!;
    if (node.callFrame.functionName === '(idle)') continue;
    total += dt;
    add(selfUs, nameOf(node.callFrame), dt);
    const file = fileOf(node.callFrame.url);
    add(fileUs, file.startsWith('node_modules/') ? file.split('/').slice(0, file.startsWith('node_modules/@') ? 3 : 2).join('/') : file, dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parentOf.get(id)) {
      const f = byId.get(id)!.callFrame;
      if (!fileOf(f.url).startsWith('dist/')) continue;
      const name = nameOf(f);
      if (!seen.has(name)) add(inclusiveUs, name, dt);
      seen.add(name);
    }
  }
  const ranked = (m: Map<string, number>): Ranked[] =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, ms: Math.round(us / 1000), pct: Math.round((us / Math.max(1, total)) * 1000) / 10 }));
  return { sampledMs: Math.round(total / 1000), files: ranked(fileUs), functions: ranked(selfUs), kiteInclusive: ranked(inclusiveUs) };
}

// ---- main -----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  process.env.KITE_TEST_LOG_LEVEL ??= 'warn';
  const startedAt = new Date();
  if (!fs.existsSync(KUBECTL_132)) throw new Error(`kubectl 1.32 is required at ${KUBECTL_132}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-bench-kubectl-'));
  let etcd: EtcdHandle | undefined;
  let ctl: KubeController | undefined;
  let kubectl: Kubectl | undefined;
  const out = { series: [] as Series[], checks: {} as Record<string, unknown> };
  try {
    etcd = await startEtcd();
    if (CPU_PROFILE_DIR) fs.mkdirSync(CPU_PROFILE_DIR, { recursive: true });
    ctl = await startKubeController(etcd.endpoint, CPU_PROFILE_DIR);
    kubectl = kubectlFor(ctl.adminConfig, ctl.kubeApiPort);
    const c = ctl;
    const k = kubectl;
    const cacheDir = path.join(path.dirname(k.kubeconfig), 'cache');
    const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir() };
    const tools: Tools = {
      ctl: c,
      kubectl: k,
      kubectlCmd: (what, args) => ({ what, binary: KUBECTL_132, args: ['--cache-dir', cacheDir, ...args], env: { ...baseEnv, KUBECONFIG: k.kubeconfig } }),
      kiteCmd: (what, args) => {
        const [first, ...rest] = programCommand('cli/main.ts');
        return { what, binary: process.execPath, args: [first!, ...rest, ...args], env: { ...baseEnv, KITE_SERVER: c.target, KITE_CONFIG: c.adminConfig } };
      },
    };
    console.log(`etcd ${etcd.endpoint}, controller ${c.target} / kube-api https://127.0.0.1:${c.kubeApiPort} (pid ${c.pid}); log ${c.logFile}`);
    console.log(`kubectl: ${KUBECTL_132}; kite: ${tools.kiteCmd('', []).args[0]}; ${RUNS} runs each`);

    const fillMs = await fillPods(c.client);
    console.log(`created ${PODS} pods in ${POD_NAMESPACES} namespaces in ${Math.round(fillMs)} ms (Apply in batches of ${POD_BATCH}); waiting for the controller to go quiet`);
    await controllerQuiet(c.pid);

    const rows: BenchRow[] = [];
    const ratios: Record<string, number> = {};
    const compare = (kubectlSeries: Series, kiteSeries: Series, key: string) => {
      const r = ratioNote(kubectlSeries, kiteSeries);
      ratios[key] = round2(r.ratio);
      rows.push(seriesRow(kubectlSeries, r.note), seriesRow(kiteSeries, 'baseline'));
    };
    const diagnoses: Diagnosis[] = [];
    if (ONLY !== 'apply') {
      const [kubectlGet, kiteGet] = await benchGet(tools, out);
      compare(kubectlGet, kiteGet, 'getPodsAll');
      if (DIAGNOSE) diagnoses.push(await diagnose(tools, 'kubectl get pods -A', ['get', 'pods', '-A'], PODS + 1));
    }
    if (ONLY !== 'get') {
      const [kubectlCreate, kiteCreate, kubectlAgain, kiteAgain] = await benchApply(tools, dir, out);
      compare(kubectlCreate!, kiteCreate!, 'applyCreate');
      compare(kubectlAgain!, kiteAgain!, 'applyUnchanged');
      if (DIAGNOSE) {
        await c.client.apply([namespace('apply-kubectl-diagnosis')]);
        const file = manifestFile(dir, 'apply-kubectl-diagnosis');
        diagnoses.push(await diagnose(tools, 'kubectl apply -f (create)', ['apply', '-f', file], APPLY_OBJECTS));
        diagnoses.push(await diagnose(tools, 'kubectl apply -f (unchanged)', ['apply', '-f', file], APPLY_OBJECTS));
      }
    }
    console.log(`\n${formatTable(rows)}\n(WALL ms: median of ${RUNS} runs, alternating which goes first; ratio = kubectl median / kite median)`);
    for (const d of diagnoses) printDiagnosis(d);

    const extra: Record<string, unknown> = {
      aimRatio: AIM_RATIO,
      runs: RUNS,
      pods: PODS,
      podsPhase: 'Pending (SchedulingGated: no nodes, and a scheduling gate so the scheduler does not retry them)',
      applyObjects: APPLY_OBJECTS,
      applyKind: APPLY_KIND,
      kubectl: KUBECTL_132,
      ratios,
      series: out.series.map(summary),
      checks: out.checks,
      fillPodsMs: Math.round(fillMs),
      ...(diagnoses.length ? { kubectlRequests: diagnoses } : {}),
      command: `npm run bench:kubectl${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`,
    };

    if (CPU_PROFILE_DIR) {
      await c.stop();
      const file = fs.readdirSync(CPU_PROFILE_DIR).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(CPU_PROFILE_DIR, f)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
      if (!file) throw new Error(`no .cpuprofile in ${CPU_PROFILE_DIR}`);
      const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
      const profiles: Record<string, unknown> = {};
      for (const s of out.series) {
        const b = profileBreakdown(profile, s.timings.map((t) => t.window));
        profiles[s.operation] = b;
        console.log(`\ncontroller CPU during "${s.operation}" (all ${s.timings.length} runs, ${b.sampledMs} ms sampled):`);
        const print = (title: string, list: Ranked[], n: number) => {
          console.log(`  ${title}:`);
          for (const f of list.slice(0, n)) console.log(`  ${String(f.ms).padStart(6)} ms ${String(f.pct).padStart(5)}%  ${f.name}`);
        };
        print('by source file (self time)', b.files, 8);
        print('top functions (self time)', b.functions, 12);
        print("Kite's functions (inclusive)", b.kiteInclusive, 15);
      }
      extra.controllerProfile = { file, phases: profiles };
    }
    writeReport(RESULTS, makeReport('kubectl', rows, extra, startedAt));
    console.log(`\nwrote ${path.relative(process.cwd(), RESULTS)}`);
  } finally {
    kubectl?.cleanup();
    await ctl?.stop();
    await etcd?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench:kubectl failed: ${e instanceof Error ? e.stack : String(e)}`);
    process.exit(1);
  },
);
