// What kubectl shows for a pod's READY, STATUS and RESTARTS columns (printers.go printPod).
import type { ContainerStateInfo, Pod } from '../api/types';
import { hasReadyCondition, isTerminalPhase } from '../api/pod';
import { SCHEDULING_GATED, showsSchedulingGated } from '../api/scheduling-gates';
import { formatAge, parseTime } from './age';

export interface PodSummary {
  /** "1/2": containers (sidecars included) ready and running / containers in the spec (sidecars included). */
  ready: string;
  /**
   * Phase, or the most telling reason: Init:N/M, Init:Error, Init:CrashLoopBackOff, PodInitializing,
   * CrashLoopBackOff, ErrImagePull, Completed, Error, OOMKilled, ...
   */
  status: string;
  /** "3", or "3 (2m ago)" when the last termination time is known. */
  restarts: string;
}

type Status = NonNullable<NonNullable<Pod['status']>['containerStatuses']>[number];

/** Restarts and the latest restart time, summed over statuses. */
class RestartTally {
  count = 0;
  last: number | undefined;
  add(cs: Status): void {
    this.count += cs.restartCount ?? 0;
    const finished = parseTime(cs.lastState?.terminated?.finishedAt);
    if (finished !== undefined && (this.last === undefined || finished > this.last)) this.last = finished;
  }
}

const isSidecarSpec = (c: { restartPolicy?: string } | undefined) => c?.restartPolicy === 'Always';

/**
 * kubectl's printPod: the first init container not done names the status (Init:N/M while it
 * runs, Init:<reason> when it fails or waits); once initialized the app containers do, walked
 * from last to first so the first one's reason wins.
 */
export function summarizePod(pod: Pod, nowMs: number): PodSummary {
  const phase = pod.status?.phase ?? 'Pending';
  let reason: string = pod.status?.reason || phase;
  if (showsSchedulingGated(pod)) reason = SCHEDULING_GATED;
  let readyContainers = 0;
  const initSpecs = pod.spec.initContainers ?? [];
  const sidecarNames = new Set(initSpecs.filter(isSidecarSpec).map((c) => c.name));
  const totalContainers = pod.spec.containers.length + sidecarNames.size;
  const all = new RestartTally();
  const sidecarRestarts = new RestartTally();

  let initializing = false;
  const initStatuses = pod.status?.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    all.add(cs);
    const sidecar = sidecarNames.has(cs.name);
    if (sidecar) sidecarRestarts.add(cs);
    const { waiting, terminated } = cs.state ?? {};
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecar && cs.started) {
      if (cs.ready) readyContainers++;
      continue;
    }
    if (terminated) reason = `Init:${terminationReason(terminated)}`;
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }

  let restarts = all;
  const initialized = pod.status?.conditions?.some((c) => c.type === 'Initialized' && c.status === 'True') ?? false;
  if (!initializing || initialized) {
    // Only sidecars' restarts count beside the app containers' once the pod is initialized.
    restarts = sidecarRestarts;
    let hasRunning = false;
    const statuses = pod.status?.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      if (!cs) continue;
      restarts.add(cs);
      const { waiting, terminated, running } = cs.state ?? {};
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated) reason = terminationReason(terminated);
      else if (cs.ready && running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // One container finished but another still runs: the pod is not "Completed".
    if (reason === 'Completed' && hasRunning) {
      reason = hasReadyCondition(pod) ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp) {
    if (pod.status?.reason === 'NodeLost') reason = 'Unknown';
    else if (!isTerminalPhase(phase)) reason = 'Terminating';
  }

  const restartText =
    restarts.count !== 0 && restarts.last !== undefined
      ? `${restarts.count} (${formatAge(new Date(restarts.last).toISOString(), nowMs)} ago)`
      : String(restarts.count);

  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartText };
}

/**
 * The kubelet always names a termination (Completed / Error / OOMKilled); kubectl falls back to
 * "ExitCode:N" without one. Our agent may leave it empty, so derive the kubelet's name instead.
 */
export function terminationReason(t: NonNullable<ContainerStateInfo['terminated']>): string {
  if (t.reason) return t.reason;
  return t.exitCode === 0 ? 'Completed' : 'Error';
}
