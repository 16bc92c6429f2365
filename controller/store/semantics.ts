// The rules every ObjectStore follows, in one place so the etcd store and the in-memory fake used
// by unit tests cannot drift apart.
import type { KObject } from '../../common/api/types';
import { canonicalJson } from '../../common/canonical';
import type { ObjectFilter } from './filter';
import type { DeleteOptions, StoreEvent } from './types';
import type { Pod } from '../../common/api/types';
import { isPodTerminal } from '../../common/api/pod';
import { kindDefinition } from '../../common/kinds/registry';

/**
 * The object an update writes. A status write touches only status; a spec write keeps status and
 * the server-set identity (namespace, uid, creationTimestamp), and raises generation only when
 * the spec (or, for data-only kinds, the payload) changed.
 */
export function mergeUpdate<T extends KObject>(current: T, incoming: T, mode: 'spec' | 'status'): T {
  if (mode === 'status') return { ...current, status: incoming.status, metadata: { ...current.metadata } };
  const specChanged = canonicalJson(specOf(current)) !== canonicalJson(specOf(incoming));
  return {
    ...incoming,
    status: current.status,
    metadata: {
      ...incoming.metadata,
      namespace: current.metadata.namespace,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      generation: (current.metadata.generation ?? 1) + (specChanged ? 1 : 0),
      // Once set, only a delete changes these: an update cannot undo a deletion in progress.
      deletionTimestamp: current.metadata.deletionTimestamp,
      deletionGracePeriodSeconds: current.metadata.deletionGracePeriodSeconds,
      resourceVersion: undefined,
    },
  };
}

/** A timestamp as Kubernetes writes them: RFC 3339, whole seconds, UTC. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** What a delete does to the stored object: remove it now, or mark it and wait. */
export type DeletePlan = { remove: true } | { remove: false; object: KObject; changed: boolean };

/** The grace a pod gets when neither the delete nor the pod names one, as Kubernetes. */
export const DEFAULT_POD_GRACE_SECONDS = 30;

/**
 * Graceful deletion and finalizers, as Kubernetes' generic registry store does them. An object
 * with finalizers, or of a kind whose deletion waits for the system (a pod's containers stopping,
 * a namespace emptying), is first marked with metadata.deletionTimestamp; it is removed when the
 * system calls delete again with `finalize` and no finalizer is left. A pod that runs nowhere (not
 * bound, or already finished), or a delete with gracePeriodSeconds 0, removes it at once.
 */
export function planDelete(current: KObject, opts: DeleteOptions, now: string): DeletePlan {
  const finalizers = current.metadata.finalizers ?? [];
  const marked = !!current.metadata.deletionTimestamp;
  const graceful = kindDefinition(current.kind)?.gracefulDeletion ?? false;
  const grace = current.kind === 'Pod' ? podGrace(current as Pod, opts) : undefined;
  const systemDone = !graceful || opts.finalize || grace === 0 || (current.kind === 'Pod' && podRunsNowhere(current as Pod));
  if (finalizers.length === 0 && systemDone) return { remove: true };
  if (marked) {
    // A second delete may only shorten a pod's grace, as in Kubernetes.
    const shorter = grace !== undefined && grace < (current.metadata.deletionGracePeriodSeconds ?? Infinity);
    if (!shorter) return { remove: false, object: current, changed: false };
    return { remove: false, object: withMetadata(current, { deletionGracePeriodSeconds: grace }), changed: true };
  }
  return {
    remove: false,
    object: withMetadata(current, { deletionTimestamp: now, ...(grace !== undefined ? { deletionGracePeriodSeconds: grace } : {}) }),
    changed: true,
  };
}

/** After an update: a marked object whose last finalizer went, and whose kind waits for nobody, goes. */
export function removeAfterUpdate(obj: KObject): boolean {
  if (!obj.metadata.deletionTimestamp || (obj.metadata.finalizers ?? []).length > 0) return false;
  return !(kindDefinition(obj.kind)?.gracefulDeletion ?? false);
}

function podGrace(pod: Pod, opts: DeleteOptions): number {
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds >= 0) return opts.gracePeriodSeconds;
  return pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? DEFAULT_POD_GRACE_SECONDS;
}

function podRunsNowhere(pod: Pod): boolean {
  return !pod.spec.nodeName || isPodTerminal(pod);
}

function withMetadata(obj: KObject, patch: Partial<KObject['metadata']>): KObject {
  return { ...obj, metadata: { ...obj.metadata, ...patch, resourceVersion: obj.metadata.resourceVersion } };
}

/** What counts as "spec" for generation: spec, or the payload of data-only kinds. */
function specOf(obj: KObject): unknown {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

/**
 * The event a watcher with a selector sees: an object that enters the selection is ADDED, one that
 * leaves it is DELETED, one outside it is not seen at all (undefined).
 */
export function throughFilter(e: StoreEvent, filter: ObjectFilter | undefined): StoreEvent | undefined {
  if (!filter) return e;
  if (e.type === 'DELETED') return filter(e.object) ? e : undefined;
  const now = filter(e.object);
  const before = e.previous ? filter(e.previous) : false;
  if (now && !before && e.type === 'MODIFIED') return { ...e, type: 'ADDED' };
  if (!now && before) return { ...e, type: 'DELETED' };
  return now ? e : undefined;
}
