// Kubernetes toleration matching (v1 helper ToleratesTaint), written once: the scheduler's taint,
// readiness and cordon filters, its PreferNoSchedule scorer, the DaemonSet node eligibility and
// the NoExecute eviction of node lifecycle all use it.
import type { Taint, Toleration } from './types';

export type TaintFacts = Pick<Taint, 'key' | 'value' | 'effect'>;

export function tolerates(t: Toleration, taint: TaintFacts): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  // An empty key with Exists tolerates every taint.
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

export function toleratesAny(tolerations: readonly Toleration[], taint: TaintFacts): boolean {
  for (const t of tolerations) if (tolerates(t, taint)) return true;
  return false;
}
