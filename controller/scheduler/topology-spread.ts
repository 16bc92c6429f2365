// Matching pods per topology domain for a pod's spread constraints (kube-scheduler's
// PodTopologySpread PreFilter/PreScore): the domains are the values of each constraint's
// topologyKey on the eligible nodes (those carrying every key of the constraints, and matching the
// pod's node affinity and tolerating taints when the policies say Honor), each counted even when
// empty, with the pods in the pod's namespace the constraint's selector matches.
import { taintTolerationFilter } from './filters/taint-toleration';
import { nodeSelectorFilter } from './filters/node-selector';
import type { NodeInfo } from './node-info';
import type { PodInfo } from './pod-info';
import type { SpreadConstraint } from './pod-topology';

export interface SpreadCounts {
  /** Per constraint (same order): matching pods per domain value. */
  readonly perDomain: readonly Map<string, number>[];
}

/** Whether the node holds a label for every constraint's topologyKey. */
export function hasAllKeys(node: NodeInfo, constraints: readonly SpreadConstraint[]): boolean {
  for (const c of constraints) if (node.labels[c.topologyKey] === undefined) return false;
  return true;
}

/** Whether the node is a domain for the constraint under its node affinity and taint policies. */
export function isEligible(pod: PodInfo, node: NodeInfo, c: SpreadConstraint): boolean {
  if (c.honorNodeAffinity && nodeSelectorFilter.appliesTo(pod) && nodeSelectorFilter.check(pod, node) !== null) return false;
  if (c.honorNodeTaints && taintTolerationFilter.check(pod, node) !== null) return false;
  return true;
}

/** Pods on the node counted by the constraint: same namespace as the pod, selected, not being deleted. */
export function matchingOn(pod: PodInfo, node: NodeInfo, c: SpreadConstraint): number {
  if (c.selector === null) return 0;
  let n = 0;
  for (const other of node.pods.values()) {
    if (other.key !== pod.key && !other.terminating && other.namespace === pod.namespace && c.selector.matches(other.labels)) n++;
  }
  return n;
}

/** Counts over `nodes` for the constraints. */
export function countSpread(pod: PodInfo, nodes: readonly NodeInfo[], constraints: readonly SpreadConstraint[]): SpreadCounts {
  const perDomain = constraints.map(() => new Map<string, number>());
  for (const node of nodes) {
    if (!hasAllKeys(node, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]!;
      if (!isEligible(pod, node, c)) continue;
      const value = node.labels[c.topologyKey]!;
      perDomain[i]!.set(value, (perDomain[i]!.get(value) ?? 0) + matchingOn(pod, node, c));
    }
  }
  return { perDomain };
}

/** Whether the pod itself would count for the constraint (it is placed in its own namespace). */
export function selfMatches(pod: PodInfo, c: SpreadConstraint): boolean {
  return c.selector !== null && c.selector.matches(pod.labels);
}
