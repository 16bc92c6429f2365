// Required inter-pod affinity (kube-scheduler's InterPodAffinity filter): the pod goes only into a
// topology domain holding, for each of its terms, a pod the term selects. The first pod of a group
// that selects itself may go anywhere (no pod matches yet, so nothing could ever be first).
import type { PodInfo } from '../pod-info';
import { termSignature } from '../pod-match-index';
import { DomainTally, termMatches } from '../pod-topology';
import { ClusterSnapshot } from '../snapshot';
import type { Filter, NodeCheck, Rejection } from './filter';
import { addDomains } from './inter-pod-anti-affinity';

const NAME = 'InterPodAffinity';
const MISMATCH: Rejection = { filter: NAME, reason: "node(s) didn't match pod affinity rules" };

export const interPodAffinityFilter: Filter = {
  name: NAME,
  podFields: ['namespace', 'labels', 'topology'],
  // A matching pod bound somewhere; pods leaving can make the pod the first of its group again.
  requeueOn: ['pods-bound', 'pods-freed', 'labels', 'added'],
  appliesTo: (pod) => (pod.topology?.requiredAffinity.length ?? 0) > 0,
  /** Without a snapshot: judged against this node's pods alone. */
  check: (pod, node) => affinityCheck(pod, new ClusterSnapshot([node]))(pod, node),
  prepare: affinityCheck,
};

function affinityCheck(pod: PodInfo, snapshot: ClusterSnapshot): NodeCheck {
  const terms = pod.topology!.requiredAffinity;
  const nsLabels = () => snapshot.namespaceLabels;
  // As Kubernetes: a pod counts for the domains only when it matches every term.
  const signature = `all|${terms.map(termSignature).join('&')}`;
  const selected = snapshot.podIndex.matching(signature, (p) => terms.every((t) => termMatches(t, p, nsLabels())));
  const domains = new DomainTally();
  for (const t of terms) addDomains(domains, t.topologyKey, selected);
  const firstOfItsGroup = domains.size === 0 && terms.every((t) => termMatches(t, pod, nsLabels()));
  return (_pod, node) => {
    for (const t of terms) {
      const value = node.labels[t.topologyKey];
      // A node without the key is in no domain; even the first pod needs one.
      if (value === undefined) return MISMATCH;
      if (!firstOfItsGroup && domains.get(t.topologyKey, value) === 0) return MISMATCH;
    }
    return null;
  };
}
