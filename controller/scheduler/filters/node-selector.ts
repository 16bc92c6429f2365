// spec.nodeSelector (every label must match) and required node affinity
// (terms ORed, expressions within a term ANDed).
import type { NodeSelectorRequirement, NodeSelectorTerm } from '../../../common/api/types';
import type { Filter, Rejection } from './filter';

const MISMATCH: Rejection = { filter: 'NodeAffinity', reason: "node(s) didn't match Pod's node affinity/selector", unresolvable: true };

export const nodeSelectorFilter: Filter = {
  name: 'NodeAffinity',
  podFields: ['nodeSelector', 'requiredTerms'],
  requeueOn: ['labels', 'added'],
  appliesTo: (pod) => pod.nodeSelector.length > 0 || pod.requiredTerms !== undefined,
  check: (pod, node) => {
    for (const [k, v] of pod.nodeSelector) if (node.labels[k] !== v) return MISMATCH;
    if (pod.requiredTerms !== undefined && !matchesAnyTerm(pod.requiredTerms, node)) return MISMATCH;
    return null;
  },
};

/** What node selector terms look at: a NodeInfo, or any node reduced to its name and labels. */
export interface SelectableNode {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** An empty term list matches no node, as in Kubernetes. */
export function matchesAnyTerm(terms: readonly NodeSelectorTerm[], node: SelectableNode): boolean {
  for (const t of terms) if (matchesTerm(t, node)) return true;
  return false;
}

/** A term with no requirements matches no node, as in Kubernetes. matchFields supports metadata.name. */
export function matchesTerm(term: NodeSelectorTerm, node: SelectableNode): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const r of exprs) if (!matchesRequirement(r, node.labels[r.key])) return false;
  for (const r of fields) if (!matchesRequirement(r, r.key === 'metadata.name' ? node.name : undefined)) return false;
  return true;
}

/** One requirement against the node's value for its key (undefined when the node lacks the key). */
export function matchesRequirement(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const have = toInteger(value);
      const want = toInteger(values[0]);
      if (have === undefined || want === undefined || values.length !== 1) return false;
      return r.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

function toInteger(s: string | undefined): number | undefined {
  if (s === undefined || !/^-?\d+$/.test(s)) return undefined;
  return Number(s);
}
