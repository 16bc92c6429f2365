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

export interface ContainerView {
  name: string;
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

export type KillCause = 'liveness' | 'sandbox' | 'deletion';

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
  /** One per container, in spec order. */
  states: ContainerState[];
  /** Every container is stopped and removed because the pod is being deleted. */
  terminated: boolean;
}

/** Actions that only wait or keep things as they are; every other action changes the pod. */
export const isWaitOnly = (a: PodAction) => a.kind === 'watch' || a.kind === 'pullBackoff' || a.kind === 'createBackoff' || a.kind === 'crashBackoff';

interface Step {
  state: ContainerState;
  action?: PodAction;
}

export function decide(view: PodView): PodDecision {
  if (view.deleting) return decideDeletion(view);
  const waitAll = (): ContainerState[] => view.containers.map((c) => (c.final ? 'terminated' : 'waiting'));
  const first = view.containers[0];
  if (!first) return { actions: [], states: [], terminated: false };
  // The sandbox is made from the first container's image, so that image comes first.
  if (!first.imageReady && !first.final) {
    const step = imageStep(first, view.now);
    const states = waitAll();
    states[0] = step.state;
    return { actions: first.blocked || !step.action ? [] : [step.action], states, terminated: false };
  }
  const sandbox = view.sandbox;
  if (sandbox && !sandbox.handled) {
    if (sandbox.blocked) return { actions: [], states: waitAll(), terminated: false };
    if (sandbox.observed.kind !== 'present') return { actions: [{ kind: 'createSandbox' }], states: waitAll(), terminated: false };
    if (sandbox.observed.info.state !== 'running') {
      // A new network namespace: containers still running in the old one must restart into it.
      const kills: PodAction[] = view.containers
        .filter((c) => c.observed.kind === 'present' && c.observed.info.state === 'running')
        .map((c) => ({ kind: 'kill', container: c.name, graceSeconds: view.graceSeconds, cause: 'sandbox' }));
      return { actions: [{ kind: 'restartSandbox' }, ...kills], states: waitAll(), terminated: false };
    }
  }
  const steps = view.containers.map((c) => containerStep(c, view));
  return {
    actions: steps.flatMap((s, i) => (s.action && !view.containers[i]!.blocked ? [s.action] : [])),
    states: steps.map((s) => s.state),
    terminated: false,
  };
}

function containerStep(c: ContainerView, view: PodView): Step {
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
    const restart = view.restartPolicy === 'Always' || (view.restartPolicy === 'OnFailure' && termination.exitCode !== 0);
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

/** A deleting pod: kill what runs (with the deletion's grace), then remove everything, then done. */
function decideDeletion(view: PodView): PodDecision {
  const terminatedStates = view.containers.map((): ContainerState => 'terminated');
  if (view.removed) return { actions: [], states: terminatedStates, terminated: true };
  const running = (c: ContainerView) => c.observed.kind === 'present' && c.observed.info.state === 'running';
  const kills: PodAction[] = view.containers
    .filter((c) => running(c) && !c.blocked)
    .map((c) => ({ kind: 'kill', container: c.name, graceSeconds: view.graceSeconds, cause: 'deletion' }));
  const states = view.containers.map((c): ContainerState => (running(c) ? 'killing' : 'terminated'));
  if (view.containers.some(running)) return { actions: kills, states, terminated: false };
  return { actions: [{ kind: 'removePod' }], states, terminated: false };
}
