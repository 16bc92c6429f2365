// Turning an agent's PodStatusReport into a Pod's status, and checking that it is sane.
import type { Pod, PodStatus, ContainerStatus, ContainerStateInfo, Condition } from '../../common/api/types';
import { isPodPhase, POD_PHASES } from '../../common/api/pod';
import type { PodStatusReport__Output } from '../../common/generated/kite/v1/PodStatusReport';
import type { ContainerStatus__Output } from '../../common/generated/kite/v1/ContainerStatus';
import type { PodEvent__Output } from '../../common/generated/kite/v1/PodEvent';

const STATES = new Set(['waiting', 'running', 'terminated']);

/** What Docker and the agent send (RFC 3339, nanoseconds at most); anything else would be stored as a time. */
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/** Reasons and messages agents send are stored on the pod: cut to this length (as events' messages are). */
const MAX_TEXT = 1024;
const clip = (s: string) => (s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s);

/** Quotes agent text in a problem message without letting it run on. */
const quote = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);

function timestampProblem(field: string, value: string): string | undefined {
  if (value === '' || (TIMESTAMP_RE.test(value) && Number.isFinite(Date.parse(value)))) return undefined;
  return `${field} ${quote(value)} is not an RFC 3339 time`;
}

function containerProblem(c: ContainerStatus__Output, specNames: string[], what: string): string | undefined {
  const where = `${what} ${quote(c.name)}`;
  if (!STATES.has(c.state)) return `${where}: state ${quote(c.state)} is not waiting, running or terminated`;
  if (!specNames.includes(c.name)) return `${where} is not in the pod spec`;
  if (!Number.isInteger(c.restart_count) || c.restart_count < 0) return `${where}: restart_count ${c.restart_count} is not a non-negative integer`;
  for (const [field, value] of [['started_at', c.started_at], ['finished_at', c.finished_at], ['last_finished_at', c.last_finished_at]] as const) {
    const p = timestampProblem(field, value);
    if (p) return `${where}: ${p}`;
  }
  return undefined;
}

/** Returns why a report cannot be accepted, or undefined when it is fine. */
export function reportProblem(r: PodStatusReport__Output, pod: Pod | undefined, nodeName: string): string | undefined {
  if (!pod) return `pod uid ${quote(r.uid)} is not known`;
  if (nodeName === '' || pod.spec.nodeName !== nodeName) return `pod ${pod.metadata.namespace}/${pod.metadata.name} is not assigned to node ${nodeName}`;
  if (!isPodPhase(r.phase)) return `phase ${quote(r.phase)} is not one of ${POD_PHASES.join(', ')}`;
  const timeProblem = timestampProblem('start_time', r.start_time) ?? timestampProblem('observed_at', r.observed_at);
  if (timeProblem) return timeProblem;
  const seen = new Set<string>();
  const lists = [
    { statuses: r.containers, names: pod.spec.containers.map((c) => c.name), what: 'container' },
    { statuses: r.init_containers ?? [], names: (pod.spec.initContainers ?? []).map((c) => c.name), what: 'init container' },
  ];
  for (const { statuses, names, what } of lists) {
    for (const c of statuses) {
      const problem = containerProblem(c, names, what);
      if (problem) return problem;
      if (seen.has(c.name)) return `${what} ${quote(c.name)} is reported twice`;
      seen.add(c.name);
    }
  }
  return undefined;
}

/** Returns why an agent's pod event cannot be recorded, or undefined when it is fine. */
export function eventProblem(e: PodEvent__Output, pod: Pod | undefined, nodeName: string): string | undefined {
  if (!pod || nodeName === '' || pod.spec.nodeName !== nodeName) return `pod uid ${quote(e.pod_uid)} is not assigned to node ${nodeName}`;
  if (e.type !== 'Normal' && e.type !== 'Warning') return `type ${quote(e.type)} is not Normal or Warning`;
  if (!/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(e.reason)) return `reason ${quote(e.reason)} is not a short CamelCase word`;
  return undefined;
}

function stateOf(c: ContainerStatus__Output): ContainerStateInfo {
  switch (c.state) {
    case 'running':
      return { running: { startedAt: c.started_at || undefined } };
    case 'terminated':
      return { terminated: { exitCode: c.exit_code, reason: clip(c.reason) || undefined, message: clip(c.message) || undefined, startedAt: c.started_at || undefined, finishedAt: c.finished_at || undefined } };
    default:
      return { waiting: { reason: clip(c.reason) || undefined, message: clip(c.message) || undefined } };
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
    s.lastState = { terminated: { exitCode: c.last_exit_code, reason: clip(c.last_reason) || undefined, finishedAt: c.last_finished_at || undefined } };
  }
  return s;
}

function condition(type: string, ok: boolean, previous: Condition[] | undefined, now: string, falseReason?: string): Condition {
  const status = ok ? 'True' : 'False';
  const prev = previous?.find((c) => c.type === type);
  const c: Condition = { type, status, lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : now };
  if (!ok && falseReason) c.reason = falseReason;
  return c;
}

export function podStatusFromReport(r: PodStatusReport__Output, pod: Pod, hostIP: string): PodStatus {
  const now = r.observed_at || new Date().toISOString();
  const prev = pod.status?.conditions;
  const allReady = r.ready && r.phase === 'Running';
  return {
    phase: r.phase as PodStatus['phase'],
    reason: clip(r.reason) || undefined,
    message: clip(r.message) || undefined,
    hostIP,
    podIP: r.pod_ip || undefined,
    startTime: r.start_time || pod.status?.startTime,
    conditions: [
      condition('PodScheduled', true, prev, now),
      condition('Initialized', !r.initializing, prev, now, 'ContainersNotInitialized'),
      condition('ContainersReady', allReady, prev, now),
      condition('Ready', allReady, prev, now),
    ],
    // Only pods with init containers carry their statuses (kubectl's shape).
    ...(pod.spec.initContainers?.length ? { initContainerStatuses: (r.init_containers ?? []).map(containerStatus) } : {}),
    containerStatuses: r.containers.map(containerStatus),
  };
}

/** Status equality that ignores transition timestamps, so unchanged reports cause no write. */
export function sameStatus(a: PodStatus | undefined, b: PodStatus): boolean {
  if (!a) return false;
  const strip = (s: PodStatus) => JSON.stringify({ ...s, conditions: s.conditions?.map((c) => [c.type, c.status]) });
  return strip(a) === strip(b);
}
