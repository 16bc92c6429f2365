// The per-pod plan: which filters and scorers apply to this pod, decided once per pod so the
// per-node loop only runs rules that can matter.
import type { Filter, NodeCheck, Rejection } from './filters/filter';
import type { NodeInfo } from './node-info';
import type { PodInfo } from './pod-info';
import type { Scorer } from './scorers/scorer';
import type { ClusterSnapshot } from './snapshot';

export interface Pipeline {
  /** The checks of the filters that apply, in filter order (prepared ones bound to this pod). */
  readonly checks: readonly NodeCheck[];
  readonly scorers: readonly Scorer[];
}

export function pipelineFor(pod: PodInfo, filters: readonly Filter[], scorers: readonly Scorer[], snapshot: ClusterSnapshot): Pipeline {
  const checks: NodeCheck[] = [];
  for (const f of filters) if (f.appliesTo(pod, snapshot)) checks.push(f.prepare ? f.prepare(pod, snapshot) : f.check);
  return { checks, scorers: scorers.filter((s) => s.weight > 0 && s.appliesTo(pod, snapshot)) };
}

/** The first check that rejects the node, or null when the node is feasible. */
export function firstRejection(pod: PodInfo, node: NodeInfo, checks: readonly NodeCheck[]): Rejection | null {
  for (let i = 0; i < checks.length; i++) {
    const r = checks[i]!(pod, node);
    if (r !== null) return r;
  }
  return null;
}
