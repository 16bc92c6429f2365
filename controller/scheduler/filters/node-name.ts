// A pod naming its node (spec.nodeName) can only go there.
import type { Filter, Rejection } from './filter';

const MISMATCH: Rejection = { filter: 'NodeName', reason: "node(s) didn't match the requested node name", unresolvable: true };

export const nodeNameFilter: Filter = {
  name: 'NodeName',
  podFields: ['nodeName'],
  requeueOn: ['added'],
  appliesTo: (pod) => pod.nodeName !== undefined,
  check: (pod, node) => (pod.nodeName === node.name ? null : MISMATCH),
};
