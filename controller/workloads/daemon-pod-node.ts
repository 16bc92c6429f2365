// Which node a DaemonSet pod is for. As in Kubernetes, the DaemonSet controller does not bind its
// pods: it pins each to its node with a required node affinity on metadata.name, and the scheduler
// binds it through the usual filters (resources, host ports...), so a daemon pod on a full node
// stays Pending with the scheduler's reason. Once bound, spec.nodeName says it.
import type { Affinity, NodeSelectorTerm, Pod } from '../../common/api/types';

const NODE_NAME_FIELD = 'metadata.name';

/**
 * The affinity with its required terms replaced by one term matching only `nodeName` (the
 * template's own required terms were already checked against the node by the controller);
 * preferred terms are kept.
 */
export function pinnedToNode(affinity: Affinity | undefined, nodeName: string): Affinity {
  const term: NodeSelectorTerm = { matchFields: [{ key: NODE_NAME_FIELD, operator: 'In', values: [nodeName] }] };
  return {
    ...affinity,
    nodeAffinity: { ...affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } },
  };
}

/** The node the pod is bound to, or else the one node its required affinity pins it to. */
export function daemonPodNodeName(pod: Pod): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms?.length !== 1) return undefined;
  const fields = terms[0]!.matchFields ?? [];
  const byName = fields.find((f) => f.key === NODE_NAME_FIELD && f.operator === 'In');
  return byName?.values?.length === 1 ? byName.values[0] : undefined;
}
