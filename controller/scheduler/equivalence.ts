// The equivalence key of a pod: the values of every pod fact the filters declare they read
// (Filter.podFields). Two pods with equal keys fit exactly the same nodes of a snapshot, so a
// batch of replicas is filtered once, not once per replica.
import type { Filter, PodField } from './filters/filter';
import type { PodInfo } from './pod-info';

export type EquivalenceKey = (pod: PodInfo) => string;

/** The key function for a filter list; fields are deduplicated and ordered so the key is stable. */
export function equivalenceKeyFor(filters: readonly Filter[]): EquivalenceKey {
  const fields: PodField[] = [...new Set(filters.flatMap((f) => f.podFields))].sort();
  return (pod) => JSON.stringify(fields.map((f) => pod[f] ?? null));
}
