// Required inter-pod anti-affinity, both ways (kube-scheduler's InterPodAffinity filter): the pod
// is kept out of a topology domain (the nodes sharing the value of a term's topologyKey) that holds
// a pod its required anti-affinity terms select, and out of a domain where an existing pod's
// required anti-affinity selects it. Counts come from the snapshot's index, which includes the
// pods assumed earlier in the batch, so replicas spread as they are placed.
import type { NodeInfo } from '../node-info';
import type { PodInfo } from '../pod-info';
import { termSignature } from '../pod-match-index';
import { DomainTally, termMatches } from '../pod-topology';
import { ClusterSnapshot } from '../snapshot';
import type { Filter, NodeCheck, Rejection } from './filter';

const NAME = 'InterPodAntiAffinity';
// Resolvable: the pods in the way may go away.
const OWN: Rejection = { filter: NAME, reason: "node(s) didn't match pod anti-affinity rules" };
const EXISTING: Rejection = { filter: NAME, reason: "node(s) didn't satisfy existing pods anti-affinity rules" };

export const interPodAntiAffinityFilter: Filter = {
  name: NAME,
  podFields: ['namespace', 'labels', 'topology'],
  // Pods leaving empty a domain; a relabelled or new node is another domain.
  requeueOn: ['pods-freed', 'labels', 'added'],
  appliesTo: (pod, snapshot) => (pod.topology?.requiredAntiAffinity.length ?? 0) > 0 || (snapshot?.podsWithAffinity ?? 0) > 0,
  /** Without a snapshot: judged against this node's pods alone. */
  check: (pod, node) => antiAffinityCheck(pod, new ClusterSnapshot([node]))(pod, node),
  prepare: antiAffinityCheck,
};

function antiAffinityCheck(pod: PodInfo, snapshot: ClusterSnapshot): NodeCheck {
  const nsLabels = () => snapshot.namespaceLabels;
  // Domains holding a pod our terms select.
  const own = new DomainTally();
  for (const term of pod.topology?.requiredAntiAffinity ?? []) {
    const selected = snapshot.podIndex.matching(`term|${termSignature(term)}`, (p) => termMatches(term, p, nsLabels()));
    addDomains(own, term.topologyKey, selected);
  }
  // Domains where a placed pod's required anti-affinity selects us.
  const existing = new DomainTally();
  for (const g of snapshot.podIndex.placedTerms()) {
    if (g.kind === 'requiredAntiAffinity' && termMatches(g.term, pod, nsLabels())) addDomains(existing, g.term.topologyKey, g.perNode);
  }
  const anyOwn = own.size > 0;
  const anyExisting = existing.size > 0;
  return (_pod, node) => {
    if (anyOwn && own.holdsAny(node.labels)) return OWN;
    if (anyExisting && existing.holdsAny(node.labels)) return EXISTING;
    return null;
  };
}

/** Marks the domains (for topologyKey) of the nodes in `perNode`. */
export function addDomains(tally: DomainTally, topologyKey: string, perNode: ReadonlyMap<NodeInfo, number>, weight = 1): void {
  for (const [node, n] of perNode) {
    const value = node.labels[topologyKey];
    if (value !== undefined) tally.add(topologyKey, value, n * weight);
  }
}
