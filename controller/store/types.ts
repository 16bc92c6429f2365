// The store interface that the API, the dispatcher and the reconcilers program against.
import type { KObject } from '../../common/api/types';

export interface ListOptions {
  /** Undefined or '' means all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ListResult<T extends KObject = KObject> {
  items: T[];
  /** The store revision the list was read at; watch from here to follow changes. */
  resourceVersion: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent<T extends KObject = KObject> {
  type: WatchEventType;
  object: T;
  /** For MODIFIED, the object before the change (used to detect spec vs status changes). */
  previous?: T;
  resourceVersion: string;
}

export interface DeleteOptions {
  /** Precondition: delete only at this revision. */
  resourceVersion?: string;
  /** A pod's grace; undefined (or negative) means the pod's own. 0 removes the pod at once. */
  gracePeriodSeconds?: number;
  /**
   * The system's part of a graceful deletion is done (the pod's containers stopped, the
   * namespace is empty): remove the object unless finalizers still hold it.
   */
  finalize?: boolean;
}

/** What delete did: the object is gone (`removed`), or it is marked for deletion and waits. */
export interface DeleteResult<T extends KObject = KObject> {
  object: T;
  removed: boolean;
}

export interface ObjectStore {
  get<T extends KObject = KObject>(kind: string, namespace: string, name: string): Promise<T | undefined>;
  list<T extends KObject = KObject>(kind: string, opts?: ListOptions): Promise<ListResult<T>>;
  /** Sets uid, creationTimestamp, generation and resourceVersion; fails AlreadyExists. */
  create<T extends KObject>(obj: T): Promise<T>;
  /** Creates many objects in few round trips; each entry is the created object or its own error. */
  createMany<T extends KObject>(objs: T[]): Promise<(T | Error)[]>;
  /**
   * Replaces spec/metadata (status is kept). When obj.metadata.resourceVersion is set, it must be the current
   * one, else Conflict. generation rises only when spec changes.
   */
  update<T extends KObject>(obj: T): Promise<T>;
  /** Replaces status only, same resourceVersion rule. */
  updateStatus<T extends KObject>(obj: T): Promise<T>;
  /**
   * Writes many status or spec updates in few transactions; each entry succeeds or reports Conflict on its own.
   * Used by the scheduler (bindings) and the dispatcher (pod status) where throughput matters.
   */
  updateMany(objs: KObject[], mode: 'spec' | 'status'): Promise<(KObject | Error)[]>;
  /**
   * Removes the object, or, for an object with finalizers or a kind with graceful deletion (Pod,
   * Namespace), marks it with metadata.deletionTimestamp (see planDelete in semantics.ts).
   */
  delete(kind: string, namespace: string, name: string, opts?: DeleteOptions): Promise<DeleteResult>;
  /** Changes after resourceVersion (exclusive). Ends (throws Gone) when that revision was compacted away. */
  watch(kind: string | undefined, opts: ListOptions & { resourceVersion: string }, signal: AbortSignal): AsyncIterable<StoreEvent>;
  /** The store's current revision. */
  revision(): Promise<string>;
}
