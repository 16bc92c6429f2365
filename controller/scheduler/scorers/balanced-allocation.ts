// Prefer nodes whose cpu and memory would be used in similar proportions after placing the pod
// (Kubernetes' BalancedAllocation), so neither resource is stranded while the other runs out.
import type { Scorer } from './scorer';

// A local copy of MAX_SCORE: this runs per node per pod, and a cross-module constant costs a
// property lookup (a getter call under tsx) on every use.
const MAX_SCORE = 100;

export const balancedAllocationScorer: Scorer = {
  name: 'BalancedAllocation',
  weight: 1,
  appliesTo: () => true,
  score: (pod, node) => {
    const cpu = fraction(node.nonZeroRequestedMilliCpu + pod.nonZeroMilliCpu, node.allocatable.milliCpu);
    const mem = fraction(node.nonZeroRequestedMemory + pod.nonZeroMemory, node.allocatable.memory);
    // Standard deviation of two values is half their distance.
    return (1 - Math.abs(cpu - mem) / 2) * MAX_SCORE;
  },
};

function fraction(requested: number, allocatable: number): number {
  return allocatable <= 0 ? 1 : Math.min(1, requested / allocatable);
}
