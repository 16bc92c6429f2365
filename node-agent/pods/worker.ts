// PodWorker: drives one pod towards its spec on the executor, one reconcile pass at a time.
// Each pass reads the runtime's truth (inspect), decides the next step per container, and
// reports the resulting status. Passes are serialised; kicks during a pass queue one more.
import { rm } from 'node:fs/promises';
import type { Container } from '../../common/api/types';
import type { Clock, Timer } from '../../common/clock';
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { PodStatusReport } from '../../common/generated/kite/v1/PodStatusReport';
import type { ContainerStatus as WireContainerStatus } from '../../common/generated/kite/v1/ContainerStatus';
import {
  ContainerRuntimeError,
  ImagePullError,
  needsSandbox,
  type ContainerInfo,
  type ContainerNetwork,
  type Executor,
  type ManagedContainer,
  type RuntimeEvent,
} from '../executor/types';
import { Backoff, type BackoffOptions } from './backoff';
import { ProbeRunner, probeCheck } from './probes';
import { ConfigError, podDir, prepareMounts, pullAuthFor, resolveEnv, type PodAssignment } from './resolve';

interface Termination {
  exitCode: number;
  reason: string;
  message: string;
  startedAt: string;
  finishedAt: string;
}

/** What the worker knows about one container of the pod. */
interface ContainerRecord {
  spec: Container;
  attempt: number;
  restartCount: number;
  id?: string;
  /** The container of the previous attempt, kept for `logs --previous`. */
  prevId?: string;
  info?: ContainerInfo;
  waiting?: { reason: string; message: string };
  /** Set when the container exited and will not be restarted. */
  terminated?: Termination;
  last?: Termination;
  imageReady: boolean;
  restartBackoff: Backoff;
  createBackoff: Backoff;
  /** Id the probes were started for; probes run per container instance. */
  probesFor?: string;
  probes: ProbeRunner[];
  started: boolean;
  ready: boolean;
  /** A liveness probe failed: the instance must be killed and restarted. */
  killRequested: boolean;
  /** Termination message read from the logs of instance `id` (read once). */
  termMessage?: { id: string; text: string };
}

export interface PodWorkerOptions {
  executor: Executor;
  clock: Clock;
  log: Logger;
  dataDir: string;
  backoff: BackoffOptions;
  /** Grace for pods whose spec we do not know (adopted orphans). */
  defaultGraceSeconds: number;
  onStatus: (report: PodStatusReport) => void;
  /** How long each step of starting a container took (for the agent's start-latency metrics). */
  onTiming?: (step: StartStep, seconds: number) => void;
  /** What happened to the pod, as kubelet reports it in Events (Pulled, Created, Started, Killing, BackOff...). */
  onEvent?: (event: PodEventNote) => void;
}

export interface PodEventNote {
  podUid: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export type StartStep = 'pull' | 'create' | 'start';

/** Runtime state found for this pod at agent start. */
export interface AdoptedPod {
  sandbox?: ManagedContainer;
  /** All containers per pod-spec name, highest attempt first. */
  containers: Map<string, ManagedContainer[]>;
}

const isoOf = (ms: number) => new Date(ms).toISOString();

export class PodWorker {
  readonly uid: string;
  private assignment: PodAssignment;
  private readonly records: ContainerRecord[];
  /**
   * Whether this pod runs a sandbox holding its network namespace (see needsSandbox); fixed for
   * the pod's life. Pods adopted with a sandbox keep it, whatever their shape.
   */
  private readonly sandboxed: boolean;
  private sandboxId?: string;
  private sandboxError?: string;
  private runtimeError?: string;
  private podIP = '';
  private startTime: string;
  private terminating = false;
  private finished = false;
  private stopped = false;
  private running: Promise<void> | undefined;
  private dirty = false;
  private wakeTimer: Timer | undefined;
  private wakeAt = Infinity;
  private readonly abort = new AbortController();
  private finishedResolve!: () => void;
  /** Resolves once a terminating pod's containers and files are gone. */
  readonly done = new Promise<void>((r) => (this.finishedResolve = r));

  constructor(
    assignment: PodAssignment,
    private readonly opts: PodWorkerOptions,
    adopted?: AdoptedPod,
  ) {
    this.assignment = assignment;
    this.uid = assignment.pod.metadata.uid ?? '';
    this.startTime = isoOf(opts.clock.now());
    this.records = assignment.pod.spec.containers.map((spec) => ({
      spec,
      attempt: 0,
      restartCount: 0,
      imageReady: false,
      restartBackoff: new Backoff(opts.backoff),
      createBackoff: new Backoff(opts.backoff),
      probes: [],
      started: false,
      ready: false,
      killRequested: false,
    }));
    this.sandboxed = needsSandbox(assignment.pod) || !!adopted?.sandbox;
    if (adopted) this.adopt(adopted);
  }

  private get log(): Logger {
    return this.opts.log;
  }

  private adopt(a: AdoptedPod): void {
    this.sandboxId = a.sandbox?.id;
    // The pod started when its oldest surviving container did (the sandbox, if it has one).
    const started = [a.sandbox, ...[...a.containers.values()].flat()].map((c) => c?.startedAt).filter((t): t is string => !!t);
    if (started.length > 0) this.startTime = started.reduce((x, y) => (Date.parse(y) < Date.parse(x) ? y : x));
    for (const r of this.records) {
      const found = a.containers.get(r.spec.name);
      const current = found?.[0];
      if (!current) continue;
      r.id = current.id;
      r.attempt = current.attempt;
      r.restartCount = current.restartCount;
      r.imageReady = true;
      const prev = found[1];
      if (prev) {
        r.prevId = prev.id;
        r.last = this.termination(prev);
      }
    }
  }

  get pod() {
    return this.assignment.pod;
  }

  get isTerminating(): boolean {
    return this.terminating;
  }

  /** New bundled data (ConfigMaps/Secrets) apply to containers created from now on. */
  update(a: PodAssignment): void {
    if (this.terminating) return;
    this.assignment = a;
    this.kick();
  }

  /** Stop and remove everything of this pod, within its grace period. */
  terminate(): void {
    if (this.terminating) return;
    this.terminating = true;
    this.kick();
  }

  /** Stop working (agent shutdown); containers keep running. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.clearWake();
    for (const r of this.records) this.stopProbes(r);
    await this.running?.catch(() => undefined);
  }

  containerIds(name: string): { current?: string; previous?: string } {
    const r = this.records.find((x) => x.spec.name === name);
    return r ? { current: r.id, previous: r.prevId } : {};
  }

  runningContainerIds(): { name: string; id: string }[] {
    return this.records.filter((r) => r.id && r.info?.state === 'running').map((r) => ({ name: r.spec.name, id: r.id! }));
  }

  /**
   * A runtime event about one of this pod's containers. The start of a container this worker
   * created itself needs no second look (the pass that started it inspected it); anything else
   * (a death, an OOM kill, a removal) does.
   */
  onRuntimeEvent(e: RuntimeEvent): void {
    if (e.action === 'start' && (e.id === this.sandboxId || this.records.some((r) => r.id === e.id))) return;
    this.kick();
  }

  kick(): void {
    if (this.stopped || this.finished) return;
    this.dirty = true;
    if (this.running) return;
    this.running = this.loop().finally(() => (this.running = undefined));
  }

  private async loop(): Promise<void> {
    while (this.dirty && !this.stopped && !this.finished) {
      this.dirty = false;
      try {
        if (this.terminating) await this.teardown();
        else await this.reconcile();
        this.runtimeError = undefined;
      } catch (e) {
        // The runtime is unreachable or misbehaving: say so and try again shortly.
        this.runtimeError = errorMessage(e);
        this.log.warn({ pod: this.uid, err: this.runtimeError }, 'pod reconcile failed');
        this.wakeIn(this.opts.backoff.baseMs);
      }
      if (!this.finished && !this.stopped) this.opts.onStatus(this.status());
    }
  }

  private wakeIn(ms: number): void {
    const at = this.opts.clock.now() + Math.max(0, ms);
    if (this.wakeTimer !== undefined && this.wakeAt <= at) return;
    this.clearWake();
    this.wakeAt = at;
    this.wakeTimer = this.opts.clock.setTimeout(() => {
      this.wakeTimer = undefined;
      this.wakeAt = Infinity;
      this.kick();
    }, Math.max(0, ms));
  }

  private clearWake(): void {
    if (this.wakeTimer !== undefined) this.opts.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    this.wakeAt = Infinity;
  }

  private graceSeconds(): number {
    return this.assignment.pod.spec.terminationGracePeriodSeconds ?? this.opts.defaultGraceSeconds;
  }

  private restartPolicy() {
    return this.assignment.pod.spec.restartPolicy ?? 'Always';
  }

  // ---- reconcile -------------------------------------------------------------------------

  private async reconcile(): Promise<void> {
    const ex = this.opts.executor;
    const now = this.opts.clock.now();
    // The sandbox is made from the first container's image, so that image comes first.
    const first = this.records[0];
    if (!first) return;
    if (!(await this.ensureImage(first))) return;
    if (this.sandboxed && !(await this.reconcileSandbox())) return;
    for (const r of this.records) {
      await this.reconcileContainer(r, now, ex);
    }
  }

  private network(): ContainerNetwork {
    return this.sandboxed ? { mode: 'sandbox', sandboxId: this.sandboxId! } : { mode: 'own' };
  }

  private async reconcileSandbox(): Promise<boolean> {
    const ex = this.opts.executor;
    const first = this.records[0]!;
    try {
      let info = this.sandboxId ? await ex.inspect(this.sandboxId) : undefined;
      if (!info) {
        this.sandboxId = await ex.ensureSandbox(this.assignment.pod, first.spec.image);
        info = await ex.inspect(this.sandboxId);
      } else if (info.state !== 'running') {
        try {
          await ex.start(info.id);
        } catch (e) {
          if (!(e instanceof ContainerRuntimeError)) throw e;
          // An engine stopped while it was starting this sandbox can leave state that makes every
          // later start fail ("failed to start shim: ... file exists"): a new sandbox replaces it.
          this.log.info({ pod: this.uid, err: e.message }, 'pod sandbox would not start again; replacing it');
          await ex.remove(info.id);
          this.sandboxId = await ex.ensureSandbox(this.assignment.pod, first.spec.image);
        }
        info = await ex.inspect(this.sandboxId ?? info.id);
        // The sandbox has a new network namespace: containers still in the old one must restart into it.
        for (const r of this.records) {
          if (r.id && (await ex.inspect(r.id))?.state === 'running') await ex.stop(r.id, this.graceSeconds());
        }
      }
      this.podIP = info?.ip ?? '';
      this.sandboxError = undefined;
      return true;
    } catch (e) {
      if (!(e instanceof ContainerRuntimeError)) throw e;
      this.sandboxError = e.message;
      for (const r of this.records) if (!r.id) r.waiting = { reason: 'ContainerCreating', message: 'pod sandbox: ' + e.message };
      this.wakeIn(this.opts.backoff.baseMs);
      return false;
    }
  }

  /** Pulls per policy; false (with a waiting reason set) while the image is not available. */
  private async ensureImage(r: ContainerRecord): Promise<boolean> {
    if (r.imageReady) return true;
    const now = this.opts.clock.now();
    if (r.createBackoff.readyAt() > now && r.waiting && /Image|Pull/.test(r.waiting.reason)) {
      if (r.waiting.reason === 'ErrImagePull') {
        r.waiting = { ...r.waiting, reason: 'ImagePullBackOff' };
        this.event('Normal', 'BackOff', `Back-off pulling image "${r.spec.image}"`);
      }
      this.wakeIn(r.createBackoff.readyAt() - now);
      return false;
    }
    const policy = r.spec.imagePullPolicy ?? (/:latest$|^[^:]*$/.test(r.spec.image.replace(/^[^/]*\//, '')) ? 'Always' : 'IfNotPresent');
    try {
      r.waiting = { reason: 'ContainerCreating', message: '' };
      const t0 = this.opts.clock.now();
      await this.timed('pull', () => this.opts.executor.pullImage(r.spec.image, policy, pullAuthFor(this.assignment, r.spec.image), this.abort.signal));
      r.imageReady = true;
      this.event('Normal', 'Pulled', `Image "${r.spec.image}" ready in ${((this.opts.clock.now() - t0) / 1000).toFixed(3)}s (pull policy ${policy})`);
      return true;
    } catch (e) {
      if (!(e instanceof ImagePullError)) throw e;
      r.createBackoff.attempt(this.opts.clock.now());
      r.waiting = { reason: e.reason, message: e.message };
      this.event('Warning', 'Failed', `Failed to pull image "${r.spec.image}": ${e.message}`);
      this.wakeIn(r.createBackoff.currentMs);
      return false;
    }
  }

  private termination(info: ContainerInfo): Termination {
    const startError = info.state === 'created' && info.error !== '';
    return {
      exitCode: startError && info.exitCode === 0 ? 128 : info.exitCode,
      reason: startError ? 'StartError' : info.oomKilled ? 'OOMKilled' : info.exitCode === 0 ? 'Completed' : 'Error',
      message: info.error,
      startedAt: info.startedAt,
      finishedAt: info.finishedAt || (startError ? isoOf(this.opts.clock.now()) : ''),
    };
  }

  private async reconcileContainer(r: ContainerRecord, now: number, ex: Executor): Promise<void> {
    if (r.terminated) return; // done for good (restart policy says so)
    if (r.id) {
      let info = await ex.inspect(r.id);
      if (!info) {
        // Removed behind our back: replace it like a crashed instance.
        this.log.info({ pod: this.uid, container: r.spec.name }, 'container vanished; recreating');
        this.stopProbes(r);
        r.id = undefined;
        r.attempt++;
        r.restartCount++;
      } else {
        if (info.state === 'created' && info.error === '') {
          await this.startContainer(r);
          info = (await ex.inspect(r.id)) ?? info;
        }
        if (info.state === 'running' && r.killRequested) {
          r.killRequested = false;
          await ex.stop(r.id, this.graceSeconds());
          info = (await ex.inspect(r.id)) ?? info;
        }
        r.info = info;
        this.noteOwnIP(info);
        if (info.state === 'running') {
          r.waiting = undefined;
          this.startProbes(r);
          return;
        }
        if (info.state === 'created' && info.error === '') return; // start pending
        // It exited (or never managed to start).
        this.stopProbes(r);
        const t = this.termination(info);
        if (t.exitCode !== 0 && !t.message) t.message = await this.terminationMessage(r, info.id);
        const policy = this.restartPolicy();
        const restart = policy === 'Always' || (policy === 'OnFailure' && t.exitCode !== 0);
        if (!restart) {
          r.terminated = t;
          r.waiting = undefined;
          return;
        }
        const ranMs = t.startedAt && t.finishedAt ? Date.parse(t.finishedAt) - Date.parse(t.startedAt) : 0;
        r.restartBackoff.noteRun(ranMs);
        r.last = t;
        const readyAt = r.restartBackoff.readyAt();
        if (readyAt > now) {
          const secs = Math.round(r.restartBackoff.currentMs / 1000);
          this.event('Warning', 'BackOff', `Back-off restarting failed container ${r.spec.name} in pod ${this.pod.metadata.name}`);
          r.waiting = {
            reason: t.reason === 'StartError' ? 'RunContainerError' : 'CrashLoopBackOff',
            message: `back-off ${secs}s restarting failed container=${r.spec.name} pod=${this.pod.metadata.name}` + (t.message ? `: ${t.message}` : ''),
          };
          this.wakeIn(readyAt - now);
          return;
        }
        r.restartBackoff.attempt(now);
        // Keep this instance as "previous" (for logs) and drop the one before it.
        if (r.prevId) await ex.remove(r.prevId);
        r.prevId = r.id;
        r.id = undefined;
        r.attempt++;
        r.restartCount++;
      }
    }
    await this.createAndStart(r, now, ex);
  }

  /**
   * Like Kubernetes' FallbackToLogsOnError: a failed container's last log lines become its
   * termination message (e.g. the init's "exec /x failed: No such file or directory").
   */
  private async terminationMessage(r: ContainerRecord, id: string): Promise<string> {
    if (r.termMessage?.id === id) return r.termMessage.text;
    let text = '';
    try {
      const stream = await this.opts.executor.logs(id, { follow: false, tail: 5, timestamps: false });
      for await (const chunk of stream) text += chunk.toString();
    } catch {
      // no logs: the exit code alone will have to do
    }
    text = text.trim().slice(-1024);
    r.termMessage = { id, text };
    return text;
  }

  private async createAndStart(r: ContainerRecord, now: number, ex: Executor): Promise<void> {
    if (!(await this.ensureImage(r))) return;
    if (r.createBackoff.readyAt() > now && r.waiting && r.waiting.reason !== 'ContainerCreating') {
      this.wakeIn(r.createBackoff.readyAt() - now);
      return;
    }
    try {
      const env = resolveEnv(this.assignment, r.spec);
      const mounts = await prepareMounts(this.assignment, r.spec, this.opts.dataDir);
      r.id = await this.timed('create', () => ex.createContainer(this.assignment.pod, r.spec, { env, mounts, attempt: r.attempt, network: this.network() }));
    } catch (e) {
      if (!(e instanceof ConfigError) && !(e instanceof ContainerRuntimeError)) throw e;
      r.createBackoff.attempt(now);
      r.waiting = { reason: e instanceof ConfigError ? 'CreateContainerConfigError' : 'CreateContainerError', message: e.message };
      this.event('Warning', 'Failed', `Error: ${e.message}`);
      this.wakeIn(r.createBackoff.currentMs);
      return;
    }
    this.event('Normal', 'Created', `Created container ${r.spec.name}`);
    r.waiting = undefined;
    r.started = false;
    r.ready = false;
    await this.startContainer(r);
    const info = await ex.inspect(r.id);
    r.info = info;
    if (info) this.noteOwnIP(info);
    if (info?.state === 'running') this.startProbes(r);
    else this.kick(); // exited already or failed to start: the next pass applies the restart policy
  }

  /**
   * Without a sandbox the pod IP is its one container's: a restarted container may get a new
   * one. While it is not running the last known address stays (the pod is not ready then).
   */
  private noteOwnIP(info: ContainerInfo): void {
    if (!this.sandboxed && info.state === 'running' && info.ip) this.podIP = info.ip;
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.opts.onEvent?.({ podUid: this.uid, type, reason, message });
  }

  /** Runs one start step, reporting its duration when it succeeds. */
  private async timed<T>(step: StartStep, fn: () => Promise<T>): Promise<T> {
    const t0 = this.opts.clock.now();
    const out = await fn();
    this.opts.onTiming?.(step, (this.opts.clock.now() - t0) / 1000);
    return out;
  }

  private async startContainer(r: ContainerRecord): Promise<void> {
    try {
      await this.timed('start', () => this.opts.executor.start(r.id!));
      this.event('Normal', 'Started', `Started container ${r.spec.name}`);
    } catch (e) {
      if (!(e instanceof ContainerRuntimeError)) throw e;
      r.waiting = { reason: 'RunContainerError', message: e.message };
      this.event('Warning', 'Failed', `Error: ${e.message}`);
    }
  }

  // ---- probes -----------------------------------------------------------------------------

  private startProbes(r: ContainerRecord): void {
    if (!r.id || r.probesFor === r.id) return;
    this.stopProbes(r);
    r.probesFor = r.id;
    const id = r.id;
    const s = r.spec;
    const target = {
      ip: () => this.podIP || '127.0.0.1',
      exec: async (command: string[], timeoutMs: number) => {
        const h = await this.opts.executor.exec(id, command, { tty: false, stdin: false });
        h.stdout.resume();
        h.stderr.resume();
        h.stdin.end();
        return await withTimeout(h.exitCode(), timeoutMs, this.opts.clock);
      },
    };
    r.started = !s.startupProbe;
    r.ready = r.started && !s.readinessProbe;
    const mk = (kind: 'liveness' | 'readiness' | 'startup', probe: NonNullable<Container['livenessProbe']>, on: (ok: boolean) => void) =>
      new ProbeRunner(kind, probe, probeCheck(probe, s, target), this.opts.clock, (ok) => {
        if (r.probesFor !== id || this.stopped) return;
        on(ok);
        this.opts.onStatus(this.status());
      });
    const gated: ProbeRunner[] = [];
    if (s.livenessProbe) {
      gated.push(
        mk('liveness', s.livenessProbe, (ok) => {
          if (ok) return;
          this.log.info({ pod: this.uid, container: s.name }, 'liveness probe failed; restarting container');
          this.event('Normal', 'Killing', `Container ${s.name} failed liveness probe, will be restarted`);
          r.killRequested = true;
          this.kick();
        }),
      );
    }
    if (s.readinessProbe) gated.push(mk('readiness', s.readinessProbe, (ok) => (r.ready = ok && r.started)));
    r.probes = [...gated];
    if (s.startupProbe) {
      // The startup probe gates the others: they begin once it has succeeded.
      const startup = mk('startup', s.startupProbe, (ok) => {
        if (!ok) {
          r.killRequested = true;
          this.kick();
          return;
        }
        r.started = true;
        r.ready = !s.readinessProbe;
        for (const p of gated) p.start();
      });
      r.probes.push(startup);
      startup.start();
    } else {
      for (const p of gated) p.start();
    }
  }

  private stopProbes(r: ContainerRecord): void {
    for (const p of r.probes) p.stop();
    r.probes = [];
    r.probesFor = undefined;
    r.ready = false;
    r.started = false;
  }

  // ---- teardown -----------------------------------------------------------------------------

  private async teardown(): Promise<void> {
    const ex = this.opts.executor;
    for (const r of this.records) this.stopProbes(r);
    const grace = this.graceSeconds();
    // Everything labelled with this pod, including instances we never tracked.
    const all = await ex.listManaged(this.uid);
    const apps = all.filter((c) => c.id !== this.sandboxId && c.containerName !== '_sandbox');
    for (const c of apps) if (c.state === 'running') this.event('Normal', 'Killing', `Stopping container ${c.containerName}`);
    await Promise.all(apps.filter((c) => c.state === 'running').map((c) => ex.stop(c.id, grace)));
    for (const c of all) await ex.remove(c.id);
    await rm(podDir(this.opts.dataDir, this.uid), { recursive: true, force: true });
    this.finished = true;
    this.clearWake();
    this.finishedResolve();
  }

  // ---- status -------------------------------------------------------------------------------

  private containerStatus(r: ContainerRecord): WireContainerStatus {
    const base: WireContainerStatus = {
      name: r.spec.name,
      container_id: r.id ? `docker://${r.id}` : '',
      image: r.spec.image,
      image_id: r.info?.imageId ?? '',
      restart_count: r.restartCount,
      ready: false,
      started: false,
      reason: '',
      message: '',
      exit_code: 0,
      started_at: '',
      finished_at: '',
      last_reason: r.last?.reason ?? '',
      last_exit_code: r.last?.exitCode ?? 0,
      last_finished_at: r.last?.finishedAt ?? '',
    };
    if (r.terminated) {
      return {
        ...base,
        state: 'terminated',
        reason: r.terminated.reason,
        message: r.terminated.message,
        exit_code: r.terminated.exitCode,
        started_at: r.terminated.startedAt,
        finished_at: r.terminated.finishedAt,
      };
    }
    if (r.waiting) return { ...base, state: 'waiting', reason: r.waiting.reason, message: r.waiting.message };
    if (r.info?.state === 'running') {
      return { ...base, state: 'running', started_at: r.info.startedAt, ready: r.ready, started: r.started };
    }
    return { ...base, state: 'waiting', reason: 'ContainerCreating' };
  }

  private phase(): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
    const rs = this.records;
    if (rs.every((r) => r.terminated)) return rs.some((r) => r.terminated!.exitCode !== 0) ? 'Failed' : 'Succeeded';
    if (rs.some((r) => r.info?.state === 'running' || r.restartCount > 0 || r.terminated)) return 'Running';
    return 'Pending';
  }

  /**
   * While the runtime does not answer, what its containers do is unknown (a stopped engine stops
   * them): none is reported running or ready from memory; each says why it cannot be seen.
   */
  private unknownContainerStatus(s: WireContainerStatus, r: ContainerRecord): WireContainerStatus {
    if (r.terminated) return s;
    return { ...s, state: 'waiting', reason: 'ContainerRuntimeUnavailable', message: this.runtimeError ?? '', ready: false, started: false, started_at: '' };
  }

  status(): PodStatusReport {
    const containers = this.records.map((r) => (this.runtimeError ? this.unknownContainerStatus(this.containerStatus(r), r) : this.containerStatus(r)));
    const m = this.pod.metadata;
    let reason = '';
    let message = '';
    if (this.runtimeError) {
      reason = 'ContainerRuntimeUnavailable';
      message = this.runtimeError;
    } else if (this.sandboxError) {
      reason = 'FailedCreatePodSandBox';
      message = this.sandboxError;
    }
    return {
      uid: this.uid,
      namespace: m.namespace ?? 'default',
      name: m.name,
      phase: this.phase(),
      reason,
      message,
      ready: containers.length > 0 && containers.every((c) => c.ready),
      pod_ip: this.podIP,
      start_time: this.startTime,
      containers,
      observed_at: isoOf(this.opts.clock.now()),
    };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, clock: Clock): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = clock.setTimeout(() => reject(new Error(`timed out after ${ms}ms`)), ms);
    p.then(
      (v) => {
        clock.clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clock.clearTimeout(t);
        reject(e);
      },
    );
  });
}
