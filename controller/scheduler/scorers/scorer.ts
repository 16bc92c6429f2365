// The contract every ranking rule implements: one rule per file in this folder.
import type { NodeInfo } from '../node-info';
import type { PodInfo } from '../pod-info';
import type { ClusterSnapshot } from '../snapshot';

/** A node's raw score for one pod. */
export type NodeScore = (pod: PodInfo, node: NodeInfo) => number;

export const MAX_SCORE = 100;

export interface Scorer {
  readonly name: string;
  /** Multiplies this scorer's 0..100 score in the node's total. */
  readonly weight: number;
  /** Whether the rule ranks this pod at all; evaluated once per pod. */
  appliesTo(pod: PodInfo, snapshot?: ClusterSnapshot): boolean;
  /** The node's raw score: 0..MAX_SCORE, or any number when `normalize` is provided. */
  score(pod: PodInfo, node: NodeInfo): number;
  /** For rules about other pods' topology domains: gathers the pod's facts from the whole snapshot
   *  once (kube-scheduler's PreScore) and returns the node score bound to them, used instead of `score`. */
  prepare?(pod: PodInfo, snapshot: ClusterSnapshot): NodeScore;
  /** Rescales the raw scores of the `count` candidate nodes, in place, to 0..MAX_SCORE
   *  (for rules that are relative, e.g. "fewest replicas among the candidates"). */
  normalize?(scores: Float64Array, count: number): void;
}

/** Highest raw score maps to MAX_SCORE, zero to zero (Kubernetes' DefaultNormalizeScore). */
export function normalizeToMax(scores: Float64Array, count: number, reverse: boolean): void {
  let max = 0;
  for (let i = 0; i < count; i++) if (scores[i]! > max) max = scores[i]!;
  for (let i = 0; i < count; i++) {
    const s = max === 0 ? 0 : (scores[i]! * MAX_SCORE) / max;
    scores[i] = reverse ? MAX_SCORE - s : s;
  }
}
