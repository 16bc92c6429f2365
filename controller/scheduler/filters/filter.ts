// The contract every feasibility rule implements: one rule per file in this folder.
import type { NodeInfo } from '../node-info';
import type { PodInfo } from '../pod-info';

export interface Rejection {
  /** Name of the filter that rejected the node. */
  filter: string;
  /** Short text for the summary, e.g. "Insufficient memory"; identical reasons are counted together. */
  reason: string;
  /** True when no change to the pods on this node could make it fit (only a change to the node
   *  itself can): callers then wait for a node event instead of retrying on a timer. */
  unresolvable?: boolean;
}

export interface Filter {
  readonly name: string;
  /** Whether the rule has anything to check for this pod; evaluated once per pod, not per node. */
  appliesTo(pod: PodInfo): boolean;
  /** null when the node passes. Must be cheap and allocation-free on the passing path. */
  check(pod: PodInfo, node: NodeInfo): Rejection | null;
}
