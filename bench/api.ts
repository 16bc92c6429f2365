// API benchmark: a real etcd and a real kite-controller (child process), driven over real gRPC.
// Measures bulk apply, concurrent creates, a large list and watch fan-out, each next to the same
// work done with the raw etcd3 client, so Kite's overhead shows as a ratio. A printed measurement,
// not a test: `npm run bench:api [-- --rounds N]` (tsx bench/api.ts). Writes bench/results/api.json.
// TLS's cost: the whole pass runs against the normal (mTLS) controller and against a plaintext
// one (--plaintext-for-benchmarks), each on a fresh etcd; every Kite row gets the plaintext
// figure under it with the ratio TLS/plaintext against the aim of 1.15x.
import { setMaxListeners } from 'node:events';
import * as path from 'node:path';
import { Etcd3 } from 'etcd3';
import YAML from 'yaml';
import type { ConfigMap, Deployment, KObject } from '../common/api/types';
import { KiteClient, type WatchedEvent } from '../common/client';
import { parseManifests, validateManifests } from '../common/manifest';
import { startEtcd, type EtcdHandle } from '../test/harness/etcd';
import { startController, type ControllerHandle } from '../test/harness/processes';
import { type BenchRow, formatTable, makeReport, row, writeReport } from './lib/report';
import { percentile, runConcurrently, timed } from './lib/stats';
import { medianRows, runOrder, TLS_AIM, tlsSummary, type TransportMode, withPlaintextBaselines } from './lib/tls-cost';
import { PLAINTEXT } from '../common/transport';

const DEPLOYMENTS = 1_000;
const CONFIGMAPS = 10_000;
const WATCHERS = 1_000;
/** Requests in flight for the concurrent creates (same for Kite and raw etcd). */
const CREATE_CONCURRENCY = 64;
const LIST_RUNS = 5;
const PREFIX = '/kite-bench';
const RAW_PREFIX = '/raw-bench/';
const RESULTS = path.join(__dirname, 'results', 'api.json');
/** `--rounds N`: N runs with TLS and N in plaintext, alternating; each row is the median run. */
const ROUNDS = Number(flagValue('rounds', '1'));

function flagValue(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function deployment(i: number): Deployment {
  const name = `bench-${i}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name, bench: 'api' } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
      },
    },
  } as Deployment;
}

function configMap(i: number): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'default', labels: { bench: 'api' } }, data: { index: String(i), payload: 'x'.repeat(64) } };
}

const ratio = (kite: number, raw: number) => `${(kite / raw).toFixed(1)}x raw etcd`;

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<number> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return performance.now() - start;
}

async function benchApply(client: KiteClient, raw: Etcd3, rows: BenchRow[], extra: Record<string, unknown>): Promise<void> {
  const objects = Array.from({ length: DEPLOYMENTS }, (_, i) => deployment(i));

  const yaml = objects.map((o) => YAML.stringify(o)).join('---\n');
  const parsed = await timed(() => validateManifests(parseManifests(yaml, 'bench.yaml')));
  if (parsed.value.objects.length !== DEPLOYMENTS) throw new Error(`parsed ${parsed.value.objects.length} objects`);
  rows.push(row(`parse+validate ${DEPLOYMENTS}-document YAML (${(yaml.length / 1024).toFixed(0)} KiB)`, DEPLOYMENTS, parsed.ms));

  const applied = await timed(() => client.apply(objects));
  const created = applied.value.results.filter((r) => r.action === 'created').length;
  if (created !== DEPLOYMENTS) throw new Error(`apply created ${created} of ${DEPLOYMENTS}`);

  // The same objects as raw puts, with the controller's own apply concurrency (32).
  const rawPut = await timed(() => runConcurrently(DEPLOYMENTS, 32, async (i) => raw.put(`${RAW_PREFIX}deployments/${i}`).value(JSON.stringify(objects[i])).exec()));
  rows.push(row('kite apply: Deployments in ONE call', DEPLOYMENTS, applied.ms, undefined, ratio(applied.ms, rawPut.ms)));
  rows.push(row('  raw etcd put (32 in flight)', DEPLOYMENTS, rawPut.ms, rawPut.value));
  extra.applyTargetMet = applied.ms < 2000;

  const again = await timed(() => client.apply(objects));
  const unchanged = again.value.results.filter((r) => r.action === 'unchanged').length;
  rows.push(row('kite apply again (all unchanged)', DEPLOYMENTS, again.ms, undefined, `${unchanged} unchanged`));

  // The leader's deployment controller reacts to the burst: one ReplicaSet per Deployment.
  const settled = await waitUntil('the ReplicaSets of the applied Deployments', 120_000, async () => (await client.list('ReplicaSet', { labelSelector: '' })).items.length >= DEPLOYMENTS);
  rows.push(row('  reconciler: ReplicaSets for them (after apply)', DEPLOYMENTS, settled, undefined, 'background; waited so later rows are quiet'));
}

async function benchCreateAndList(client: KiteClient, raw: Etcd3, rows: BenchRow[], extra: Record<string, unknown>): Promise<string> {
  const objects = Array.from({ length: CONFIGMAPS }, (_, i) => configMap(i));
  const created = await timed(() => runConcurrently(CONFIGMAPS, CREATE_CONCURRENCY, (i) => client.apply([objects[i]!])));
  const rawCreated = await timed(() => runConcurrently(CONFIGMAPS, CREATE_CONCURRENCY, async (i) => raw.put(`${RAW_PREFIX}configmaps/${i}`).value(JSON.stringify(objects[i])).exec()));
  rows.push(row(`kite apply ConfigMaps, 1 per call, ${CREATE_CONCURRENCY} in flight`, CONFIGMAPS, created.ms, created.value, ratio(created.ms, rawCreated.ms)));
  rows.push(row(`  raw etcd put, ${CREATE_CONCURRENCY} in flight`, CONFIGMAPS, rawCreated.ms, rawCreated.value));

  const lists: number[] = [];
  let resourceVersion = '';
  for (let r = 0; r < LIST_RUNS; r++) {
    const res = await timed(() => client.list<ConfigMap>('ConfigMap'));
    if (res.value.items.length !== CONFIGMAPS) throw new Error(`list returned ${res.value.items.length} ConfigMaps`);
    lists.push(res.ms);
    resourceVersion = res.value.resourceVersion;
  }
  const rawLists: number[] = [];
  const rawDecoded: number[] = [];
  for (let r = 0; r < LIST_RUNS; r++) {
    const res = await timed(() => raw.getAll().prefix(`${RAW_PREFIX}configmaps/`).exec());
    if (res.value.kvs.length !== CONFIGMAPS) throw new Error(`raw range returned ${res.value.kvs.length} keys`);
    rawLists.push(res.ms);
    const withDecode = await timed(async () => (await raw.getAll().prefix(`${RAW_PREFIX}configmaps/`).exec()).kvs.map((kv) => JSON.parse(kv.value.toString()) as KObject));
    rawDecoded.push(withDecode.ms);
  }
  const median = (xs: number[]) => percentile(xs, 50)!;
  rows.push(row(`kite list ConfigMaps (median of ${LIST_RUNS})`, CONFIGMAPS, median(lists), lists, ratio(median(lists), median(rawLists))));
  rows.push(row(`  raw etcd range (median of ${LIST_RUNS})`, CONFIGMAPS, median(rawLists), rawLists));
  rows.push(row(`  raw etcd range + JSON.parse (median of ${LIST_RUNS})`, CONFIGMAPS, median(rawDecoded), rawDecoded));
  extra.listTargetMet = median(lists) < 500;
  return resourceVersion;
}

/** Resolves when every stream has received an event for `name`, with the performance.now() of each receipt. */
function awaitEventEverywhere(streams: AsyncIterator<WatchedEvent>[], name: string): Promise<number[]> {
  return Promise.all(
    streams.map(async (it) => {
      for (;;) {
        const next = await it.next();
        if (next.done) throw new Error('a watch ended early');
        if (next.value.object?.metadata.name === name) return performance.now();
      }
    }),
  );
}

async function benchWatch(client: KiteClient, raw: Etcd3, resourceVersion: string, rows: BenchRow[]): Promise<void> {
  const abort = new AbortController();
  // Every watch listens on this one signal.
  setMaxListeners(WATCHERS + 10, abort.signal);
  try {
    const opened = performance.now();
    const streams = Array.from({ length: WATCHERS }, () => client.watch('ConfigMap', { namespace: 'default', resourceVersion }, abort.signal)[Symbol.asyncIterator]());
    // Warm-up: every watcher has seen this change once it is attached, so the measured change
    // below is timed on live watches, not on catch-up replays.
    const warmup = awaitEventEverywhere(streams, 'cm-0');
    await client.apply([{ ...configMap(0), data: { index: '0', payload: 'warm-up' } }]);
    await warmup;
    rows.push(row(`kite watch: open ${WATCHERS} watches (one channel) until live`, WATCHERS, performance.now() - opened));

    const measured = awaitEventEverywhere(streams, 'cm-1');
    const written = performance.now();
    await client.apply([{ ...configMap(1), data: { index: '1', payload: 'the change' } }]);
    const perWatcher = (await measured).map((at) => at - written);
    const last = Math.max(...perWatcher);
    rows.push(row(`kite watch: 1 write -> last of ${WATCHERS} watchers`, WATCHERS, last, perWatcher, 'latency per watcher from the write call'));
  } finally {
    abort.abort();
  }

  // Baseline: the same fan-out as raw etcd watchers (multiplexed on one etcd3 stream).
  const watchers = await Promise.all(Array.from({ length: WATCHERS }, () => raw.watch().key(`${RAW_PREFIX}configmaps/1`).create()));
  try {
    const start = performance.now();
    const got = Promise.all(watchers.map((w) => new Promise<number>((resolve) => w.once('put', () => resolve(performance.now() - start)))));
    await raw.put(`${RAW_PREFIX}configmaps/1`).value('changed');
    const latencies = await got;
    rows.push(row(`  raw etcd: 1 put -> last of ${WATCHERS} etcd watchers`, WATCHERS, Math.max(...latencies), latencies));
  } finally {
    await Promise.all(watchers.map((w) => w.cancel()));
  }
}

/** One full pass (fresh etcd, fresh controller) against a TLS or a plaintext controller. */
async function runOnce(mode: TransportMode, extra: Record<string, unknown>): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let etcd: EtcdHandle | undefined;
  let ctl: ControllerHandle | undefined;
  let raw: Etcd3 | undefined;
  try {
    etcd = await startEtcd();
    const plaintext = mode === 'plaintext';
    ctl = await startController({ etcd: etcd.endpoint, prefix: PREFIX, id: 'bench', plaintextForBenchmarks: plaintext });
    raw = new Etcd3({ hosts: etcd.endpoint });
    const client = plaintext ? new KiteClient(ctl.target, PLAINTEXT, 120_000) : KiteClient.fromConfigFile(ctl.adminConfig, ctl.target, 120_000);
    try {
      console.log(`[${mode}] etcd ${etcd.endpoint}, controller ${ctl.target} (pid ${ctl.pid}); log ${ctl.logFile}`);
      await benchApply(client, raw, rows, extra);
      const rv = await benchCreateAndList(client, raw, rows, extra);
      await benchWatch(client, raw, rv, rows);
    } finally {
      client.close();
    }
  } finally {
    raw?.close();
    await ctl?.stop();
    await etcd?.stop();
  }
  console.log(`[${mode}]\n${formatTable(rows)}\n`);
  return rows;
}

async function main(): Promise<void> {
  process.env.KITE_TEST_LOG_LEVEL ??= 'warn';
  const startedAt = new Date();
  const order = runOrder(ROUNDS);
  const runs: Record<TransportMode, BenchRow[][]> = { tls: [], plaintext: [] };
  const targets: Record<TransportMode, Record<string, unknown>> = { tls: {}, plaintext: {} };
  for (const mode of order) runs[mode].push(await runOnce(mode, targets[mode]));
  const tls = medianRows(runs.tls);
  const plaintext = medianRows(runs.plaintext);
  // Kite's own calls get a plaintext baseline; parsing is client-side and the reconciler row is background.
  const { rows, costs } = withPlaintextBaselines(tls, plaintext, (r) => r.operation.startsWith('kite'));
  const extra: Record<string, unknown> = {
    targets: { applyMs: 2000, listMs: 500 },
    ...targets.tls,
    tlsVsPlaintext: { aim: TLS_AIM, order, costs, plaintextRows: plaintext, note: 'each run: fresh etcd and controller; rounds alternate which mode goes first' },
  };
  console.log('\n' + formatTable(rows));
  console.log(`\n${tlsSummary(costs)} (runs in order ${order.join(', ')}; fresh etcd and controller each)`);
  writeReport(RESULTS, makeReport('api', rows, extra, startedAt));
  console.log(`\nwrote ${path.relative(process.cwd(), RESULTS)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
