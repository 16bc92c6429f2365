// Status conditions with Kubernetes' timestamp rules: lastTransitionTime moves only when the
// status flips; lastUpdateTime moves whenever the condition is (re)asserted with news.
import type { Condition } from '../../common/api/types';
import { rfc3339 } from '../store/etcd-store';

export function findCondition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Returns conditions with `next` in place of the one of its type. `touch` refreshes lastUpdateTime even if nothing changed. */
export function setCondition(conditions: Condition[] | undefined, next: Omit<Condition, 'lastTransitionTime' | 'lastUpdateTime'>, nowMs: number, touch = false): Condition[] {
  const now = rfc3339(nowMs);
  const prev = findCondition(conditions, next.type);
  const same = prev && prev.status === next.status && prev.reason === next.reason && prev.message === next.message;
  const merged: Condition = {
    ...next,
    lastTransitionTime: prev && prev.status === next.status ? (prev.lastTransitionTime ?? now) : now,
    lastUpdateTime: same && !touch ? (prev.lastUpdateTime ?? now) : now,
  };
  const rest = (conditions ?? []).filter((c) => c.type !== next.type);
  return [...rest, merged].sort((a, b) => a.type.localeCompare(b.type));
}

export { rfc3339 };
