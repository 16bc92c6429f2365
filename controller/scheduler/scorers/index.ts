import { balancedAllocationScorer } from './balanced-allocation';
import { interPodAffinityScorer } from './inter-pod-affinity';
import { leastAllocatedScorer } from './least-allocated';
import { nodeAffinityScorer } from './node-affinity';
import type { Scorer } from './scorer';
import { spreadScorer } from './spread';
import { taintPreferenceScorer } from './taint-preference';
import { topologySpreadScorer } from './topology-spread';

export type { Scorer } from './scorer';
export { MAX_SCORE, normalizeToMax } from './scorer';
export { interPodAffinityScorer, topologySpreadScorer };
export { balancedAllocationScorer, leastAllocatedScorer, nodeAffinityScorer, spreadScorer, taintPreferenceScorer };

export const DEFAULT_SCORERS: readonly Scorer[] = [
  spreadScorer,
  leastAllocatedScorer,
  balancedAllocationScorer,
  nodeAffinityScorer,
  taintPreferenceScorer,
  interPodAffinityScorer,
  topologySpreadScorer,
];
