// kite image push benchmark (issue 13): a ~100 MB image pushed from the main engine to three test
// hosts (network namespaces, each with its own dockerd and kite-agent) through the controller,
// against the baseline of `docker save IMAGE` piped into `docker load` on the same three engines
// at once (one save, three loads, as kite does), in the same run, alternating, several trials.
//   npm run bench:image   (= build, then KITE_RUN_DIST=1 tsx bench/image.ts)
// Also records the controller's peak resident memory during the pushes: the relay must stream,
// not hold the image. Writes bench/results/image.json. Aim: kite within 1.2x of the baseline.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Docker from 'dockerode';
import { ensureDocker } from '../test/harness/dockerd';
import { ensureTestImage } from '../test/harness/images';
import { followProgress } from '../test/harness/registry';
import { eventually, startCluster, type MultiHostCluster } from '../test/multihost/fixture';
import { type BenchRow, formatTable, makeReport, row, writeReport } from './lib/report';

const RESULTS = path.join(__dirname, 'results', 'image.json');
const IMAGE = `kite-bench/image-push:${process.pid}`;
const LAYER_MB = 100;
const TRIALS = 3;
const AIM_RATIO = 1.2;
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** FROM the busybox test image plus one layer of random bytes (incompressible, unique). */
async function buildBigImage(docker: Docker): Promise<number> {
  const base = await ensureTestImage(docker);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-bench-image-'));
  try {
    fs.writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${base}\nCOPY blob /blob\n`);
    const fd = fs.openSync(path.join(dir, 'blob'), 'w');
    for (let i = 0; i < LAYER_MB; i++) fs.writeSync(fd, randomBytes(1 << 20));
    fs.closeSync(fd);
    execFileSync('tar', ['-C', dir, '-cf', path.join(dir, 'context.tar'), 'Dockerfile', 'blob']);
    await followProgress(docker, await docker.buildImage(fs.createReadStream(path.join(dir, 'context.tar')) as unknown as NodeJS.ReadableStream, { t: IMAGE, rm: true, forcerm: true }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return (await docker.getImage(IMAGE).inspect()).Size;
}

/** Removes the image from every host's engine, so each trial loads it anew. */
async function clearHosts(c: MultiHostCluster): Promise<void> {
  await Promise.all(c.hosts.hosts.map((h) => h.docker.getImage(IMAGE).remove({ force: true }).catch(() => undefined)));
}

/** `docker save IMAGE` piped into `docker -H <host> load` on every host at once; resolves with the wall time. */
function saveLoadBaseline(sockets: readonly string[]): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const save = spawn('docker', ['save', IMAGE], { stdio: ['ignore', 'pipe', 'inherit'] });
    let pending = sockets.length;
    for (const s of sockets) {
      const load = spawn('docker', ['-H', `unix://${s}`, 'load', '-q'], { stdio: ['pipe', 'ignore', 'inherit'] });
      save.stdout.pipe(load.stdin);
      load.on('exit', (code) => {
        if (code !== 0) return reject(new Error(`docker load on ${s} exited ${code}`));
        if (--pending === 0) resolve(performance.now() - t0);
      });
    }
    save.on('exit', (code) => code !== 0 && reject(new Error(`docker save exited ${code}`)));
  });
}

/** Peak resident memory of a process while `during` runs, sampled every 20 ms. */
async function peakRss<T>(pid: number, during: Promise<T>): Promise<{ result: T; peakBytes: number }> {
  let peak = 0;
  const sample = () => {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) peak = Math.max(peak, Number(m[1]) * 1024);
  };
  sample();
  const timer = setInterval(sample, 20);
  try {
    return { result: await during, peakBytes: peak };
  } finally {
    clearInterval(timer);
    sample();
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  // The main engine (the `kite` CLI's local one): reused when running, else started and stopped again.
  const engine = await ensureDocker();
  const docker: Docker = engine.docker;
  process.stdout.write(`building a ${LAYER_MB} MB image ${IMAGE}...\n`);
  const imageBytes = await buildBigImage(docker);
  const c = await startCluster({ hosts: 3, controllers: 1, nodeGraceSeconds: 10, heartbeatMs: 500 });
  try {
    await eventually(async () => (await c.client().list('Node')).items.length === 3, 30_000, 'three nodes registered');
    const sockets = c.hosts.hosts.map((h) => h.socket);
    const controllerPid = c.controllers[0]!.pid;
    const baseline: number[] = [];
    const pushes: number[] = [];
    let peak = 0;
    let idleRss = 0;
    for (let i = 0; i < TRIALS; i++) {
      await clearHosts(c);
      baseline.push(await saveLoadBaseline(sockets));
      await clearHosts(c);
      idleRss = Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${controllerPid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
      const t0 = performance.now();
      const { result, peakBytes } = await peakRss(controllerPid, c.cli(['image', 'push', IMAGE]));
      const ms = performance.now() - t0;
      if (result.code !== 0) throw new Error(`kite image push failed: ${result.stderr}${result.stdout}`);
      pushes.push(ms);
      peak = Math.max(peak, peakBytes - idleRss);
      process.stdout.write(`trial ${i + 1}: docker save|load x3 ${Math.round(baseline[i]!)} ms, kite image push x3 ${Math.round(ms)} ms\n`);
    }
    const b = median(baseline);
    const k = median(pushes);
    const ratio = k / b;
    const rows: BenchRow[] = [
      row(`docker save | docker load to 3 engines (baseline)`, 3, b, baseline, `median of ${TRIALS}`),
      row(`kite image push to 3 nodes`, 3, k, pushes, `${ratio.toFixed(2)}x baseline (aim <= ${AIM_RATIO}x: ${ratio <= AIM_RATIO ? 'met' : 'MISSED'})`),
    ];
    process.stdout.write('\n' + formatTable(rows) + '\n');
    process.stdout.write(`image ${(imageBytes / 1e6).toFixed(0)} MB; controller RSS grew by at most ${(peak / 1e6).toFixed(0)} MB during a push\n`);
    writeReport(RESULTS, makeReport('image', rows, { imageBytes, ratio, aimRatio: AIM_RATIO, controllerPeakRssGrowthBytes: peak, trials: TRIALS }, startedAt));
  } finally {
    await clearHosts(c).catch(() => undefined);
    await c.teardown();
    await docker.getImage(IMAGE).remove({ force: true }).catch(() => undefined);
    await engine.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench:image failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
