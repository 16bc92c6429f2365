// Nodes whose Ready condition is not True take no new pods, unless the pod tolerates
// node.kubernetes.io/not-ready (as DaemonSet pods may).
import type { Filter, Rejection } from './filter';
import { toleratesAny } from '../../../common/api/toleration';
import { NOT_READY_TAINT } from './tolerations';

const NOT_READY: Rejection = { filter: 'NodeReady', reason: 'node(s) were not ready', unresolvable: true };

export const nodeReadyFilter: Filter = {
  name: 'NodeReady',
  podFields: ['tolerations'],
  requeueOn: ['ready', 'added'],
  appliesTo: (pod) => !toleratesAny(pod.tolerations, NOT_READY_TAINT),
  check: (_pod, node) => (node.ready ? null : NOT_READY),
};
