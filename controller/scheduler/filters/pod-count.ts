// A node runs at most allocatable.pods pods.
import type { Filter, Rejection } from './filter';

const TOO_MANY: Rejection = { filter: 'PodCount', reason: 'Too many pods' };
const NO_PODS_AT_ALL: Rejection = { ...TOO_MANY, unresolvable: true };

export const podCountFilter: Filter = {
  name: 'PodCount',
  podFields: [],
  requeueOn: ['pods-freed', 'allocatable', 'added'],
  appliesTo: () => true,
  check: (_pod, node) => {
    if (node.podCount + 1 <= node.allocatable.pods) return null;
    return node.allocatable.pods < 1 ? NO_PODS_AT_ALL : TOO_MANY;
  },
};
