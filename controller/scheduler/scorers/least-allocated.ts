// Prefer nodes with the most free cpu and memory after placing the pod (Kubernetes'
// LeastAllocated). Uses non-zero default requests so request-less pods still spread by load.
import type { Scorer } from './scorer';

// A local copy of MAX_SCORE: this runs per node per pod, and a cross-module constant costs a
// property lookup (a getter call under tsx) on every use.
const MAX_SCORE = 100;

export const leastAllocatedScorer: Scorer = {
  name: 'LeastAllocated',
  weight: 1,
  appliesTo: () => true,
  score: (pod, node) =>
    (free(node.nonZeroRequestedMilliCpu + pod.nonZeroMilliCpu, node.allocatable.milliCpu) +
      free(node.nonZeroRequestedMemory + pod.nonZeroMemory, node.allocatable.memory)) /
    2,
};

function free(requested: number, allocatable: number): number {
  if (allocatable <= 0 || requested >= allocatable) return 0;
  return ((allocatable - requested) * MAX_SCORE) / allocatable;
}
