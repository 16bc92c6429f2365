// Which nodes a DaemonSet pod belongs on: nodeSelector, required node affinity, and the node's
// NoSchedule/NoExecute taints against the pod's tolerations (with the DaemonSet defaults added).
// Readiness and room do not matter here, as in Kubernetes: the pod is created for its node and
// the scheduler binds it when the node is ready and has room (see daemon-pod-node.ts).
import type { Node, PodSpec, Toleration } from '../../common/api/types';
import { toleratesAny } from '../../common/api/toleration';
import { matchesAnyTerm } from '../scheduler/filters/node-selector';

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
  if (terms !== undefined && !matchesAnyTerm(terms, { name: node.metadata.name, labels })) return false;
  const tolerations = withDaemonTolerations(spec.tolerations);
  for (const taint of node.spec.taints ?? []) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!toleratesAny(tolerations, taint)) return false;
  }
  return true;
}
