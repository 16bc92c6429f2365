// Replicas of one workload prefer nodes holding fewer of them, so losing a node loses few replicas.
// Raw score = replicas already on the node; normalized so the emptiest candidate scores 100.
import type { Scorer } from './scorer';
import { normalizeToMax } from './scorer';

export const spreadScorer: Scorer = {
  name: 'Spread',
  weight: 2,
  appliesTo: (pod) => pod.spreadKey !== undefined,
  score: (pod, node) => node.countOf(pod.spreadKey!),
  normalize: (scores, count) => normalizeToMax(scores, count, true),
};
