// topologySpreadConstraints with whenUnsatisfiable: DoNotSchedule (kube-scheduler's
// PodTopologySpread filter): placing the pod in a node's domain must keep
//   skew = matching pods in that domain + (1 if the pod matches itself) - global minimum
// at most maxSkew, the minimum taken over the eligible domains (0 while there are fewer than
// minDomains of them). Counts include the pods assumed earlier in the batch.
import type { PodInfo } from '../pod-info';
import { ClusterSnapshot } from '../snapshot';
import { countSpread, selfMatches } from '../topology-spread';
import type { Filter, NodeCheck, Rejection } from './filter';

const NAME = 'PodTopologySpread';
const SKEW: Rejection = { filter: NAME, reason: "node(s) didn't match pod topology spread constraints" };
// Only relabelling the node can put it in a domain.
const MISSING_LABEL: Rejection = { filter: NAME, reason: "node(s) didn't match pod topology spread constraints (missing required label)", unresolvable: true };

export const topologySpreadFilter: Filter = {
  name: NAME,
  podFields: ['namespace', 'labels', 'topology', 'nodeSelector', 'requiredTerms', 'tolerations'],
  // Pods leaving a crowded domain or joining the emptiest one; relabelled or new nodes change the domains.
  requeueOn: ['pods-freed', 'pods-bound', 'labels', 'taints', 'added'],
  appliesTo: (pod) => (pod.topology?.hardSpread.length ?? 0) > 0,
  /** Without a snapshot: judged against this node alone. */
  check: (pod, node) => spreadCheck(pod, new ClusterSnapshot([node]))(pod, node),
  prepare: spreadCheck,
};

function spreadCheck(pod: PodInfo, snapshot: ClusterSnapshot): NodeCheck {
  const constraints = pod.topology!.hardSpread;
  const { perDomain } = countSpread(pod, snapshot, constraints);
  const minimum = constraints.map((c, i) => {
    const counts = perDomain[i]!;
    if (counts.size < c.minDomains) return 0;
    let min = Infinity;
    for (const n of counts.values()) if (n < min) min = n;
    return min === Infinity ? 0 : min;
  });
  const self = constraints.map((c) => (selfMatches(pod, c) ? 1 : 0));
  return (_pod, node) => {
    for (let i = 0; i < constraints.length; i++) {
      const value = node.labels[constraints[i]!.topologyKey];
      if (value === undefined) return MISSING_LABEL;
      const skew = (perDomain[i]!.get(value) ?? 0) + self[i]! - minimum[i]!;
      if (skew > constraints[i]!.maxSkew) return SKEW;
    }
    return null;
  };
}
