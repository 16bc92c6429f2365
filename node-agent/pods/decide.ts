// What a pod's worker should do next, as a pure function of what it knows: the runtime's view of
// each container, the pod spec's policies, back-off state, probe verdicts and the time. No I/O,
// no timers: the worker (worker.ts) observes, calls decide(), executes the actions, and asks
// again while the actions made progress.
import type { ContainerInfo } from '../executor/types';
import { readyAtAfterRun, type BackoffSnapshot } from './backoff';
import { ranMs, terminationOf, type Termination } from './termination';

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

/** What the runtime says about a container's current instance (or the sandbox), this pass. */
export type Observed =
  | { kind: 'none' } // no instance: never created, or dropped for a restart
  | { kind: 'gone' } // we had an instance; the runtime no longer has it
  | { kind: 'present'; info: ContainerInfo };

/**
 * What a container is to its pod: an init container runs to completion before the next one; a
 * sidecar (an init container with restartPolicy Always) is started in its order and kept running
 * beside the app containers; app containers start once every init container is done.
 */
export type ContainerRole = 'init' | 'sidecar' | 'app';

export interface ContainerView {
  name: string;
  /** Default 'app'. */
  role?: ContainerRole;
  /**
   * A sidecar has been started (running, its startup probe passed) at least once in this pod's
   * life: the next init container may go, and its later restarts hold nothing up.
   */
  hasStarted?: boolean;
  observed: Observed;
  imageReady: boolean;
  /** The waiting reason the container shows now (tells an image back-off from a create back-off). */
  waitingReason?: string;
  /** Set once the restart policy (or the pod's deletion) said this container will not run again. */
  final?: Termination;
  restartBackoff: BackoffSnapshot;
  /** Back-off of failed pulls and failed creates. */
  createBackoff: BackoffSnapshot;
  /** A liveness (or startup) probe failed: the instance must be killed and restarted. */
  killRequested: boolean;
  /** Something failed or must wait in this pass: nothing more for this container until the next one. */
  blocked: boolean;
  /** This pass already asked the runtime to start the current instance. */
  startTried: boolean;
}

export interface SandboxView {
  observed: Observed;
  /** Creating or restarting it failed in this pass. */
  blocked: boolean;
  /** Created or restarted in this pass: usable whatever a later look says. */
  handled: boolean;
}

export interface PodView {
  restartPolicy: RestartPolicy;
  /** Grace for kills: the deletion's grace while deleting, else the pod's termination grace. */
  graceSeconds: number;
  /** The pod has a deletionTimestamp: stop everything, restart nothing. */
  deleting: boolean;
  /** A deleting pod's containers are stopped and removed: nothing is left to do. */
  removed: boolean;
  /** Present for pods holding their network in a sandbox. */
  sandbox?: SandboxView;
  containers: ContainerView[];
  backoffResetAfterMs: number;
  now: number;
}

export type ContainerState = 'waiting' | 'pulling' | 'creating' | 'starting' | 'running' | 'killing' | 'backoff' | 'terminated';

/** podDone: the pod's app containers finished (or an init container failed for good): its sidecars stop. */
export type KillCause = 'liveness' | 'sandbox' | 'deletion' | 'podDone';

export type PodAction =
  | { kind: 'pull'; container: string }
  /** The last pull failed and its back-off has not elapsed. */
  | { kind: 'pullBackoff'; container: string; retryAt: number }
  /** The last create failed and its back-off has not elapsed. */
  | { kind: 'createBackoff'; container: string; retryAt: number }
  | { kind: 'createSandbox' }
  /** Start the stopped sandbox again (the worker replaces it if the engine will not). */
  | { kind: 'restartSandbox' }
  /** Create a new instance and start it. */
  | { kind: 'create'; container: string }
  /** Start an instance that was created but not started. */
  | { kind: 'start'; container: string }
  | { kind: 'kill'; container: string; graceSeconds: number; cause: KillCause }
  /** Running: keep its probes running. */
  | { kind: 'watch'; container: string }
  /** It exited and will restart, but not before retryAt (CrashLoopBackOff / RunContainerError). */
  | { kind: 'crashBackoff'; container: string; termination: Termination; retryAt: number }
  /** It exited and restarts now: keep this instance as the previous one; a create follows. */
  | { kind: 'restart'; container: string; termination: Termination }
  /** Its instance was removed behind our back: count a restart; a create follows. */
  | { kind: 'replaceVanished'; container: string }
  /** It exited and will not run again (restart policy). */
  | { kind: 'finish'; container: string; termination: Termination }
  /** A deleting pod with nothing running: remove its containers, sandbox and files. */
  | { kind: 'removePod' };

export interface PodDecision {
  actions: PodAction[];
  /** One per container, in the view's order (init containers first, then app containers). */
  states: ContainerState[];
  /** Every container is stopped and removed because the pod is being deleted. */
  terminated: boolean;
  /** Every init container completed (sidecars: started): the app containers may run. */
  initialized: boolean;
}

/** Actions that only wait or keep things as they are; every other action changes the pod. */
export const isWaitOnly = (a: PodAction) => a.kind === 'watch' || a.kind === 'pullBackoff' || a.kind === 'createBackoff' || a.kind === 'crashBackoff';

interface Step {
  state: ContainerState;
  action?: PodAction;
}

export function decide(view: PodView): PodDecision {
  if (view.deleting) return decideDeletion(view);
  const containers = view.containers;
  const initialized = isInitialized(containers);
  const waitAll = (): ContainerState[] => containers.map((c) => (c.final ? 'terminated' : 'waiting'));
  const early = (actions: PodAction[], states: ContainerState[]): PodDecision => ({ actions, states, terminated: false, initialized });
  // The sandbox is made from the image of the first container still to run, so that image comes first.
  const firstIndex = Math.max(0, containers.findIndex((c) => !c.final));
  const first = containers[firstIndex];
  if (!first) return early([], []);
  if (!first.imageReady && !first.final) {
    const step = imageStep(first, view.now);
    const states = waitAll();
    states[firstIndex] = step.state;
    return early(first.blocked || !step.action ? [] : [step.action], states);
  }
  const sandbox = view.sandbox;
  if (sandbox && !sandbox.handled) {
    if (sandbox.blocked) return early([], waitAll());
    if (sandbox.observed.kind !== 'present') return early([{ kind: 'createSandbox' }], waitAll());
    if (sandbox.observed.info.state !== 'running') {
      // A new network namespace: containers still running in the old one must restart into it.
      const kills: PodAction[] = containers
        .filter((c) => isRunning(c))
        .map((c) => ({ kind: 'kill', container: c.name, graceSeconds: view.graceSeconds, cause: 'sandbox' }));
      return early([{ kind: 'restartSandbox' }, ...kills], waitAll());
    }
  }
  const steps: Step[] = containers.map((c) => ({ state: c.final ? 'terminated' : 'waiting' }));
  const initFailed = planInitContainers(view, steps);
  const apps = containers.filter((c) => roleOf(c) === 'app');
  if (initialized && !initFailed) containers.forEach((c, i) => roleOf(c) === 'app' && (steps[i] = containerStep(c, view, view.restartPolicy)));
  // Nothing of the pod will run again (its app containers finished, or an init container failed
  // with restartPolicy Never): its sidecars stop, the last one first.
  if (initFailed || (initialized && apps.every((c) => c.final))) stopSidecars(view, steps);
  return {
    actions: steps.flatMap((s, i) => (s.action && !containers[i]!.blocked ? [s.action] : [])),
    states: steps.map((s) => s.state),
    terminated: false,
    initialized,
  };
}

const roleOf = (c: ContainerView): ContainerRole => c.role ?? 'app';
const isRunning = (c: ContainerView) => c.observed.kind === 'present' && c.observed.info.state === 'running';
const completed = (c: ContainerView) => c.final?.exitCode === 0;

/** Every init container completed and every sidecar has started (an app container only runs after that). */
function isInitialized(containers: ContainerView[]): boolean {
  return containers.every((c) => (roleOf(c) === 'init' ? completed(c) : roleOf(c) === 'sidecar' ? c.hasStarted === true : true));
}

/**
 * Init containers in order: each completed one lets the next go; a sidecar lets the next go once
 * it has started, and keeps its own step (restarts) beside them. Returns true when an init
 * container failed for good (restartPolicy Never): the pod has failed.
 */
function planInitContainers(view: PodView, steps: Step[]): boolean {
  for (let i = 0; i < view.containers.length; i++) {
    const c = view.containers[i]!;
    const role = roleOf(c);
    if (role === 'app') continue;
    if (role === 'sidecar') {
      steps[i] = containerStep(c, view, 'Always');
      if (c.hasStarted) continue;
      return false;
    }
    if (c.final) {
      if (c.final.exitCode === 0) continue;
      return true;
    }
    // An init container that exited 0 is done whatever the pod's policy; a failed one restarts
    // unless the policy is Never.
    steps[i] = containerStep(c, view, view.restartPolicy === 'Never' ? 'Never' : 'OnFailure');
    return false;
  }
  return false;
}

/** The pod is done: running sidecars are stopped one at a time from the last; exited ones finish. */
function stopSidecars(view: PodView, steps: Step[]): void {
  const sidecars = view.containers.map((c, i) => ({ c, i })).filter(({ c }) => roleOf(c) === 'sidecar' && !c.final);
  const lastRunning = sidecars.filter(({ c }) => isRunning(c)).pop();
  for (const { c, i } of sidecars) {
    const o = c.observed;
    if (isRunning(c)) {
      steps[i] =
        c === lastRunning?.c
          ? { state: 'killing', action: { kind: 'kill', container: c.name, graceSeconds: view.graceSeconds, cause: 'podDone' } }
          : { state: 'running', action: { kind: 'watch', container: c.name } };
    } else if (o.kind === 'present') {
      steps[i] = { state: 'terminated', action: { kind: 'finish', container: c.name, termination: terminationOf(o.info, view.now) } };
    } else {
      steps[i] = { state: 'waiting' }; // never ran (or vanished): nothing to stop
    }
  }
}

function containerStep(c: ContainerView, view: PodView, restartPolicy: RestartPolicy): Step {
  const { now } = view;
  const container = c.name;
  if (c.final) return { state: 'terminated' };
  const o = c.observed;
  if (o.kind === 'gone') return { state: 'waiting', action: { kind: 'replaceVanished', container } };
  if (o.kind === 'present') {
    const info = o.info;
    if (info.state === 'created' && info.error === '') {
      return c.startTried ? { state: 'starting' } : { state: 'starting', action: { kind: 'start', container } };
    }
    if (info.state === 'running') {
      if (c.killRequested) return { state: 'killing', action: { kind: 'kill', container, graceSeconds: view.graceSeconds, cause: 'liveness' } };
      return { state: 'running', action: { kind: 'watch', container } };
    }
    // It exited (or never managed to start): the restart policy decides.
    const termination = terminationOf(info, now);
    const restart = restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && termination.exitCode !== 0);
    if (!restart) return { state: 'terminated', action: { kind: 'finish', container, termination } };
    const retryAt = readyAtAfterRun(c.restartBackoff, ranMs(termination), { resetAfterMs: view.backoffResetAfterMs });
    if (retryAt > now) return { state: 'backoff', action: { kind: 'crashBackoff', container, termination, retryAt } };
    return { state: 'waiting', action: { kind: 'restart', container, termination } };
  }
  // No instance: make one, once the image is there and no create back-off holds it.
  if (!c.imageReady) return imageStep(c, now);
  const createRetryAt = c.createBackoff.lastAt + c.createBackoff.windowMs;
  if (createRetryAt > now && c.waitingReason && c.waitingReason !== 'ContainerCreating') {
    return { state: 'waiting', action: { kind: 'createBackoff', container, retryAt: createRetryAt } };
  }
  return { state: 'creating', action: { kind: 'create', container } };
}

/** Pull the image, unless the last pull failed and its back-off holds. */
function imageStep(c: ContainerView, now: number): Step {
  const retryAt = c.createBackoff.lastAt + c.createBackoff.windowMs;
  if (retryAt > now && c.waitingReason && /Image|Pull/.test(c.waitingReason)) {
    return { state: 'waiting', action: { kind: 'pullBackoff', container: c.name, retryAt } };
  }
  return { state: 'pulling', action: { kind: 'pull', container: c.name } };
}

/**
 * A deleting pod: kill what runs (with the deletion's grace), the app and init containers first,
 * then the sidecars one at a time from the last; then remove everything, then done.
 */
function decideDeletion(view: PodView): PodDecision {
  const terminatedStates = view.containers.map((): ContainerState => 'terminated');
  const initialized = isInitialized(view.containers);
  if (view.removed) return { actions: [], states: terminatedStates, terminated: true, initialized };
  const states = view.containers.map((c): ContainerState => (isRunning(c) ? 'killing' : 'terminated'));
  const kill = (c: ContainerView): PodAction => ({ kind: 'kill', container: c.name, graceSeconds: view.graceSeconds, cause: 'deletion' });
  const others = view.containers.filter((c) => isRunning(c) && roleOf(c) !== 'sidecar');
  const sidecars = view.containers.filter((c) => isRunning(c) && roleOf(c) === 'sidecar');
  if (others.length > 0) {
    sidecars.forEach((c) => (states[view.containers.indexOf(c)] = 'running'));
    return { actions: others.filter((c) => !c.blocked).map(kill), states, terminated: false, initialized };
  }
  const lastSidecar = sidecars.pop();
  if (lastSidecar) {
    sidecars.forEach((c) => (states[view.containers.indexOf(c)] = 'running'));
    return { actions: lastSidecar.blocked ? [] : [kill(lastSidecar)], states, terminated: false, initialized };
  }
  return { actions: [{ kind: 'removePod' }], states, terminated: false, initialized };
}
