// The one answer to "is this node Ready?", shared by the controller, the scheduler, the CLI and scripts.
import type { Condition, Node } from './types';

/** The node's Ready condition, if it has one. */
export function nodeReadyCondition(node: Node): Condition | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready');
}

/**
 * Whether the node's Ready condition is True. A node without one (just created, or written by
 * hand) is NOT ready, as in Kubernetes: nothing has vouched for it yet.
 */
export function isNodeReady(node: Node): boolean {
  return nodeReadyCondition(node)?.status === 'True';
}
