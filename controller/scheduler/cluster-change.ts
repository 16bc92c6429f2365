// The cluster changes that can make a pod that fit nowhere fit somewhere. Each filter declares
// which of them can undo its rejections (Filter.requeueOn); the scheduling loop computes which
// happened (nodeChanges, or 'pods-freed' when a bound pod goes) and re-queues only the parked
// pods waiting for one of them.
import type { Node } from '../../common/api/types';
import { canonicalJson } from '../../common/canonical';
import { NodeInfo } from './node-info';

export const CLUSTER_CHANGES = ['added', 'allocatable', 'labels', 'taints', 'unschedulable', 'ready', 'pods-freed', 'volumes', 'pods-bound'] as const;

/**
 * added: a node joined; allocatable, labels, taints (NoSchedule/NoExecute), unschedulable (cordon)
 * and ready: that fact of a node changed; pods-freed: a pod bound to a node went away or finished;
 * volumes: a PersistentVolumeClaim, PersistentVolume or StorageClass changed;
 * pods-bound: a pod was bound to a node (what inter-pod affinity and topology spread wait for).
 */
export type ClusterChange = (typeof CLUSTER_CHANGES)[number];

/** What changed between two versions of a node, as far as filters care (old undefined: added). */
export function nodeChanges(old: Node | undefined, node: Node): Set<ClusterChange> {
  const changes = new Set<ClusterChange>();
  if (!old) return changes.add('added');
  // NodeInfo is what the filters read, so compare through it: allocatable parsed, taints split by effect.
  const before = new NodeInfo(old);
  const after = new NodeInfo(node);
  if (before.ready !== after.ready) changes.add('ready');
  if (before.unschedulable !== after.unschedulable) changes.add('unschedulable');
  if (canonicalJson(before.labels) !== canonicalJson(after.labels)) changes.add('labels');
  if (canonicalJson(before.hardTaints.map(taintFacts)) !== canonicalJson(after.hardTaints.map(taintFacts))) changes.add('taints');
  if (canonicalJson(before.allocatable) !== canonicalJson(after.allocatable)) changes.add('allocatable');
  return changes;
}

/** Whether a pod waiting for any of `awaited` should be tried again after `happened`. */
export function isAwaitedChange(awaited: ReadonlySet<ClusterChange>, happened: ReadonlySet<ClusterChange>): boolean {
  for (const c of happened) if (awaited.has(c)) return true;
  return false;
}

function taintFacts(t: { key: string; value?: string; effect: string }): [string, string, string] {
  return [t.key, t.value ?? '', t.effect];
}
