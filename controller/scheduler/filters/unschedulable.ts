// Cordoned nodes (spec.unschedulable) take no new pods, unless the pod tolerates
// node.kubernetes.io/unschedulable:NoSchedule.
import type { Filter, Rejection } from './filter';
import { toleratesAny } from '../../../common/api/toleration';
import { UNSCHEDULABLE_TAINT } from './tolerations';

const CORDONED: Rejection = { filter: 'NodeUnschedulable', reason: 'node(s) were unschedulable', unresolvable: true };

export const unschedulableFilter: Filter = {
  name: 'NodeUnschedulable',
  podFields: ['tolerations'],
  requeueOn: ['unschedulable', 'added'],
  appliesTo: (pod) => !toleratesAny(pod.tolerations, UNSCHEDULABLE_TAINT),
  check: (_pod, node) => (node.unschedulable ? CORDONED : null),
};
