// Building blocks for cluster benchmarks: a controller child process (optionally CPU-profiled),
// hollow-node child processes, /proc readings of a process's peak RSS and CPU time, and a pod
// watcher that notes when given numbers of pods were bound and Running.
import * as fs from 'node:fs';
import type { KiteClient } from '../../common/client';
import { agentSecurityArgs, controllerSecurityArgs } from '../../test/harness/credentials';
import type { Pod } from '../../common/api/types';
import { freePort } from '../../test/harness/ports';
import { launch, waitForController } from '../../test/harness/processes';

export interface Child {
  pid: number;
  logFile: string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export interface BenchController extends Child {
  target: string;
  client: KiteClient;
}

export interface BenchControllerOpts {
  etcd: string;
  prefix: string;
  nodeGraceSeconds?: number;
  heartbeatMs?: number;
  /** Write a .cpuprofile of the controller here (node --cpu-prof) when it stops. */
  cpuProfileDir?: string;
  /** The TLS-cost baseline: no TLS, no authentication (a flag only benchmarks use). */
  plaintext?: boolean;
}

export async function startBenchController(o: BenchControllerOpts): Promise<BenchController> {
  const port = await freePort();
  const httpPort = await freePort();
  const args = ['--etcd', o.etcd, '--etcd-prefix', o.prefix, '--listen', `127.0.0.1:${port}`, '--http', `127.0.0.1:${httpPort}`, '--log-level', 'warn'];
  if (o.nodeGraceSeconds) args.push('--node-grace', String(o.nodeGraceSeconds));
  if (o.heartbeatMs) args.push('--heartbeat', String(o.heartbeatMs));
  const security = controllerSecurityArgs(o.etcd, o.prefix, port);
  args.push(...security.args);
  if (o.plaintext) args.push('--plaintext-for-benchmarks');
  const flags = o.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfileDir}`] : [];
  // Runs the compiled controller when KITE_RUN_DIST=1 (the bench scripts build first), as users run it.
  const handle = launch('controller/main.ts', args, { nodeFlags: flags, stopGraceMs: 10_000 });
  const target = `127.0.0.1:${port}`;
  const client = await waitForController(target, security.adminConfig, handle.logFile, () => handle.stop(), undefined, 60_000, o.plaintext);
  return {
    ...handle,
    target,
    client,
    stop: async () => {
      client.close();
      await handle.stop();
    },
    kill: async () => {
      client.close();
      await handle.kill();
    },
  };
}

/** Starts `count` hollow nodes named `${prefix}${first..}` in one child process; resolves once all are connected. */
export async function startHollowNodes(controller: string, first: number, count: number, prefix = 'hollow-', maxPods = 110): Promise<Child> {
  const handle = launch('bench/lib/hollow-nodes.ts', ['--controller', controller, '--first', String(first), '--count', String(count), '--name-prefix', prefix, '--max-pods', String(maxPods), ...agentSecurityArgs(controller)], {
    env: { KITE_LOG_LEVEL: 'warn' },
    pipeStdout: true,
    stopGraceMs: 10_000,
  });
  const child = handle.child;
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    // A loaded 2-CPU machine registers about ten nodes a second; give each node a second on top.
    const timeoutMs = 120_000 + count * 1000;
    const timer = setTimeout(() => reject(new Error(`hollow nodes ${first}..${first + count - 1} not ready after ${timeoutMs / 1000} s (${handle.logFile})`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('ready\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hollow nodes exited with ${code}: ${fs.readFileSync(handle.logFile, 'utf8').slice(-2000)}`));
    });
  });
  return handle;
}

/** Starts `total` hollow nodes spread over up to `processes` child processes. */
export async function startHollowFleet(controller: string, total: number, processes: number, prefix = 'hollow-', maxPods = 110): Promise<Child[]> {
  const n = Math.max(1, Math.min(processes, total));
  const per = Math.ceil(total / n);
  const starts: Promise<Child>[] = [];
  for (let first = 0; first < total; first += per) starts.push(startHollowNodes(controller, first, Math.min(per, total - first), prefix, maxPods));
  return Promise.all(starts);
}

export interface ProcUsage {
  /** Peak resident set size, MiB (VmHWM). */
  peakRssMb: number;
  rssMb: number;
  /** User + system CPU seconds so far. */
  cpuSeconds: number;
}

export function procUsage(pid: number): ProcUsage {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  // /proc/PID/stat: the command may contain spaces, so count fields after the closing paren.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return { peakRssMb: Math.round(kb('VmHWM') / 1024), rssMb: Math.round(kb('VmRSS') / 1024), cpuSeconds: ticks / 100 };
}

/** Watches the pods of one namespace and notes when each milestone count was reached. */
export class PodTracker {
  /** Pods that exist (seen added and not deleted). */
  readonly live = new Set<string>();
  readonly bound = new Set<string>();
  readonly running = new Set<string>();
  readonly nodeOf = new Map<string, string>();
  private readonly abort = new AbortController();
  private waiters: (() => void)[] = [];
  private failure: unknown;
  private done: Promise<void>;

  /** Pass the resourceVersion of a list taken before the pods were created, so no event is missed. */
  constructor(client: KiteClient, namespace: string, resourceVersion?: string) {
    this.done = (async () => {
      try {
        for await (const ev of client.watch<Pod>('Pod', { namespace, resourceVersion }, this.abort.signal)) {
          const p = ev.object;
          if (!p?.metadata.uid) continue;
          const uid = p.metadata.uid;
          if (ev.type === 'DELETED') {
            this.live.delete(uid);
            this.bound.delete(uid);
            this.running.delete(uid);
            this.nodeOf.delete(uid);
          } else {
            this.live.add(uid);
            if (p.spec.nodeName) {
              this.bound.add(uid);
              this.nodeOf.set(uid, p.spec.nodeName);
            }
            if (p.status?.phase === 'Running') this.running.add(uid);
            else this.running.delete(uid);
          }
          for (const w of this.waiters.splice(0)) w();
        }
      } catch (e) {
        // Reported by until(), not as an unhandled rejection that kills the bench with its children.
        if (!this.abort.signal.aborted) this.failure = e;
      }
      for (const w of this.waiters.splice(0)) w();
    })();
  }

  /** Resolves (with performance.now()) once `pred` holds; checked after every event. */
  async until(pred: (t: PodTracker) => boolean, timeoutMs: number, what: string): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (!pred(this)) {
      if (this.failure !== undefined) throw new Error(`the pod watch failed (bound ${this.bound.size}, running ${this.running.size}): ${String(this.failure)}`);
      if (performance.now() > deadline) throw new Error(`timed out waiting for ${what} (bound ${this.bound.size}, running ${this.running.size})`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 250);
      });
    }
    return performance.now();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done.catch(() => undefined);
  }
}
