// PodManager: the agent's pods. One PodWorker per assigned pod; runtime events and a slow poll
// wake the workers; statuses go out de-duplicated and batched.
import { PassThrough, type Readable } from 'node:stream';
import type { Pod } from '../../common/api/types';
import { systemClock, type Clock, type Timer } from '../../common/clock';
import { errorMessage, notFound, unavailable } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { PodStatusReport } from '../../common/generated/kite/v1/PodStatusReport';
import type { PodUsage } from '../../common/generated/kite/v1/PodUsage';
import { SANDBOX_NAME, type ExecHandle, type ExecOptions, type Executor, type ManagedContainer } from '../executor/types';
import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { StatusReporter } from './reporter';
import type { PodAssignment } from './resolve';
import { PodWorker, type AdoptedPod, type StartStep, type PodEventNote } from './worker';

export type { PodAssignment } from './resolve';
export type { ExecHandle } from '../executor/types';

export interface PodManagerOptions {
  executor: Executor;
  /** Durations of pull / create / start steps, for metrics. */
  onTiming?: (step: StartStep, seconds: number) => void;
  /** Pod events (Pulled, Created, Started, Killing, BackOff...) for the controller to record. */
  onEvent?: (event: PodEventNote) => void;
  nodeName: string;
  /** Per-pod volume dirs live under <dataDir>/pods/<uid>. */
  dataDir: string;
  /** Secret volumes live under <secretsDir>/<uid> (a tmpfs); in the pod's dir when omitted. */
  secretsDir?: string;
  clock?: Clock;
  log: Logger;
  onStatus: (reports: PodStatusReport[]) => void;
  /** Containers found by recover(), before any worker runs (the pod network re-reserves their IPs). */
  onRecovered?: (containers: ManagedContainer[]) => void;
  /** A pod's containers and files are gone for good (its pod IP can be released). */
  onPodRemoved?: (uid: string) => void;
  /** Crash-loop back-off; default 10s doubling to 300s, reset after 10 min of running. */
  backoff?: Partial<BackoffOptions>;
  /** Safety-net poll of every pod, on top of runtime events (default 5 s). */
  pollIntervalMs?: number;
  /** Status changes within this window go out as one batch (default 50 ms). */
  reportCoalesceMs?: number;
  /** Grace for pods we know only from container labels (default 30 s). */
  defaultGraceSeconds?: number;
  /** How often usage() numbers are refreshed (default 10 s). */
  statsIntervalMs?: number;
}

export interface PodLogOptions {
  follow: boolean;
  tail?: number;
  timestamps: boolean;
  previous: boolean;
}

export interface UsageSnapshot {
  pods: PodUsage[];
  cpuUsageMillis: number;
  memoryUsageBytes: number;
}

export class PodManager {
  private readonly executor: Executor;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly workers = new Map<string, PodWorker>();
  private readonly adopted = new Map<string, AdoptedPod>();
  private readonly reporter: StatusReporter;
  private readonly backoff: BackoffOptions;
  private readonly pollMs: number;
  private readonly statsMs: number;
  private readonly abort = new AbortController();
  private pollTimer: Timer | undefined;
  private statsTimer: Timer | undefined;
  private eventsLoop: Promise<void> | undefined;
  private started = false;
  private stopped = false;
  private lastUsage: UsageSnapshot = { pods: [], cpuUsageMillis: 0, memoryUsageBytes: 0 };
  private lastCpu: { at: number; seconds: number } | undefined;

  constructor(private readonly opts: PodManagerOptions) {
    this.executor = opts.executor;
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log.child({ component: 'pod-manager' });
    this.backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.pollMs = opts.pollIntervalMs ?? 5000;
    this.statsMs = opts.statsIntervalMs ?? 10_000;
    this.reporter = new StatusReporter(this.clock, opts.reportCoalesceMs ?? 50, (reports) => {
      try {
        opts.onStatus(reports);
      } catch (e) {
        this.log.error({ err: errorMessage(e) }, 'status sink threw');
      }
    });
  }

  /** Adopts containers left by a previous agent (found by labels). Call before the first sync. */
  async recover(): Promise<void> {
    const found = await this.executor.listManaged();
    this.opts.onRecovered?.(found);
    for (const c of found) {
      const pod = this.adopted.get(c.podUid) ?? { containers: new Map<string, ManagedContainer[]>() };
      this.adopted.set(c.podUid, pod);
      if (c.containerName === SANDBOX_NAME) pod.sandbox = c;
      else pod.containers.set(c.containerName, [...(pod.containers.get(c.containerName) ?? []), c]);
    }
    for (const p of this.adopted.values()) for (const list of p.containers.values()) list.sort((a, b) => b.attempt - a.attempt);
    this.log.info({ pods: this.adopted.size, containers: found.length }, 'recovered runtime state');
    this.ensureStarted();
  }

  /**
   * Applies assignments. With full=true the upserts are the complete set: every other pod on
   * this node (including adopted containers of unassigned pods) is stopped and removed.
   */
  sync(full: boolean, upserts: PodAssignment[], removals: string[]): void {
    if (this.stopped) return;
    this.ensureStarted();
    const wanted = new Set<string>();
    for (const a of upserts) {
      const uid = a.pod.metadata.uid;
      if (!uid) {
        this.log.warn({ pod: a.pod.metadata.name }, 'assignment without uid ignored');
        continue;
      }
      wanted.add(uid);
      const w = this.workers.get(uid);
      if (w) {
        w.update(a);
        continue;
      }
      this.startWorker(a, this.adopted.get(uid));
      this.adopted.delete(uid);
    }
    const remove = new Set(removals);
    if (full) {
      for (const uid of this.workers.keys()) if (!wanted.has(uid)) remove.add(uid);
      for (const uid of this.adopted.keys()) if (!wanted.has(uid)) remove.add(uid);
    }
    for (const uid of remove) {
      if (wanted.has(uid)) continue;
      let w = this.workers.get(uid);
      const orphan = this.adopted.get(uid);
      if (!w && orphan) {
        w = this.startWorker({ pod: podFromLabels(uid, orphan), configMaps: [], secrets: [] }, orphan, false);
        this.adopted.delete(uid);
      }
      w?.terminate();
    }
  }

  private startWorker(a: PodAssignment, adopted: AdoptedPod | undefined, kick = true): PodWorker {
    const uid = a.pod.metadata.uid!;
    const w = new PodWorker(
      a,
      {
        executor: this.executor,
        clock: this.clock,
        log: this.log,
        dataDir: this.opts.dataDir,
        secretsDir: this.opts.secretsDir,
        backoff: this.backoff,
        defaultGraceSeconds: this.opts.defaultGraceSeconds ?? 30,
        onStatus: (r) => {
          if (this.workers.get(uid) === w && !w.isTerminating) this.reporter.report(r);
        },
        onTiming: this.opts.onTiming,
        onEvent: this.opts.onEvent,
      },
      adopted,
    );
    this.workers.set(uid, w);
    void w.done.then(() => {
      if (this.workers.get(uid) === w) this.workers.delete(uid);
      this.reporter.forget(uid);
      if (!this.workers.has(uid)) this.opts.onPodRemoved?.(uid);
      this.log.info({ pod: uid }, 'pod removed');
    });
    if (kick) w.kick();
    return w;
  }

  /** Stops the workers and watchers; containers keep running for the next agent to adopt. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    if (this.pollTimer !== undefined) this.clock.clearTimeout(this.pollTimer);
    if (this.statsTimer !== undefined) this.clock.clearTimeout(this.statsTimer);
    // A pass in flight may be in the middle of a slow engine call (stopping a container with its
    // grace). The agent does not wait for it: like a crash, it leaves the engine to finish and the
    // next agent adopts whatever is there. Waiting would only keep the node silent past its grace.
    await settleWithin(Promise.all([...this.workers.values()].map((w) => w.stop())), STOP_WAIT_MS);
    await this.eventsLoop?.catch(() => undefined);
    this.reporter.flush();
    this.reporter.close();
  }

  /** Uids of pods this manager is running or tearing down. */
  podUids(): string[] {
    return [...this.workers.keys()];
  }

  /** Current status of one pod (also what was last reported, modulo de-duplication). */
  podStatus(uid: string): PodStatusReport | undefined {
    return this.workers.get(uid)?.status();
  }

  /** Resolves once a removed pod's containers and files are gone (immediately if unknown). */
  async waitRemoved(uid: string): Promise<void> {
    await this.workers.get(uid)?.done;
  }

  logs(podUid: string, container: string, opts: PodLogOptions, signal: AbortSignal): Readable {
    const out = new PassThrough();
    const w = this.workers.get(podUid);
    const ids = w?.containerIds(container) ?? {};
    const id = opts.previous ? ids.previous : ids.current;
    if (!id) {
      const what = opts.previous ? 'previous terminated container' : 'container';
      process.nextTick(() => out.destroy(notFound(`${what} "${container}" in pod ${podUid} not found`)));
      return out;
    }
    this.executor
      .logs(id, { follow: opts.follow, tail: opts.tail, timestamps: opts.timestamps }, signal)
      .then((src) => {
        src.on('error', (e) => out.destroy(e));
        out.on('close', () => src.destroy());
        src.pipe(out);
      })
      .catch((e: unknown) => out.destroy(unavailable(errorMessage(e))));
    return out;
  }

  async exec(podUid: string, container: string, command: string[], opts: ExecOptions): Promise<ExecHandle> {
    const id = this.workers.get(podUid)?.containerIds(container).current;
    if (!id) throw notFound(`container "${container}" in pod ${podUid} not found`);
    try {
      return await this.executor.exec(id, command, opts);
    } catch (e) {
      throw unavailable(`exec in ${container}: ${errorMessage(e)}`);
    }
  }

  /** Last measured usage (refreshed every statsIntervalMs); cheap, for heartbeats. */
  usage(): UsageSnapshot {
    return this.lastUsage;
  }

  // ---- background ------------------------------------------------------------------------

  private ensureStarted(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.eventsLoop = this.watchEvents();
    this.schedulePoll();
    this.statsTimer = this.clock.setTimeout(() => void this.refreshUsage(), 0);
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.pollTimer = this.clock.setTimeout(() => {
      for (const w of this.workers.values()) w.kick();
      this.schedulePoll();
    }, this.pollMs);
  }

  /** Runtime events wake the owning worker at once; the stream is re-opened if it breaks. */
  private async watchEvents(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.executor.events((e) => this.workers.get(e.podUid)?.onRuntimeEvent(e), this.abort.signal);
      } catch (e) {
        if (this.stopped) return;
        this.log.debug({ err: errorMessage(e) }, 'runtime event stream failed; re-subscribing');
      }
      if (this.stopped) return;
      // The runtime may have restarted: look at every pod, then listen again after a pause.
      for (const w of this.workers.values()) w.kick();
      await new Promise<void>((resolve) => {
        const t = this.clock.setTimeout(resolve, 1000);
        this.abort.signal.addEventListener('abort', () => (this.clock.clearTimeout(t), resolve()), { once: true });
      });
    }
  }

  private async refreshUsage(): Promise<void> {
    try {
      const pods: PodUsage[] = [];
      let cpu = 0;
      let mem = 0;
      for (const [uid, w] of this.workers) {
        const containers = [];
        // Containers of a pod share one network namespace: its counters are the pod's, read once.
        let network: { rxBytes: number; txBytes: number } | undefined;
        for (const { name, id } of w.runningContainerIds()) {
          const s = await this.executor.stats(id);
          if (!s) continue;
          cpu += s.cpuSeconds;
          mem += s.memoryWorkingSetBytes;
          network ??= s.network;
          containers.push({ name, cpu_seconds: s.cpuSeconds, memory_working_set_bytes: s.memoryWorkingSetBytes });
        }
        pods.push({ uid, containers, network_rx_bytes: String(network?.rxBytes ?? 0), network_tx_bytes: String(network?.txBytes ?? 0) });
      }
      const now = this.clock.now();
      const prev = this.lastCpu;
      // CPU as a rate (millicores) from the change in cumulative seconds since the last sample.
      const millis = prev && now > prev.at ? Math.max(0, ((cpu - prev.seconds) / ((now - prev.at) / 1000)) * 1000) : 0;
      this.lastCpu = { at: now, seconds: cpu };
      this.lastUsage = { pods, cpuUsageMillis: Math.round(millis), memoryUsageBytes: mem };
    } catch (e) {
      this.log.debug({ err: errorMessage(e) }, 'usage refresh failed');
    } finally {
      if (!this.stopped) this.statsTimer = this.clock.setTimeout(() => void this.refreshUsage(), this.statsMs);
    }
  }
}

function podFromLabels(uid: string, a: AdoptedPod): Pod {
  const any = a.sandbox ?? [...a.containers.values()][0]?.[0];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { uid, name: any?.podName ?? uid, namespace: any?.podNamespace ?? 'default' },
    spec: { containers: [] },
  };
}

/** How long stopping the agent waits for pod workers' passes in flight. */
const STOP_WAIT_MS = 300;

/** Resolves when `p` settles or after `ms`, whichever comes first; never rejects. */
export function settleWithin(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void p.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
