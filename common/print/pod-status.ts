// What kubectl shows for a pod's READY, STATUS and RESTARTS columns (printers.go printPod).
import type { ContainerStateInfo, Pod } from '../api/types';
import { hasReadyCondition, isTerminalPhase } from '../api/pod';
import { formatAge, parseTime } from './age';

export interface PodSummary {
  /** "1/2": containers ready and running / containers in the spec. */
  ready: string;
  /** Phase, or the most telling container reason (CrashLoopBackOff, ErrImagePull, Completed, Error, OOMKilled, ...). */
  status: string;
  /** "3", or "3 (2m ago)" when the last termination time is known. */
  restarts: string;
}

export function summarizePod(pod: Pod, nowMs: number): PodSummary {
  const phase = pod.status?.phase ?? 'Pending';
  let reason: string = pod.status?.reason || phase;
  let restarts = 0;
  let readyContainers = 0;
  let lastRestart: number | undefined;
  let hasRunning = false;

  // kubectl walks statuses from last to first, so the first container's reason wins.
  const statuses = pod.status?.containerStatuses ?? [];
  for (let i = statuses.length - 1; i >= 0; i--) {
    const cs = statuses[i];
    if (!cs) continue;
    restarts += cs.restartCount ?? 0;
    const finished = parseTime(cs.lastState?.terminated?.finishedAt);
    if (finished !== undefined && (lastRestart === undefined || finished > lastRestart)) lastRestart = finished;

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

  if (pod.metadata.deletionTimestamp) {
    if (pod.status?.reason === 'NodeLost') reason = 'Unknown';
    else if (!isTerminalPhase(phase)) reason = 'Terminating';
  }

  const restartText =
    restarts !== 0 && lastRestart !== undefined
      ? `${restarts} (${formatAge(new Date(lastRestart).toISOString(), nowMs)} ago)`
      : String(restarts);

  return { ready: `${readyContainers}/${pod.spec.containers.length}`, status: reason, restarts: restartText };
}

/**
 * The kubelet always names a termination (Completed / Error / OOMKilled); kubectl falls back to
 * "ExitCode:N" without one. Our agent may leave it empty, so derive the kubelet's name instead.
 */
export function terminationReason(t: NonNullable<ContainerStateInfo['terminated']>): string {
  if (t.reason) return t.reason;
  return t.exitCode === 0 ? 'Completed' : 'Error';
}
