// A hostPort (protocol + port, per host IP) can be held by one pod per node.
import type { Filter, Rejection } from './filter';

// Resolvable: the pod holding the port may go away.
const CONFLICT: Rejection = { filter: 'NodePorts', reason: "node(s) didn't have free ports for the requested pod ports" };

export const hostPortsFilter: Filter = {
  name: 'NodePorts',
  podFields: ['hostPorts'],
  requeueOn: ['pods-freed', 'added'],
  appliesTo: (pod) => pod.hostPorts.length > 0,
  check: (pod, node) => (node.hasPortConflict(pod.hostPorts) ? CONFLICT : null),
};
