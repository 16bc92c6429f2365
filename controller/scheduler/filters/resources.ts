// cpu and memory requests must fit into allocatable minus what the node's pods already request.
import type { Filter, Rejection } from './filter';

const CPU: Rejection = { filter: 'NodeResourcesFit', reason: 'Insufficient cpu' };
const CPU_NEVER: Rejection = { ...CPU, unresolvable: true };
const MEMORY: Rejection = { filter: 'NodeResourcesFit', reason: 'Insufficient memory' };
const MEMORY_NEVER: Rejection = { ...MEMORY, unresolvable: true };

export const resourcesFilter: Filter = {
  name: 'NodeResourcesFit',
  podFields: ['milliCpu', 'memory'],
  requeueOn: ['pods-freed', 'allocatable', 'added'],
  appliesTo: (pod) => pod.milliCpu > 0 || pod.memory > 0,
  check: (pod, node) => {
    const a = node.allocatable;
    // Requests beyond the node's whole allocatable can never fit there, however many pods leave.
    if (pod.milliCpu > 0 && pod.milliCpu > a.milliCpu - node.requestedMilliCpu) return pod.milliCpu > a.milliCpu ? CPU_NEVER : CPU;
    if (pod.memory > 0 && pod.memory > a.memory - node.requestedMemory) return pod.memory > a.memory ? MEMORY_NEVER : MEMORY;
    return null;
  },
};
