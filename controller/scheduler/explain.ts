// Why a pod fits nowhere, in Kubernetes' words:
//   0/3 nodes are available: 2 Insufficient memory, 1 node(s) had untolerated taint {gpu: true}.
import type { Pod } from '../../common/api/types';
import { DEFAULT_FILTERS } from './filters';
import { CLUSTER_CHANGES, type ClusterChange } from './cluster-change';
import type { Filter, Rejection } from './filters/filter';
import { firstRejection, pipelineFor } from './pipeline';
import { podInfoOf } from './pod-info';
import type { ClusterSnapshot } from './snapshot';

export class FitError extends Error {
  override readonly name = 'FitError';

  /**
   * @param numAllNodes nodes in the snapshot
   * @param reasons rejection reason -> number of nodes rejected for it
   * @param requeueOn the cluster changes that could make the pod fit somewhere (empty: none known,
   *   only the periodic retry tries it again)
   * @param message overrides the Kubernetes-style summary (used for pods that cannot be evaluated)
   */
  constructor(
    readonly numAllNodes: number,
    readonly reasons: ReadonlyMap<string, number>,
    readonly requeueOn: ReadonlySet<ClusterChange>,
    message?: string,
  ) {
    super(message ?? formatFitMessage(numAllNodes, reasons));
  }

  /** No change to pods could make the pod fit: only a node event can (node added, uncordoned,
   *  relabelled, ready again), so callers should not retry when pods go away. */
  get unresolvable(): boolean {
    return !this.requeueOn.has('pods-freed');
  }
}

/** Counts per reason, sorted by count descending then by text. */
export function formatFitMessage(numAllNodes: number, reasons: ReadonlyMap<string, number>): string {
  if (numAllNodes === 0) return '0/0 nodes are available: no nodes registered.';
  const parts = [...reasons]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([reason, n]) => `${n} ${reason}`);
  return `0/${numAllNodes} nodes are available: ${parts.join(', ')}.`;
}

/** Accumulates per-node rejections into a FitError, with the changes the rejecting filters await. */
export class FitDiagnosis {
  private readonly reasons = new Map<string, number>();
  private readonly requeueOn = new Set<ClusterChange>();

  /** @param filtersByName the filters that produced the rejections, to read their requeueOn */
  constructor(private readonly filtersByName: ReadonlyMap<string, Filter>) {}

  add(r: Rejection): void {
    this.reasons.set(r.reason, (this.reasons.get(r.reason) ?? 0) + 1);
    // A rejection naming no known filter could be undone by anything.
    const awaited = this.filtersByName.get(r.filter)?.requeueOn ?? CLUSTER_CHANGES;
    for (const c of awaited) if (!(r.unresolvable && c === 'pods-freed')) this.requeueOn.add(c);
  }

  toError(numAllNodes: number): FitError {
    return new FitError(numAllNodes, this.reasons, this.requeueOn);
  }
}

export interface NodeVerdict {
  node: string;
  /** null when the node would accept the pod. */
  rejection: Rejection | null;
}

/** Every node's verdict for the pod, without sampling or placing it (for describe/debugging). */
export function explainPod(pod: Pod, snapshot: ClusterSnapshot, filters: readonly Filter[] = DEFAULT_FILTERS): NodeVerdict[] {
  const info = podInfoOf(pod);
  const { checks } = pipelineFor(info, filters, [], snapshot);
  return snapshot.nodes.map((node) => ({ node: node.name, rejection: firstRejection(info, node, checks) }));
}
