// The rules every ObjectStore follows, in one place so the etcd store and the in-memory fake used
// by unit tests cannot drift apart.
import type { KObject } from '../../common/api/types';
import { canonicalJson } from '../../common/canonical';
import type { ObjectFilter } from './filter';
import type { StoreEvent } from './types';

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
      resourceVersion: undefined,
    },
  };
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
