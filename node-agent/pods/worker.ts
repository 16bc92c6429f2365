// PodWorker: drives one pod towards its spec on the executor, one reconcile pass at a time.
// Passes are serialised; kicks during a pass queue one more. Each pass looks at the runtime's
// truth (inspect), asks decide() (decide.ts) what to do, executes those actions, and asks again
// while they made progress; then the pod's status goes out (built by reporter.ts).
import { rm } from 'node:fs/promises';
import type { Clock, Timer } from '../../common/clock';
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { PodStatusReport } from '../../common/generated/kite/v1/PodStatusReport';
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
import { decide, isWaitOnly, type ContainerRole, type Observed, type PodAction, type PodView } from './decide';
import { containerTarget, startProbes, stopProbes, type ProbedContainer } from './container-probes';
import { hookOf, MIN_GRACE_AFTER_PRESTOP_SECONDS, runHook } from './lifecycle-hooks';
import { podStatusReport } from './reporter';
import { ConfigError, podDir, prepareMounts, pullAuthFor, redactSecretValues, redactStatusReport, resolveEnv, type PodAssignment } from './resolve';
import { removePodSecrets } from './secret-volumes';
import { isoOf, ranMs, terminationOf, unknownTermination, type Termination } from './termination';

/** What the worker knows about one container of the pod. */
interface ContainerRecord extends ProbedContainer {
  role: ContainerRole;
  /** A sidecar has started at least once (see ContainerView.hasStarted). */
  everStarted: boolean;
  attempt: number;
  restartCount: number;
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
  /** Termination message read from the logs of instance `id` (read once). */
  termMessage?: { id: string; text: string };
  /** The instance whose preStop hook has run (a stop retried on the next pass does not run it again). */
  preStopRanFor?: string;
}

/** What one pass has seen and done so far; decide() gets it through the view. */
class PassState {
  readonly observed = new Map<ContainerRecord, Observed>();
  readonly blocked = new Set<ContainerRecord>();
  readonly startTried = new Set<ContainerRecord>();
  sandbox: Observed | undefined;
  sandboxBlocked = false;
  sandboxHandled = false;
}

export interface PodWorkerOptions {
  executor: Executor;
  clock: Clock;
  log: Logger;
  dataDir: string;
  /** Where Secret volumes go (a tmpfs, see secret-volumes.ts); in the pod's dir when omitted. */
  secretsDir?: string;
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

const NONE: Observed = { kind: 'none' };

export class PodWorker {
  readonly uid: string;
  private assignment: PodAssignment;
  private readonly records: ContainerRecord[];
  private readonly byName: Map<string, ContainerRecord>;
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
  /** Removed from the assignment: stop, remove and forget. */
  private terminating = false;
  /** The assignment carries a deletionTimestamp: stop everything, then report terminated. */
  private deleting: boolean;
  /** A deleting pod's containers, sandbox and files are gone. */
  private removed = false;
  /** Every init container completed once (sticky: an app container's restart does not undo it). */
  private initialized = false;
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
    this.deleting = !!assignment.pod.metadata.deletionTimestamp;
    this.startTime = isoOf(opts.clock.now());
    // Init containers (and sidecars) first, in spec order, then the app containers: decide() reads them in this order.
    const specs = [
      ...(assignment.pod.spec.initContainers ?? []).map((spec) => ({ spec, role: (spec.restartPolicy === 'Always' ? 'sidecar' : 'init') as ContainerRole })),
      ...assignment.pod.spec.containers.map((spec) => ({ spec, role: 'app' as ContainerRole })),
    ];
    this.records = specs.map(({ spec, role }) => ({
      spec,
      role,
      everStarted: false,
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
    this.byName = new Map(this.records.map((r) => [r.spec.name, r]));
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
        r.last = terminationOf(prev, this.opts.clock.now());
      }
    }
    this.adoptInitialization(a);
  }

  /**
   * An app container found at adoption means the pod was initialized before the restart (as the
   * kubelet reasons): its init containers are not run again, even if their exited instances are
   * gone, and its sidecars count as started. Init containers whose completed instances survive
   * are finished by decide() from what they show.
   */
  private adoptInitialization(a: AdoptedPod): void {
    const appFound = this.records.some((r) => r.role === 'app' && a.containers.has(r.spec.name));
    if (!appFound) return;
    this.initialized = true;
    for (const r of this.records) {
      if (r.role === 'sidecar') r.everStarted = true;
      if (r.role !== 'init' || r.id) continue;
      r.terminated = { exitCode: 0, reason: 'Completed', message: 'completed before the node agent restarted', startedAt: '', finishedAt: '' };
    }
  }

  get pod() {
    return this.assignment.pod;
  }

  get isTerminating(): boolean {
    return this.terminating;
  }

  /**
   * New bundled data (ConfigMaps/Secrets) apply to containers created from now on. An assignment
   * with a deletionTimestamp starts the pod's graceful deletion (which cannot be undone).
   */
  update(a: PodAssignment): void {
    if (this.terminating) return;
    this.assignment = a;
    if (a.pod.metadata.deletionTimestamp) this.deleting = true;
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
    for (const r of this.records) stopProbes(r);
    await this.running?.catch(() => undefined);
  }

  containerIds(name: string): { current?: string; previous?: string } {
    const r = this.byName.get(name);
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
    // The pass starts after the current turn, so that what happens in one burst (several
    // containers dying together) is seen by one pass.
    this.running = Promise.resolve()
      .then(() => this.loop())
      .finally(() => (this.running = undefined));
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

  /** A deletion's own grace wins over the pod's; pods we know only from labels get the default. */
  private graceSeconds(): number {
    const { metadata, spec } = this.assignment.pod;
    const deletionGrace = this.deleting ? metadata.deletionGracePeriodSeconds : undefined;
    return deletionGrace ?? spec.terminationGracePeriodSeconds ?? this.opts.defaultGraceSeconds;
  }

  // ---- reconcile: observe, decide, execute ----------------------------------------------------

  private async reconcile(): Promise<void> {
    if (this.removed) return; // a deleted pod: nothing left to look at
    // A deleting pod runs no probes (they could only ask for restarts).
    if (this.deleting) for (const r of this.records) stopProbes(r);
    const pass = new PassState();
    // Every round either makes progress or blocks something for the rest of the pass; the bound
    // only guards against a decision that would repeat itself.
    const maxRounds = 8 + 4 * this.records.length;
    for (let round = 0; round < maxRounds; round++) {
      await this.observe(pass);
      const { actions, initialized } = decide(this.view(pass));
      this.initialized ||= initialized;
      if (!(await this.execute(actions, pass))) return;
    }
    this.log.warn({ pod: this.uid }, 'pod reconcile did not settle in one pass; trying again shortly');
    this.wakeIn(this.opts.backoff.baseMs);
  }

  /** Inspects what this pass has not seen yet: the sandbox, then each live container instance. */
  private async observe(pass: PassState): Promise<void> {
    const ex = this.opts.executor;
    if (this.sandboxed && !this.deleting && pass.sandbox === undefined) {
      const info = this.sandboxId ? await ex.inspect(this.sandboxId) : undefined;
      pass.sandbox = info ? { kind: 'present', info } : this.sandboxId ? { kind: 'gone' } : NONE;
      if (info?.state === 'running') {
        this.podIP = info.ip;
        this.sandboxError = undefined;
      }
    }
    for (const r of this.records) {
      if (pass.observed.has(r) || r.terminated) continue; // a container done for good is not looked at again
      if (!r.id) {
        pass.observed.set(r, NONE);
        continue;
      }
      const info = await ex.inspect(r.id);
      this.noteObserved(r, pass, info);
    }
  }

  private noteObserved(r: ContainerRecord, pass: PassState, info: ContainerInfo | undefined): void {
    pass.observed.set(r, info ? { kind: 'present', info } : { kind: 'gone' });
    if (!info) return;
    r.info = info;
    this.noteOwnIP(info);
  }

  private view(pass: PassState): PodView {
    return {
      restartPolicy: this.pod.spec.restartPolicy ?? 'Always',
      graceSeconds: this.graceSeconds(),
      deleting: this.deleting,
      removed: this.removed,
      sandbox: this.sandboxed ? { observed: pass.sandbox ?? NONE, blocked: pass.sandboxBlocked, handled: pass.sandboxHandled } : undefined,
      containers: this.records.map((r) => ({
        name: r.spec.name,
        role: r.role,
        hasStarted: (r.everStarted ||= r.started && r.info?.state === 'running'),
        observed: pass.observed.get(r) ?? NONE,
        imageReady: r.imageReady,
        waitingReason: r.waiting?.reason,
        final: r.terminated,
        restartBackoff: r.restartBackoff.snapshot(),
        createBackoff: r.createBackoff.snapshot(),
        killRequested: r.killRequested,
        blocked: pass.blocked.has(r),
        startTried: pass.startTried.has(r),
      })),
      backoffResetAfterMs: this.opts.backoff.resetAfterMs,
      now: this.opts.clock.now(),
    };
  }

  /** Runs the actions in order; true when any of them changed something (worth deciding again). */
  private async execute(actions: PodAction[], pass: PassState): Promise<boolean> {
    let progressed = false;
    for (let i = 0; i < actions.length; i++) {
      const a = actions[i]!;
      if (a.kind === 'kill') {
        // Kills decided together stop together: a pod's containers share one grace period.
        let j = i;
        while (actions[j + 1]?.kind === 'kill') j++;
        const kills = actions.slice(i, j + 1).filter((k): k is Extract<PodAction, { kind: 'kill' }> => k.kind === 'kill');
        await Promise.all(kills.map((k) => this.kill(this.record(k.container), k, pass)));
        i = j;
        progressed = true;
        continue;
      }
      if (a.kind === 'createSandbox' || a.kind === 'restartSandbox') {
        // Nothing else of this round makes sense without the sandbox.
        if (!(await this.ensureSandbox(a.kind, pass))) return false;
        progressed = true;
        continue;
      }
      if (a.kind === 'removePod') {
        await this.removeDeletedPod();
        progressed = true;
        continue;
      }
      await this.executeForContainer(a, this.record(a.container), pass);
      if (!isWaitOnly(a)) progressed = true;
    }
    return progressed;
  }

  private record(name: string): ContainerRecord {
    const r = this.byName.get(name);
    if (!r) throw new Error(`pod ${this.uid} has no container "${name}"`);
    return r;
  }

  private async executeForContainer(a: Exclude<PodAction, { kind: 'kill' | 'createSandbox' | 'restartSandbox' | 'removePod' }>, r: ContainerRecord, pass: PassState): Promise<void> {
    const now = this.opts.clock.now();
    switch (a.kind) {
      case 'pull':
        return this.pull(r, pass);
      case 'pullBackoff':
        if (r.waiting?.reason === 'ErrImagePull') {
          r.waiting = { ...r.waiting, reason: 'ImagePullBackOff' };
          this.event('Normal', 'BackOff', `Back-off pulling image "${r.spec.image}"`);
        }
        this.wakeIn(a.retryAt - now);
        pass.blocked.add(r);
        return;
      case 'createBackoff':
        this.wakeIn(a.retryAt - now);
        pass.blocked.add(r);
        return;
      case 'create':
        return this.createAndStart(r, pass);
      case 'start':
        await this.startContainer(r);
        pass.startTried.add(r);
        pass.observed.delete(r); // look again: running, exited, or failed to start
        return;
      case 'watch':
        r.waiting = undefined;
        this.startProbes(r);
        return;
      case 'crashBackoff': {
        const t = await this.noteExit(r, a.termination);
        const secs = Math.round(r.restartBackoff.currentMs / 1000);
        this.event('Warning', 'BackOff', `Back-off restarting failed container ${r.spec.name} in pod ${this.pod.metadata.name}`);
        r.waiting = {
          reason: t.reason === 'StartError' ? 'RunContainerError' : 'CrashLoopBackOff',
          message: `back-off ${secs}s restarting failed container=${r.spec.name} pod=${this.pod.metadata.name}` + (t.message ? `: ${t.message}` : ''),
        };
        this.wakeIn(a.retryAt - now);
        pass.blocked.add(r);
        return;
      }
      case 'restart':
        await this.noteExit(r, a.termination);
        r.restartBackoff.attempt(now);
        // Keep this instance as "previous" (for logs) and drop the one before it.
        if (r.prevId) await this.opts.executor.remove(r.prevId);
        r.prevId = r.id;
        this.newAttempt(r, pass);
        return;
      case 'replaceVanished':
        // Removed behind our back: replace it like a crashed instance.
        this.log.info({ pod: this.uid, container: r.spec.name }, 'container vanished; recreating');
        stopProbes(r);
        this.newAttempt(r, pass);
        return;
      case 'finish':
        stopProbes(r);
        r.terminated = await this.withMessage(r, a.termination);
        r.waiting = undefined;
        return;
    }
  }

  /** The exited instance stays as "last"; a long enough run resets the crash back-off. */
  private async noteExit(r: ContainerRecord, t0: Termination): Promise<Termination> {
    stopProbes(r);
    const t = await this.withMessage(r, t0);
    r.restartBackoff.noteRun(ranMs(t));
    r.last = t;
    return t;
  }

  private newAttempt(r: ContainerRecord, pass: PassState): void {
    r.id = undefined;
    r.attempt++;
    r.restartCount++;
    pass.observed.set(r, NONE);
  }

  private async kill(r: ContainerRecord, a: Extract<PodAction, { kind: 'kill' }>, pass: PassState): Promise<void> {
    if (!r.id) return;
    if (a.cause === 'liveness') r.killRequested = false;
    if (a.cause === 'deletion' || a.cause === 'podDone') {
      stopProbes(r);
      this.event('Normal', 'Killing', `Stopping container ${r.spec.name}`);
      pass.blocked.add(r); // one stop per pass; a container that outlives it is stopped again next pass
    }
    const grace = await this.runPreStop(r, a);
    await this.opts.executor.stop(r.id, grace);
    pass.observed.delete(r);
  }

  /**
   * Runs the container's preStop hook (once per instance) before it is stopped, within the grace
   * period; answers the grace left for the stop, never less than the kubelet's 2 s. A sandbox that
   * died took the container's network with it: no hook then.
   */
  private async runPreStop(r: ContainerRecord, a: Extract<PodAction, { kind: 'kill' }>): Promise<number> {
    const hook = hookOf(r.spec, 'preStop');
    if (!hook || !r.id || a.cause === 'sandbox' || r.preStopRanFor === r.id) return a.graceSeconds;
    r.preStopRanFor = r.id;
    const clock = this.opts.clock;
    const t0 = clock.now();
    const out = await runHook(hook, r.spec, this.hookTarget(r.id), clock, a.graceSeconds * 1000);
    if (!out.ok) this.event('Warning', 'FailedPreStopHook', `PreStopHook failed: ${out.message}`);
    const left = a.graceSeconds - (clock.now() - t0) / 1000;
    return Math.max(MIN_GRACE_AFTER_PRESTOP_SECONDS, Math.ceil(left));
  }

  /**
   * Runs the container's postStart hook right after it started. As the kubelet: a failed hook
   * kills the container, which then restarts per the pod's restart policy.
   */
  private async runPostStart(r: ContainerRecord): Promise<void> {
    const hook = hookOf(r.spec, 'postStart');
    if (!hook || !r.id) return;
    const id = r.id;
    const grace = this.assignment.pod.spec.terminationGracePeriodSeconds ?? 30;
    const out = await runHook(hook, r.spec, this.hookTarget(id), this.opts.clock, Math.max(1, grace) * 1000);
    if (out.ok) return;
    this.event('Warning', 'FailedPostStartHook', `PostStartHook failed: ${out.message}`);
    this.event('Normal', 'Killing', `FailedPostStartHook: stopping container ${r.spec.name}`);
    await this.opts.executor.stop(id, grace);
  }

  private hookTarget(id: string) {
    return containerTarget(this.opts.executor, id, () => this.podIP, this.opts.clock);
  }

  private network(): ContainerNetwork {
    return this.sandboxed ? { mode: 'sandbox', sandboxId: this.sandboxId! } : { mode: 'own' };
  }

  /** Creates the sandbox, or starts it again (a new one replaces it if the engine will not). */
  private async ensureSandbox(kind: 'createSandbox' | 'restartSandbox', pass: PassState): Promise<boolean> {
    const ex = this.opts.executor;
    // As decide() asked: the image of the first container still to run, pulled already.
    const image = (this.records.find((r) => !r.terminated) ?? this.records[0]!).spec.image;
    try {
      if (kind === 'createSandbox' || !this.sandboxId) {
        this.sandboxId = await ex.ensureSandbox(this.assignment.pod, image);
      } else {
        try {
          await ex.start(this.sandboxId);
        } catch (e) {
          if (!(e instanceof ContainerRuntimeError)) throw e;
          // An engine stopped while it was starting this sandbox can leave state that makes every
          // later start fail ("failed to start shim: ... file exists"): a new sandbox replaces it.
          this.log.info({ pod: this.uid, err: e.message }, 'pod sandbox would not start again; replacing it');
          await ex.remove(this.sandboxId);
          this.sandboxId = await ex.ensureSandbox(this.assignment.pod, image);
        }
      }
      const info = await ex.inspect(this.sandboxId);
      this.podIP = info?.ip ?? '';
      this.sandboxError = undefined;
      pass.sandboxHandled = true;
      return true;
    } catch (e) {
      if (!(e instanceof ContainerRuntimeError)) throw e;
      this.sandboxError = e.message;
      for (const r of this.records) if (!r.id) r.waiting = { reason: 'ContainerCreating', message: 'pod sandbox: ' + e.message };
      this.wakeIn(this.opts.backoff.baseMs);
      pass.sandboxBlocked = true;
      return false;
    }
  }

  /** Pulls per policy; on failure the container waits with the engine's reason, backing off. */
  private async pull(r: ContainerRecord, pass: PassState): Promise<void> {
    const policy = r.spec.imagePullPolicy ?? (/:latest$|^[^:]*$/.test(r.spec.image.replace(/^[^/]*\//, '')) ? 'Always' : 'IfNotPresent');
    try {
      r.waiting = { reason: 'ContainerCreating', message: '' };
      const t0 = this.opts.clock.now();
      await this.timed('pull', () => this.opts.executor.pullImage(r.spec.image, policy, pullAuthFor(this.assignment, r.spec.image), this.abort.signal));
      r.imageReady = true;
      this.event('Normal', 'Pulled', `Image "${r.spec.image}" ready in ${((this.opts.clock.now() - t0) / 1000).toFixed(3)}s (pull policy ${policy})`);
    } catch (e) {
      if (!(e instanceof ImagePullError)) throw e;
      r.createBackoff.attempt(this.opts.clock.now());
      r.waiting = { reason: e.reason, message: e.message };
      this.event('Warning', 'Failed', `Failed to pull image "${r.spec.image}": ${e.message}`);
      this.wakeIn(r.createBackoff.currentMs);
      pass.blocked.add(r);
    }
  }

  /** A failed instance's message: the engine's error, else (for a non-zero exit) its last log lines. */
  private async withMessage(r: ContainerRecord, t: Termination): Promise<Termination> {
    if (t.exitCode === 0 || t.message || !r.id) return t;
    return { ...t, message: await this.terminationMessage(r, r.id) };
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

  private async createAndStart(r: ContainerRecord, pass: PassState): Promise<void> {
    const ex = this.opts.executor;
    try {
      const env = resolveEnv(this.assignment, r.spec, this.podIP);
      const mounts = await prepareMounts(this.assignment, r.spec, this.opts.dataDir, this.opts.secretsDir);
      r.id = await this.timed('create', () => ex.createContainer(this.assignment.pod, r.spec, { env, mounts, attempt: r.attempt, network: this.network() }));
    } catch (e) {
      if (!(e instanceof ConfigError) && !(e instanceof ContainerRuntimeError)) throw e;
      r.createBackoff.attempt(this.opts.clock.now());
      r.waiting = { reason: e instanceof ConfigError ? 'CreateContainerConfigError' : e.reason === 'CreateContainerConfigError' ? e.reason : 'CreateContainerError', message: e.message };
      this.event('Warning', 'Failed', `Error: ${e.message}`);
      this.wakeIn(r.createBackoff.currentMs);
      pass.blocked.add(r);
      return;
    }
    this.event('Normal', 'Created', `Created container ${r.spec.name}`);
    r.waiting = undefined;
    r.started = false;
    r.ready = false;
    await this.startContainer(r);
    const info = await ex.inspect(r.id);
    r.info = info;
    this.noteObserved(r, pass, info);
    if (info?.state === 'running') {
      this.startProbes(r);
    } else {
      // Exited already or failed to start: the next pass applies the restart policy.
      pass.blocked.add(r);
      this.kick();
    }
  }

  /**
   * Without a sandbox the pod IP is its one container's: a restarted container may get a new
   * one. While it is not running the last known address stays (the pod is not ready then).
   */
  private noteOwnIP(info: ContainerInfo): void {
    if (!this.sandboxed && info.state === 'running' && info.ip) this.podIP = info.ip;
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    // Engine errors and log tails may quote a value that came from a Secret (env): never pass it on.
    this.opts.onEvent?.({ podUid: this.uid, type, reason, message: redactSecretValues(this.assignment, message) });
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
      await this.runPostStart(r);
    } catch (e) {
      if (!(e instanceof ContainerRuntimeError)) throw e;
      r.waiting = { reason: 'RunContainerError', message: e.message };
      this.event('Warning', 'Failed', `Error: ${e.message}`);
    }
  }

  // ---- probes -----------------------------------------------------------------------------

  private startProbes(r: ContainerRecord): void {
    startProbes(r, {
      executor: this.opts.executor,
      clock: this.opts.clock,
      podIP: () => this.podIP,
      active: () => !this.stopped,
      onChange: () => {
        // A sidecar's startup probe passed: the init container after it may start now.
        if (r.role === 'sidecar' && r.started && !r.everStarted) this.kick();
        this.opts.onStatus(this.status());
      },
      onProbeFailed: (kind, message) => {
        if (!this.deleting) this.event('Warning', 'Unhealthy', `${kind[0]!.toUpperCase()}${kind.slice(1)} probe failed: ${message}`);
      },
      onKillRequested: (kind) => {
        if (this.deleting) return; // the pod is being stopped anyway: nothing restarts
        if (kind === 'liveness') {
          this.log.info({ pod: this.uid, container: r.spec.name }, 'liveness probe failed; restarting container');
          this.event('Normal', 'Killing', `Container ${r.spec.name} failed liveness probe, will be restarted`);
        }
        this.kick();
      },
    });
  }

  // ---- teardown -----------------------------------------------------------------------------

  /** Removed from the assignment: remove everything of the pod, then forget it. */
  private async teardown(): Promise<void> {
    await this.removeEverything();
    this.finished = true;
    this.clearWake();
    this.finishedResolve();
  }

  /**
   * A deleting pod with nothing running any more: its containers, sandbox and files go, and every
   * container is reported terminated (the pod's status now says `terminated`).
   */
  private async removeDeletedPod(): Promise<void> {
    await this.removeEverything();
    const now = this.opts.clock.now();
    for (const r of this.records) {
      const last = r.id && r.info && r.info.state !== 'running' && !(r.info.state === 'created' && r.info.error === '') ? terminationOf(r.info, now) : undefined;
      r.terminated ??= last ?? unknownTermination(now);
      r.waiting = undefined;
    }
    this.removed = true;
    this.clearWake();
  }

  /** Stops (within the grace period) and removes every container labelled with this pod, and its files. */
  private async removeEverything(): Promise<void> {
    const ex = this.opts.executor;
    for (const r of this.records) stopProbes(r);
    const grace = this.graceSeconds();
    // Everything labelled with this pod, including instances we never tracked.
    const all = await ex.listManaged(this.uid);
    const running = all.filter((c) => c.id !== this.sandboxId && c.containerName !== '_sandbox' && c.state === 'running');
    // App and init containers stop together; sidecars after them, the last one first (as the kubelet does).
    const sidecarOrder = this.records.filter((r) => r.role === 'sidecar').map((r) => r.spec.name).reverse();
    const stopAll = async (list: ManagedContainer[]) => {
      for (const c of list) this.event('Normal', 'Killing', `Stopping container ${c.containerName}`);
      await Promise.all(list.map((c) => ex.stop(c.id, grace)));
    };
    await stopAll(running.filter((c) => !sidecarOrder.includes(c.containerName)));
    for (const name of sidecarOrder) await stopAll(running.filter((c) => c.containerName === name));
    for (const c of all) await ex.remove(c.id);
    await rm(podDir(this.opts.dataDir, this.uid), { recursive: true, force: true });
    await removePodSecrets(this.opts.secretsDir, this.uid);
  }

  // ---- status -------------------------------------------------------------------------------

  status(): PodStatusReport {
    return redactStatusReport(this.assignment, podStatusReport({
      uid: this.uid,
      metadata: this.pod.metadata,
      podIP: this.podIP,
      startTime: this.startTime,
      containers: this.records.filter((r) => r.role === 'app'),
      initContainers: this.records.filter((r) => r.role !== 'app'),
      initialized: this.initialized,
      runtimeError: this.runtimeError,
      sandboxError: this.sandboxError,
      terminated: this.removed,
      now: this.opts.clock.now(),
    }));
  }
}
