// The contract every feasibility rule implements: one rule per file in this folder. Besides the
// check itself, a rule declares what it reads from the pod and which cluster changes can undo its
// rejections; the scheduler derives its equivalence cache key and the loop its re-queueing from
// these declarations, so adding a rule means adding a file and listing it in index.ts.
import type { ClusterChange } from '../cluster-change';
import type { NodeInfo } from '../node-info';
import type { PodInfo } from '../pod-info';
import type { ClusterSnapshot } from '../snapshot';

export interface Rejection {
  /** Name of the filter that rejected the node. */
  filter: string;
  /** Short text for the summary, e.g. "Insufficient memory"; identical reasons are counted together. */
  reason: string;
  /** True when no change to the pods on this node could make it fit (only a change to the node
   *  itself can): callers then wait for a node event instead of retrying on a timer. */
  unresolvable?: boolean;
}

/** The pod facts a filter may read; `pod` and `key` are left out so that no rule reads the raw pod. */
export type PodField = Exclude<keyof PodInfo, 'pod' | 'key'>;

/** A node check for one pod. */
export type NodeCheck = (pod: PodInfo, node: NodeInfo) => Rejection | null;

export interface Filter {
  readonly name: string;
  /** Every pod fact appliesTo and check read. Pods equal in the fields of all filters fit the same
   *  nodes, so within a batch the scheduler reuses one's failure for the others. */
  readonly podFields: readonly PodField[];
  /** The changes that can make a node this filter rejected accept the pod ('pods-freed' is
   *  ignored for rejections marked unresolvable). A pod parked as unschedulable is re-queued
   *  when one of the changes awaited by the filters that rejected it happens. */
  readonly requeueOn: readonly ClusterChange[];
  /** Whether the rule has anything to check for this pod; evaluated once per pod, not per node.
   *  Rules about other pods may also look at the snapshot (e.g. whether any pod has terms at all). */
  appliesTo(pod: PodInfo, snapshot?: ClusterSnapshot): boolean;
  /** null when the node passes. Must be cheap and allocation-free on the passing path. */
  check(pod: PodInfo, node: NodeInfo): Rejection | null;
  /** For rules about other pods' topology domains (inter-pod affinity, topology spread): gathers the
   *  pod's facts from the whole snapshot once per pod, as kube-scheduler's PreFilter, and returns
   *  the node check bound to them, used instead of `check` for this pod. */
  prepare?(pod: PodInfo, snapshot: ClusterSnapshot): NodeCheck;
}
