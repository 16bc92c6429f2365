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
import type { ClusterSnapshot } from './snapshot';

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

/** Placed pods the constraint counts, per node: in the pod's namespace, selected, not being deleted. */
function counted(pod: PodInfo, c: SpreadConstraint, snapshot: ClusterSnapshot): ReadonlyMap<NodeInfo, number> {
  const selector = c.selector;
  if (selector === null) return NONE;
  const ns = pod.namespace;
  return snapshot.podIndex.matching(`spread|${ns}|${selector.toString()}`, (p) => !p.terminating && p.namespace === ns && selector.matches(p.labels));
}
const NONE: ReadonlyMap<NodeInfo, number> = new Map();

/** Counts over the snapshot's nodes for the constraints. */
export function countSpread(pod: PodInfo, snapshot: ClusterSnapshot, constraints: readonly SpreadConstraint[]): SpreadCounts {
  const perDomain = constraints.map(() => new Map<string, number>());
  const perNode = constraints.map((c) => counted(pod, c, snapshot));
  for (const node of snapshot.nodes) {
    if (!hasAllKeys(node, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]!;
      if (!isEligible(pod, node, c)) continue;
      const value = node.labels[c.topologyKey]!;
      perDomain[i]!.set(value, (perDomain[i]!.get(value) ?? 0) + (perNode[i]!.get(node) ?? 0));
    }
  }
  return { perDomain };
}

/** Whether the pod itself would count for the constraint (it is placed in its own namespace). */
export function selfMatches(pod: PodInfo, c: SpreadConstraint): boolean {
  return c.selector !== null && c.selector.matches(pod.labels);
}
