// Facts about a pod that the controller, the agent and the CLI all need, written once.
import type { Pod } from './types';

/** Succeeded or Failed: the pod will not run again. */
export function isPodTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Marked for deletion (Terminating): no longer counted as a live replica by its owner. */
export function isBeingDeleted(obj: { metadata: { deletionTimestamp?: string } }): boolean {
  return !!obj.metadata.deletionTimestamp;
}
