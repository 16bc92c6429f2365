// Scheduling gates (Kubernetes' pod.spec.schedulingGates): a pod created with gates is not
// scheduled until every gate has been removed. Facts the scheduler, the controllers and the
// printers share.
import type { Condition, Pod } from './types';

/** The PodScheduled reason (and kubectl STATUS) of a pod held back by its gates. */
export const SCHEDULING_GATED = 'SchedulingGated';

/** The condition Kubernetes gives a gated pod at creation. */
export function schedulingGatedCondition(at: string): Condition {
  return { type: 'PodScheduled', status: 'False', reason: SCHEDULING_GATED, message: 'Scheduling is blocked due to non-empty scheduling gates', lastTransitionTime: at };
}

/** The pod still has a gate: the scheduler must leave it alone. */
export function isSchedulingGated(pod: Pod): boolean {
  return (pod.spec.schedulingGates?.length ?? 0) > 0;
}

export function hasSchedulingGate(pod: Pod, name: string): boolean {
  return pod.spec.schedulingGates?.some((g) => g.name === name) ?? false;
}

/** A copy of the pod without the gate (and without the field once no gate is left, as Kubernetes prints it). */
export function withoutSchedulingGate(pod: Pod, name: string): Pod {
  const { schedulingGates, ...rest } = pod.spec;
  const left = (schedulingGates ?? []).filter((g) => g.name !== name);
  return { ...pod, spec: left.length ? { ...rest, schedulingGates: left } : rest };
}

/**
 * kubectl shows SchedulingGated for an unbound pod whose PodScheduled condition says so; we also
 * show it for a gated pod whose condition the scheduler has not written yet.
 */
export function showsSchedulingGated(pod: Pod): boolean {
  if (pod.spec.nodeName) return false;
  return isSchedulingGated(pod) || (pod.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === SCHEDULING_GATED) ?? false);
}
