// Preferred inter-pod affinity and anti-affinity (kube-scheduler's InterPodAffinity score): each
// topology domain earns the weight of every preferred affinity term of the pod for each pod in it
// the term selects, and loses the weight of every preferred anti-affinity term likewise;
// symmetrically, placed pods' preferred terms (and their required affinity, with weight 1) that
// select the pod add to or take from their own domains. A node scores its domains' sum, rescaled
// min..max to 0..100.
import { addDomains } from '../filters/inter-pod-anti-affinity';
import type { PodInfo } from '../pod-info';
import { termSignature } from '../pod-match-index';
import { DomainTally, termMatches } from '../pod-topology';
import { ClusterSnapshot } from '../snapshot';
import { MAX_SCORE, type NodeScore, type Scorer } from './scorer';

/** What a placed pod's required affinity term is worth to a pod it selects (hardPodAffinityWeight). */
const REQUIRED_AFFINITY_WEIGHT = 1;

export const interPodAffinityScorer: Scorer = {
  name: 'InterPodAffinity',
  weight: 2,
  appliesTo: (pod, snapshot) => hasPreferredTerms(pod) || (snapshot?.podsWithAffinity ?? 0) > 0,
  /** Without a snapshot: judged against this node's pods alone. */
  score: (pod, node) => affinityScore(pod, new ClusterSnapshot([node]))(pod, node),
  prepare: affinityScore,
  normalize: normalizeMinMax,
};

function hasPreferredTerms(pod: PodInfo): boolean {
  const t = pod.topology;
  return t !== undefined && t.preferredAffinity.length + t.preferredAntiAffinity.length > 0;
}

function affinityScore(pod: PodInfo, snapshot: ClusterSnapshot): NodeScore {
  const nsLabels = () => snapshot.namespaceLabels;
  const tally = new DomainTally();
  const index = snapshot.podIndex;
  const rules = pod.topology;
  if (rules !== undefined) {
    for (const [terms, sign] of [[rules.preferredAffinity, 1], [rules.preferredAntiAffinity, -1]] as const) {
      for (const { weight, term } of terms) {
        const selected = index.matching(`term|${termSignature(term)}`, (p) => termMatches(term, p, nsLabels()));
        addDomains(tally, term.topologyKey, selected, sign * weight);
      }
    }
  }
  for (const g of index.placedTerms()) {
    if (g.kind === 'requiredAntiAffinity' || !termMatches(g.term, pod, nsLabels())) continue;
    const weight = g.kind === 'requiredAffinity' ? REQUIRED_AFFINITY_WEIGHT : g.kind === 'preferredAffinity' ? g.weight : -g.weight;
    addDomains(tally, g.term.topologyKey, g.perNode, weight);
  }
  const keys: string[] = [];
  tally.forEachKey((key) => keys.push(key));
  return (_pod, node) => {
    let sum = 0;
    for (const key of keys) {
      const value = node.labels[key];
      if (value !== undefined) sum += tally.get(key, value);
    }
    return sum;
  };
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
