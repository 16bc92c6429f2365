// Agent footprint benchmark: one real kite-agent on Docker running 40 `sleep` pods, with a real
// etcd and kite-controller. Measures the agent's resident memory and CPU use while it idles with
// those pods (sampled from /proc/<pid>/status and /proc/<pid>/stat), and how long a scrape of its
// /metrics takes. A printed measurement, not a test: `npm run bench:agent` (tsx bench/agent.ts),
// `--seconds N` shortens the observation (default 60). DOCKER_HOST=unix:///path picks the engine.
// Writes bench/results/agent.json. Targets: RSS < 80 MB, CPU < 2% of one core.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Pod } from '../common/api/types';
import { LABELS } from '../node-agent/executor/types';
import { DEFAULT_SOCKET, ensureDocker, type DockerHandle } from '../test/harness/dockerd';
import { startEtcd, type EtcdHandle } from '../test/harness/etcd';
import { ensureTestImage, TEST_IMAGE } from '../test/harness/images';
import { eventually, startAgent, startController, type AgentHandle, type ControllerHandle } from '../test/harness/processes';
import { type BenchRow, formatTable, makeReport, row, writeReport } from './lib/report';
import { percentile } from './lib/stats';

const PODS = 40;
const SCRAPES = 50;
const NODE = `bench-agent-${process.pid}`;
const RESULTS = path.join(__dirname, 'results', 'agent.json');
const TARGET_RSS_MB = 80;
const TARGET_CPU_PERCENT = 2;

function observeSeconds(argv: string[]): number {
  const i = argv.indexOf('--seconds');
  const n = i >= 0 ? Number(argv[i + 1]) : 60;
  if (!Number.isFinite(n) || n <= 0) throw new Error('--seconds needs a positive number');
  return n;
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the full line, i.e. 11 and 12 after the name.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Resident set size in bytes. */
export function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

function sleeper(i: number): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `sleeper-${i}`, namespace: 'default', labels: { bench: 'agent' } },
    spec: {
      nodeName: NODE,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'sleep', image: TEST_IMAGE, command: ['sleep', '86400'], resources: { limits: { memory: '16Mi' } } }],
    },
  };
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function main(): Promise<void> {
  const seconds = observeSeconds(process.argv.slice(2));
  const startedAt = new Date();
  const host = process.env.DOCKER_HOST;
  let docker: DockerHandle | undefined;
  let etcd: EtcdHandle | undefined;
  let controller: ControllerHandle | undefined;
  let agent: AgentHandle | undefined;
  try {
    docker = await ensureDocker(host?.startsWith('unix://') ? host.slice('unix://'.length) : DEFAULT_SOCKET);
    await ensureTestImage(docker.docker);
    etcd = await startEtcd();
    controller = await startController({ etcd: etcd.endpoint });
    agent = await startAgent({ controller: controller.target, name: NODE, runtime: 'docker', dockerHost: host });
    const client = controller.client;
    await eventually(async () => (await client.list('Node')).items.length === 1, 30_000, 'the agent to register');

    process.stdout.write(`starting ${PODS} pods on ${NODE}...\n`);
    const t0 = performance.now();
    await client.apply(Array.from({ length: PODS }, (_, i) => sleeper(i)));
    await eventually(
      async () => (await client.list<Pod>('Pod', { namespace: 'default' })).items.filter((p) => p.status?.phase === 'Running').length === PODS,
      180_000,
      `${PODS} pods to run`,
    );
    const startMs = performance.now() - t0;
    // Let the start-up work (pulls, creates, first stats) settle before measuring the steady state.
    await delay(5_000);

    process.stdout.write(`observing the agent (pid ${agent.pid}) for ${seconds} s...\n`);
    const rss: number[] = [];
    const cpu0 = cpuSeconds(agent.pid);
    const obs0 = performance.now();
    while (performance.now() - obs0 < seconds * 1000) {
      rss.push(rssBytes(agent.pid));
      await delay(1000);
    }
    const observedS = (performance.now() - obs0) / 1000;
    const cpuUsed = cpuSeconds(agent.pid) - cpu0;
    const cpuPerMinute = (cpuUsed / observedS) * 60;
    const cpuPercent = (cpuUsed / observedS) * 100;

    const url = `http://127.0.0.1:${agent.httpPort}/metrics`;
    const scrapes: number[] = [];
    let bytes = 0;
    for (let i = 0; i < SCRAPES; i++) {
      const s = performance.now();
      const res = await fetch(url);
      bytes = (await res.text()).length;
      scrapes.push(performance.now() - s);
    }
    const series = (await (await fetch(url)).text()).split('\n').filter((l) => l.startsWith('kite_container_memory_working_set_bytes{')).length;

    const rssAvg = rss.reduce((a, b) => a + b, 0) / Math.max(1, rss.length);
    const rssMax = Math.max(...rss);
    const rows: BenchRow[] = [
      row(`start ${PODS} sleep pods (apply to all Running)`, PODS, startMs),
      row(`agent RSS avg ${mb(rssAvg)} MB, max ${mb(rssMax)} MB`, rss.length, observedS * 1000, undefined, `target < ${TARGET_RSS_MB} MB: ${mb(rssMax) < TARGET_RSS_MB ? 'met' : 'MISSED'}`),
      row(
        `agent CPU ${cpuPerMinute.toFixed(2)} s/min (${cpuPercent.toFixed(2)}% of a core)`,
        1,
        observedS * 1000,
        undefined,
        `target < ${TARGET_CPU_PERCENT}%: ${cpuPercent < TARGET_CPU_PERCENT ? 'met' : 'MISSED'}`,
      ),
      row(`GET /metrics (${Math.round(bytes / 1024)} KB, ${series} container series)`, SCRAPES, scrapes.reduce((a, b) => a + b, 0), scrapes),
    ];
    process.stdout.write('\n' + formatTable(rows) + '\n');
    writeReport(
      RESULTS,
      makeReport('agent', rows, {
        pods: PODS,
        observedSeconds: Math.round(observedS),
        rssAvgBytes: Math.round(rssAvg),
        rssMaxBytes: rssMax,
        cpuSecondsPerMinute: Math.round(cpuPerMinute * 1000) / 1000,
        cpuPercentOfCore: Math.round(cpuPercent * 100) / 100,
        scrapeP50Ms: percentile(scrapes, 50),
        scrapeP99Ms: percentile(scrapes, 99),
        metricsBytes: bytes,
        containerSeries: series,
        targets: { rssMb: TARGET_RSS_MB, cpuPercent: TARGET_CPU_PERCENT },
        note: 'The agent runs from source through tsx, whose loader adds to RSS compared with the compiled dist/ build.',
      }, startedAt),
    );
    process.stdout.write(`\nwrote ${path.relative(process.cwd(), RESULTS)}\n`);
  } finally {
    if (controller) {
      const client = controller.client;
      const pods = await client.list<Pod>('Pod', { namespace: 'default' }).catch(() => ({ items: [] as Pod[] }));
      await Promise.all(pods.items.map((p) => client.delete('Pod', p.metadata.name, 'default').catch(() => undefined)));
    }
    if (docker) {
      const d = docker.docker;
      const mine = () => d.listContainers({ all: true, filters: { label: [`${LABELS.node}=${NODE}`] } });
      await eventually(async () => (await mine()).length === 0, 60_000, 'pod containers to go').catch(() => undefined);
      for (const c of await mine().catch(() => [])) await d.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    }
    await agent?.stop();
    await controller?.stop();
    await etcd?.stop();
    await docker?.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:agent failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
