// Preferred inter-pod affinity and anti-affinity (kube-scheduler's InterPodAffinity score): each
// topology domain earns the weight of every preferred affinity term of the pod that selects a pod
// in it and loses the weight of every preferred anti-affinity term that does; symmetrically, an
// existing pod's preferred terms (and its required affinity, with weight 1) that select the pod
// add to or take from its own domain. A node scores its domains' sum, rescaled min..max to 0..100.
import type { NodeInfo } from '../node-info';
import type { PodInfo } from '../pod-info';
import { DomainTally, termMatches, type NamespaceLabels, type WeightedAffinityTerm } from '../pod-topology';
import type { ClusterSnapshot } from '../snapshot';
import { MAX_SCORE, type NodeScore, type Scorer } from './scorer';

/** What an existing pod's required affinity term is worth to a pod it selects (hardPodAffinityWeight). */
const REQUIRED_AFFINITY_WEIGHT = 1;

export const interPodAffinityScorer: Scorer = {
  name: 'InterPodAffinity',
  weight: 2,
  appliesTo: (pod, snapshot) => hasPreferredTerms(pod) || (snapshot?.podsWithAffinity ?? 0) > 0,
  score: (pod, node) => affinityScore(pod, [node], undefined)(pod, node),
  prepare: (pod, snapshot) => affinityScore(pod, snapshot.nodes, snapshot),
  normalize: normalizeMinMax,
};

function hasPreferredTerms(pod: PodInfo): boolean {
  const t = pod.topology;
  return t !== undefined && t.preferredAffinity.length + t.preferredAntiAffinity.length > 0;
}

function affinityScore(pod: PodInfo, nodes: readonly NodeInfo[], snapshot: ClusterSnapshot | undefined): NodeScore {
  const nsLabels = snapshot?.namespaceLabels;
  const tally = new DomainTally();
  const own = hasPreferredTerms(pod);
  for (const node of nodes) {
    // Without preferred terms of its own, only the pods with terms can move the pod's score.
    const others = own ? node.pods.values() : node.podsWithAffinity;
    for (const other of others) {
      if (other.key === pod.key) continue;
      if (own) {
        addTerms(tally, pod.topology!.preferredAffinity, other, node, 1, nsLabels);
        addTerms(tally, pod.topology!.preferredAntiAffinity, other, node, -1, nsLabels);
      }
      const theirs = other.topology;
      if (theirs === undefined || !theirs.hasAffinity) continue;
      for (const term of theirs.requiredAffinity) {
        const value = node.labels[term.topologyKey];
        if (value !== undefined && termMatches(term, pod, nsLabels)) tally.add(term.topologyKey, value, REQUIRED_AFFINITY_WEIGHT);
      }
      addTerms(tally, theirs.preferredAffinity, pod, node, 1, nsLabels);
      addTerms(tally, theirs.preferredAntiAffinity, pod, node, -1, nsLabels);
    }
  }
  return (_pod, node) => {
    let sum = 0;
    tally.forEachKey((key, values) => {
      const value = node.labels[key];
      if (value !== undefined) sum += values.get(value) ?? 0;
    });
    return sum;
  };
}

/** Adds sign × weight to `node`'s domain for each term selecting `target`. */
function addTerms(tally: DomainTally, terms: readonly WeightedAffinityTerm[], target: PodInfo, node: NodeInfo, sign: 1 | -1, nsLabels: NamespaceLabels | undefined): void {
  for (const { weight, term } of terms) {
    const value = node.labels[term.topologyKey];
    if (value !== undefined && termMatches(term, target, nsLabels)) tally.add(term.topologyKey, value, sign * weight);
  }
}

/** Lowest raw score maps to 0, highest to 100; all equal maps to 0 (kube-scheduler's NormalizeScore). */
export function normalizeMinMax(scores: Float64Array, count: number): void {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    if (scores[i]! < min) min = scores[i]!;
    if (scores[i]! > max) max = scores[i]!;
  }
  const range = max - min;
  for (let i = 0; i < count; i++) scores[i] = range > 0 ? (MAX_SCORE * (scores[i]! - min)) / range : 0;
}
