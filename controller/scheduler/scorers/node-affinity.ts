// Preferred node affinity: a node earns the weights of the preference terms it matches;
// the best candidate scores 100.
import { matchesTerm } from '../filters/node-selector';
import type { Scorer } from './scorer';
import { normalizeToMax } from './scorer';

export const nodeAffinityScorer: Scorer = {
  name: 'NodeAffinity',
  weight: 2,
  appliesTo: (pod) => pod.preferredTerms.length > 0,
  score: (pod, node) => {
    let sum = 0;
    for (const p of pod.preferredTerms) if (matchesTerm(p.term, node)) sum += p.weight;
    return sum;
  },
  normalize: (scores, count) => normalizeToMax(scores, count, false),
};
