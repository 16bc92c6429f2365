// The default filter chain, in evaluation order. A node is rejected by the first filter that
// fails, so the order decides both cost and the reason users read:
//  1. node-state checks (ready, cordoned, named node) are O(1) and the most fundamental reason
//     (a NotReady node should say "not ready", not "Insufficient memory");
//  2. taints and affinity depend only on node labels/taints, which pods never change, so their
//     rejections are unresolvable and reported before capacity;
//  3. host ports and pod count are cheap capacity checks;
//  4. resources last: the most common rejection in a busy cluster, and it reads the running sums.
// A new rule is one file implementing Filter, declaring the pod facts it reads (podFields: the
// equivalence key) and the cluster changes that can undo its rejections (requeueOn: when parked
// pods are retried), listed here; nothing else needs editing.
import type { Filter } from './filter';
import { hostPortsFilter } from './host-ports';
import { interPodAffinityFilter } from './inter-pod-affinity';
import { interPodAntiAffinityFilter } from './inter-pod-anti-affinity';
import { nodeNameFilter } from './node-name';
import { nodeReadyFilter } from './node-ready';
import { nodeSelectorFilter } from './node-selector';
import { podCountFilter } from './pod-count';
import { resourcesFilter } from './resources';
import { taintTolerationFilter } from './taint-toleration';
import { topologySpreadFilter } from './topology-spread';
import { unschedulableFilter } from './unschedulable';
import { type ClaimVolumes, volumeBindingFilter } from './volume-binding';

export type { Filter, NodeCheck, Rejection } from './filter';
export { interPodAffinityFilter, interPodAntiAffinityFilter, topologySpreadFilter };
export { hostPortsFilter, nodeNameFilter, nodeReadyFilter, nodeSelectorFilter, podCountFilter, resourcesFilter, taintTolerationFilter, unschedulableFilter, volumeBindingFilter };
export type { ClaimVolumes } from './volume-binding';
export { matchesAnyTerm, matchesRequirement, matchesTerm, type SelectableNode } from './node-selector';
export { tolerates, toleratesAny } from '../../../common/api/toleration';

export const DEFAULT_FILTERS: readonly Filter[] = [
  nodeReadyFilter,
  unschedulableFilter,
  nodeNameFilter,
  taintTolerationFilter,
  nodeSelectorFilter,
  hostPortsFilter,
  podCountFilter,
  resourcesFilter,
  // 5. rules about other pods last: they gather their domains from the whole snapshot once per
  //    pod (prepare) and apply only to pods with such rules (or, for anti-affinity, when some
  //    placed pod has terms).
  topologySpreadFilter,
  interPodAffinityFilter,
  interPodAntiAffinityFilter,
];

/** The default chain with the volume rule (it needs the cluster's claims), after node affinity as in kube-scheduler. */
export function filtersWithVolumes(volumes: ClaimVolumes): Filter[] {
  const chain = [...DEFAULT_FILTERS];
  chain.splice(chain.indexOf(nodeSelectorFilter) + 1, 0, volumeBindingFilter(volumes));
  return chain;
}
