// The per-pod plan: which filters and scorers apply to this pod, decided once per pod so the
// per-node loop only runs rules that can matter.
import type { Filter, Rejection } from './filters/filter';
import type { NodeInfo } from './node-info';
import type { PodInfo } from './pod-info';
import type { Scorer } from './scorers/scorer';

export interface Pipeline {
  readonly filters: readonly Filter[];
  readonly scorers: readonly Scorer[];
}

export function pipelineFor(pod: PodInfo, filters: readonly Filter[], scorers: readonly Scorer[]): Pipeline {
  return {
    filters: filters.filter((f) => f.appliesTo(pod)),
    scorers: scorers.filter((s) => s.weight > 0 && s.appliesTo(pod)),
  };
}

/** The first filter that rejects the node, or null when the node is feasible. */
export function firstRejection(pod: PodInfo, node: NodeInfo, filters: readonly Filter[]): Rejection | null {
  for (let i = 0; i < filters.length; i++) {
    const r = filters[i]!.check(pod, node);
    if (r !== null) return r;
  }
  return null;
}
