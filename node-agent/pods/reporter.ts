// Status reporting. podStatusReport() turns what a pod worker knows into the wire status; the
// StatusReporter sends only changed statuses, coalesced into at most one batch per window.
// The window is leading-edge: after a quiet spell a change goes out at once (a lone pod turning
// Running should not wait), while a burst of changes is held to one batch per flushMs.
import type { ObjectMeta } from '../../common/api/types';
import type { Clock, Timer } from '../../common/clock';
import type { ContainerStatus as WireContainerStatus } from '../../common/generated/kite/v1/ContainerStatus';
import type { PodStatusReport } from '../../common/generated/kite/v1/PodStatusReport';
import type { ContainerInfo } from '../executor/types';
import { isoOf, type Termination } from './termination';

/** What a worker knows about one container, as far as its status goes. */
export interface ContainerFacts {
  /** restartPolicy Always on an init container makes it a sidecar. */
  spec: { name: string; image: string; restartPolicy?: 'Always' };
  id?: string;
  info?: Pick<ContainerInfo, 'state' | 'imageId' | 'startedAt'>;
  restartCount: number;
  waiting?: { reason: string; message: string };
  /** Set when the container will not run again. */
  terminated?: Termination;
  /** How the previous instance ended. */
  last?: Termination;
  ready: boolean;
  started: boolean;
}

/** What a worker knows about its pod, as far as its status goes. */
export interface PodFacts {
  uid: string;
  metadata: Pick<ObjectMeta, 'name' | 'namespace'>;
  podIP: string;
  startTime: string;
  containers: ContainerFacts[];
  /** Init containers and sidecars, in spec order. */
  initContainers?: ContainerFacts[];
  /** Every init container completed once (sidecars: started); ignored without init containers. */
  initialized?: boolean;
  /** The runtime did not answer the last pass. */
  runtimeError?: string;
  /** The pod's sandbox could not be made or started. */
  sandboxError?: string;
  /** Every container is stopped and removed because the pod is being deleted. */
  terminated: boolean;
  now: number;
}

export type ReportedPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

/**
 * The waiting reason of a container not created yet: with init containers the kubelet says
 * PodInitializing (kubectl then shows Init:N/M, or PodInitializing once they are done).
 */
type DefaultWaiting = 'ContainerCreating' | 'PodInitializing';

const isSidecar = (c: ContainerFacts) => c.spec.restartPolicy === 'Always';

function containerStatus(c: ContainerFacts, defaultWaiting: DefaultWaiting): WireContainerStatus {
  const base: WireContainerStatus = {
    name: c.spec.name,
    container_id: c.id ? `docker://${c.id}` : '',
    image: c.spec.image,
    image_id: c.info?.imageId ?? '',
    restart_count: c.restartCount,
    ready: false,
    started: false,
    reason: '',
    message: '',
    exit_code: 0,
    started_at: '',
    finished_at: '',
    last_reason: c.last?.reason ?? '',
    last_exit_code: c.last?.exitCode ?? 0,
    last_finished_at: c.last?.finishedAt ?? '',
  };
  if (c.terminated) {
    return {
      ...base,
      state: 'terminated',
      reason: c.terminated.reason,
      message: c.terminated.message,
      exit_code: c.terminated.exitCode,
      started_at: c.terminated.startedAt,
      finished_at: c.terminated.finishedAt,
    };
  }
  if (c.waiting) {
    const reason = c.waiting.reason === 'ContainerCreating' ? defaultWaiting : c.waiting.reason;
    return { ...base, state: 'waiting', reason, message: c.waiting.message };
  }
  if (c.info?.state === 'running') {
    return { ...base, state: 'running', started_at: c.info.startedAt, ready: c.ready, started: c.started };
  }
  return { ...base, state: 'waiting', reason: defaultWaiting };
}

/** An init container is ready once it completed (the kubelet's rule); a sidecar by its probes. */
function initContainerStatus(c: ContainerFacts, defaultWaiting: DefaultWaiting): WireContainerStatus {
  const s = containerStatus(c, defaultWaiting);
  return isSidecar(c) ? s : { ...s, ready: c.terminated?.exitCode === 0 };
}

/**
 * Failed when an init container failed for good (restartPolicy Never); Succeeded/Failed once
 * every app container is done for good (sidecars do not count); Running once any app container
 * ran; else Pending (initializing included).
 */
export function podPhase(containers: ContainerFacts[], initContainers: ContainerFacts[] = []): ReportedPhase {
  if (initContainers.some((c) => !isSidecar(c) && c.terminated && c.terminated.exitCode !== 0)) return 'Failed';
  if (containers.every((c) => c.terminated)) return containers.some((c) => c.terminated!.exitCode !== 0) ? 'Failed' : 'Succeeded';
  if (containers.some((c) => c.info?.state === 'running' || c.restartCount > 0 || c.terminated)) return 'Running';
  return 'Pending';
}

/**
 * While the runtime does not answer, what its containers do is unknown (a stopped engine stops
 * them): none is reported running or ready from memory; each says why it cannot be seen.
 */
function unknownContainerStatus(s: WireContainerStatus, c: ContainerFacts, runtimeError: string): WireContainerStatus {
  if (c.terminated) return s;
  return { ...s, state: 'waiting', reason: 'ContainerRuntimeUnavailable', message: runtimeError, ready: false, started: false, started_at: '' };
}

export function podStatusReport(f: PodFacts): PodStatusReport {
  const inits = f.initContainers ?? [];
  const defaultWaiting: DefaultWaiting = inits.length > 0 ? 'PodInitializing' : 'ContainerCreating';
  const seen = (s: WireContainerStatus, c: ContainerFacts) => (f.runtimeError ? unknownContainerStatus(s, c, f.runtimeError) : s);
  const containers = f.containers.map((c) => seen(containerStatus(c, defaultWaiting), c));
  const initContainers = inits.map((c) => seen(initContainerStatus(c, defaultWaiting), c));
  // Sidecars count for the pod's readiness, as in Kubernetes; run-to-completion init containers do not.
  const sidecars = initContainers.filter((_, i) => isSidecar(inits[i]!));
  let reason = '';
  let message = '';
  if (f.runtimeError) {
    reason = 'ContainerRuntimeUnavailable';
    message = f.runtimeError;
  } else if (f.sandboxError) {
    reason = 'FailedCreatePodSandBox';
    message = f.sandboxError;
  }
  return {
    uid: f.uid,
    namespace: f.metadata.namespace ?? 'default',
    name: f.metadata.name,
    phase: podPhase(f.containers, inits),
    reason,
    message,
    ready: containers.length > 0 && [...containers, ...sidecars].every((c) => c.ready),
    pod_ip: f.podIP,
    start_time: f.startTime,
    containers,
    observed_at: isoOf(f.now),
    terminated: f.terminated,
    init_containers: initContainers,
    initializing: inits.length > 0 && !f.initialized,
  };
}

export class StatusReporter {
  private readonly last = new Map<string, string>();
  private readonly pending = new Map<string, PodStatusReport>();
  private timer: Timer | undefined;
  private lastFlushAt = -Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly flushMs: number,
    private readonly sink: (reports: PodStatusReport[]) => void,
  ) {}

  /** Queues `r` if it differs from the last status sent for its pod (observed_at ignored). */
  report(r: PodStatusReport): void {
    const uid = r.uid ?? '';
    const key = JSON.stringify({ ...r, observed_at: '' });
    if (this.last.get(uid) === key) return;
    this.last.set(uid, key);
    this.pending.set(uid, r);
    if (this.timer === undefined) {
      // A 0 ms timer still lets changes made in the same turn share the batch.
      const wait = Math.max(0, this.lastFlushAt + this.flushMs - this.clock.now());
      this.timer = this.clock.setTimeout(() => this.flush(), wait);
    }
  }

  /** Forget a pod, so a pod re-created with the same uid reports again. */
  forget(uid: string): void {
    this.last.delete(uid);
    this.pending.delete(uid);
  }

  /** Sends whatever is pending now. */
  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    this.lastFlushAt = this.clock.now();
    const batch = [...this.pending.values()];
    this.pending.clear();
    this.sink(batch);
  }

  close(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
