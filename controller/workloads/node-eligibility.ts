// Which nodes a DaemonSet pod belongs on: nodeSelector, required node affinity, and the node's
// NoSchedule/NoExecute taints against the pod's tolerations (with the DaemonSet defaults added).
// Readiness does not matter, as in Kubernetes: a daemon pod waits on its node.
import type { Node, NodeSelectorTerm, PodSpec, Toleration } from '../../common/api/types';
import { matchesRequirement } from '../scheduler/filters/node-selector';
import { toleratesAny } from '../scheduler/filters/tolerations';

/** Added to every DaemonSet pod so node loss, drain and cordon do not evict or block it. */
export const DAEMON_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

/** The pod's tolerations plus the daemon defaults it does not already have. */
export function withDaemonTolerations(tolerations: readonly Toleration[] | undefined): Toleration[] {
  const out = [...(tolerations ?? [])];
  for (const t of DAEMON_TOLERATIONS) {
    if (!out.some((o) => o.key === t.key && o.effect === t.effect)) out.push({ ...t });
  }
  return out;
}

export function daemonPodFitsNode(spec: PodSpec, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms !== undefined && !terms.some((t) => termMatches(t, node))) return false;
  const tolerations = withDaemonTolerations(spec.tolerations);
  for (const taint of node.spec.taints ?? []) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!toleratesAny(tolerations, taint)) return false;
  }
  return true;
}

/** A term with no requirements matches nothing, as in Kubernetes; matchFields supports metadata.name. */
function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false;
  const labels = node.metadata.labels ?? {};
  return (
    exprs.every((r) => matchesRequirement(r, labels[r.key])) &&
    fields.every((r) => matchesRequirement(r, r.key === 'metadata.name' ? node.metadata.name : undefined))
  );
}
