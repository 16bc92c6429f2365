// Turning an agent's PodStatusReport into a Pod's status, and checking that it is sane.
import type { Pod, PodStatus, ContainerStatus, ContainerStateInfo, Condition } from '../../common/api/types';
import { isPodPhase, POD_PHASES } from '../../common/api/pod';
import type { PodStatusReport__Output } from '../../common/generated/kite/v1/PodStatusReport';
import type { ContainerStatus__Output } from '../../common/generated/kite/v1/ContainerStatus';
import type { PodEvent__Output } from '../../common/generated/kite/v1/PodEvent';

const STATES = new Set(['waiting', 'running', 'terminated']);

/** Returns why a report cannot be accepted, or undefined when it is fine. */
export function reportProblem(r: PodStatusReport__Output, pod: Pod | undefined, nodeName: string): string | undefined {
  if (!pod) return `pod uid ${r.uid} is not known`;
  if (pod.spec.nodeName !== nodeName) return `pod ${pod.metadata.namespace}/${pod.metadata.name} is not assigned to node ${nodeName}`;
  if (!isPodPhase(r.phase)) return `phase "${r.phase}" is not one of ${POD_PHASES.join(', ')}`;
  for (const c of r.containers) {
    if (!STATES.has(c.state)) return `container ${c.name}: state "${c.state}" is not waiting, running or terminated`;
    if (!pod.spec.containers.some((sc) => sc.name === c.name)) return `container "${c.name}" is not in the pod spec`;
  }
  return undefined;
}

/** Returns why an agent's pod event cannot be recorded, or undefined when it is fine. */
export function eventProblem(e: PodEvent__Output, pod: Pod | undefined, nodeName: string): string | undefined {
  if (!pod || pod.spec.nodeName !== nodeName) return `pod uid ${e.pod_uid} is not assigned to node ${nodeName}`;
  if (e.type !== 'Normal' && e.type !== 'Warning') return `type "${e.type}" is not Normal or Warning`;
  if (!/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(e.reason)) return `reason "${e.reason.slice(0, 80)}" is not a short CamelCase word`;
  return undefined;
}

function stateOf(c: ContainerStatus__Output): ContainerStateInfo {
  switch (c.state) {
    case 'running':
      return { running: { startedAt: c.started_at || undefined } };
    case 'terminated':
      return { terminated: { exitCode: c.exit_code, reason: c.reason || undefined, message: c.message || undefined, startedAt: c.started_at || undefined, finishedAt: c.finished_at || undefined } };
    default:
      return { waiting: { reason: c.reason || undefined, message: c.message || undefined } };
  }
}

function containerStatus(c: ContainerStatus__Output): ContainerStatus {
  const s: ContainerStatus = {
    name: c.name,
    containerID: c.container_id ? (c.container_id.includes("://") ? c.container_id : `docker://${c.container_id}`) : undefined,
    image: c.image,
    imageID: c.image_id || undefined,
    state: stateOf(c),
    ready: c.ready,
    started: c.started,
    restartCount: c.restart_count,
  };
  if (c.last_reason || c.last_finished_at) {
    s.lastState = { terminated: { exitCode: c.last_exit_code, reason: c.last_reason || undefined, finishedAt: c.last_finished_at || undefined } };
  }
  return s;
}

function condition(type: string, ok: boolean, previous: Condition[] | undefined, now: string): Condition {
  const status = ok ? 'True' : 'False';
  const prev = previous?.find((c) => c.type === type);
  return { type, status, lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : now };
}

export function podStatusFromReport(r: PodStatusReport__Output, pod: Pod, hostIP: string): PodStatus {
  const now = r.observed_at || new Date().toISOString();
  const prev = pod.status?.conditions;
  const allReady = r.ready && r.phase === 'Running';
  return {
    phase: r.phase as PodStatus['phase'],
    reason: r.reason || undefined,
    message: r.message || undefined,
    hostIP,
    podIP: r.pod_ip || undefined,
    startTime: r.start_time || pod.status?.startTime,
    conditions: [
      condition('PodScheduled', true, prev, now),
      condition('Initialized', true, prev, now),
      condition('ContainersReady', allReady, prev, now),
      condition('Ready', allReady, prev, now),
    ],
    containerStatuses: r.containers.map(containerStatus),
  };
}

/** Status equality that ignores transition timestamps, so unchanged reports cause no write. */
export function sameStatus(a: PodStatus | undefined, b: PodStatus): boolean {
  if (!a) return false;
  const strip = (s: PodStatus) => JSON.stringify({ ...s, conditions: s.conditions?.map((c) => [c.type, c.status]) });
  return strip(a) === strip(b);
}
