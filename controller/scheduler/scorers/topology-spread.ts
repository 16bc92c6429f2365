// topologySpreadConstraints with whenUnsatisfiable: ScheduleAnyway (kube-scheduler's
// PodTopologySpread score): a node scores, per constraint, the matching pods in its domain times
// log(domains + 2) (so a constraint over many small domains weighs more) plus maxSkew - 1; fewer is
// better, rescaled so the best candidate scores 100. Nodes missing a constraint's key score 0.
import type { PodInfo } from '../pod-info';
import { ClusterSnapshot } from '../snapshot';
import { countSpread, hasAllKeys } from '../topology-spread';
import { MAX_SCORE, type NodeScore, type Scorer } from './scorer';

/** Raw score of a node outside the constraints' domains. */
const IGNORED = -1;

export const topologySpreadScorer: Scorer = {
  name: 'PodTopologySpread',
  weight: 2,
  appliesTo: (pod) => (pod.topology?.softSpread.length ?? 0) > 0,
  /** Without a snapshot: judged against this node alone. */
  score: (pod, node) => spreadScore(pod, new ClusterSnapshot([node]))(pod, node),
  prepare: spreadScore,
  normalize: (scores, count) => {
    let min = Infinity;
    let max = 0;
    for (let i = 0; i < count; i++) {
      const s = scores[i]!;
      if (s === IGNORED) continue;
      if (s < min) min = s;
      if (s > max) max = s;
    }
    for (let i = 0; i < count; i++) {
      const s = scores[i]!;
      if (s === IGNORED) scores[i] = 0;
      else scores[i] = max === 0 ? MAX_SCORE : (MAX_SCORE * (max + min - s)) / max;
    }
  },
};

function spreadScore(pod: PodInfo, snapshot: ClusterSnapshot): NodeScore {
  const constraints = pod.topology!.softSpread;
  const { perDomain } = countSpread(pod, snapshot, constraints);
  const weights = perDomain.map((domains) => Math.log(domains.size + 2));
  return (_pod, node) => {
    if (!hasAllKeys(node, constraints)) return IGNORED;
    let sum = 0;
    for (let i = 0; i < constraints.length; i++) {
      const value = node.labels[constraints[i]!.topologyKey]!;
      sum += (perDomain[i]!.get(value) ?? 0) * weights[i]! + (constraints[i]!.maxSkew - 1);
    }
    return sum;
  };
}
