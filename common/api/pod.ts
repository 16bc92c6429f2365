// Facts about a pod that the controller, the agent and the CLI all need, written once.
import type { Condition, Pod, PodPhase } from './types';

/** Every phase a pod may be in, in lifecycle order. */
export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const satisfies readonly PodPhase[];

export function isPodPhase(v: unknown): v is PodPhase {
  return (POD_PHASES as readonly unknown[]).includes(v);
}

/** Succeeded or Failed: a pod in this phase will not run again. */
export function isTerminalPhase(phase: string | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Succeeded or Failed: the pod will not run again. */
export function isPodTerminal(pod: Pod): boolean {
  return isTerminalPhase(pod.status?.phase);
}

/** Marked for deletion (Terminating): no longer counted as a live replica by its owner. */
export function isBeingDeleted(obj: { metadata: { deletionTimestamp?: string } }): boolean {
  return !!obj.metadata.deletionTimestamp;
}

/** The pod's Ready condition, if it has one. */
export function podReadyCondition(pod: Pod): Condition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/**
 * The pod's Ready condition is True, whatever its phase or deletion; owners that count replicas
 * also want the pod live (controller/workloads/pods.ts isPodReady).
 */
export function hasReadyCondition(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}
