// Required inter-pod anti-affinity, both ways (kube-scheduler's InterPodAffinity filter): the pod
// is kept out of a topology domain (the nodes sharing the value of a term's topologyKey) that holds
// a pod its required anti-affinity terms select, and out of a domain where an existing pod's
// required anti-affinity selects it. Counts come from the snapshot, which includes the pods
// assumed earlier in the batch, so replicas spread as they are placed.
import type { NodeInfo } from '../node-info';
import type { PodInfo } from '../pod-info';
import { DomainTally, termMatches, type AffinityTerm } from '../pod-topology';
import type { ClusterSnapshot } from '../snapshot';
import type { Filter, NodeCheck, Rejection } from './filter';

const NAME = 'InterPodAntiAffinity';
// Resolvable: the pods in the way may go away.
const OWN: Rejection = { filter: NAME, reason: "node(s) didn't match pod anti-affinity rules" };
const EXISTING: Rejection = { filter: NAME, reason: "node(s) didn't satisfy existing pods anti-affinity rules" };

const NO_TERMS: readonly AffinityTerm[] = [];

export const interPodAntiAffinityFilter: Filter = {
  name: NAME,
  podFields: ['namespace', 'labels', 'topology'],
  // Pods leaving empty a domain; a relabelled or new node is another domain.
  requeueOn: ['pods-freed', 'labels', 'added'],
  appliesTo: (pod, snapshot) => (pod.topology?.requiredAntiAffinity.length ?? 0) > 0 || (snapshot?.podsWithAffinity ?? 0) > 0,
  check: (pod, node) => antiAffinityCheck(pod, [node], undefined)(pod, node),
  prepare: (pod, snapshot) => antiAffinityCheck(pod, snapshot.nodes, snapshot),
};

/** The per-node check for the pod, with the domains it must avoid counted over `nodes`. */
function antiAffinityCheck(pod: PodInfo, nodes: readonly NodeInfo[], snapshot: ClusterSnapshot | undefined): NodeCheck {
  const own = pod.topology?.requiredAntiAffinity ?? NO_TERMS;
  const nsLabels = snapshot?.namespaceLabels;
  // Domains holding a pod one of our terms selects, per term (by term index).
  const ownDomains = own.map(() => new Set<string>());
  // Domains where an existing pod's required anti-affinity term selects us.
  const existingDomains = new DomainTally();
  for (const node of nodes) {
    if (own.length > 0) {
      for (let t = 0; t < own.length; t++) {
        const term = own[t]!;
        const value = node.labels[term.topologyKey];
        if (value === undefined || ownDomains[t]!.has(value)) continue;
        for (const other of node.pods.values()) {
          if (other.key !== pod.key && termMatches(term, other, nsLabels)) {
            ownDomains[t]!.add(value);
            break;
          }
        }
      }
    }
    for (const other of node.podsWithAffinity) {
      if (other.key === pod.key) continue;
      for (const term of other.topology!.requiredAntiAffinity) {
        const value = node.labels[term.topologyKey];
        if (value !== undefined && termMatches(term, pod, nsLabels)) existingDomains.add(term.topologyKey, value, 1);
      }
    }
  }
  const anyExisting = existingDomains.size > 0;
  return (_pod, node) => {
    for (let t = 0; t < own.length; t++) {
      const value = node.labels[own[t]!.topologyKey];
      if (value !== undefined && ownDomains[t]!.has(value)) return OWN;
    }
    return anyExisting && existingDomains.holdsAny(node.labels) ? EXISTING : null;
  };
}
