// What Kite knows about one kind of object, in one place. Every kind has one module in this
// folder that exports a KindDefinition; registry.ts lists them. Apply, update, updateStatus,
// delete, validation, defaulting and `kite get` all read the definition, so adding a kind means
// adding one module and registering it.
import type { KObject } from '../api/types';
import type { FieldIssue, ObjectSchema } from '../manifest/schema';

/** Column of a `get` table; `wide` columns appear only with `-o wide`. */
export interface TableColumn {
  name: string;
  wide?: boolean;
}

/**
 * The `kite get` table of a kind, as data, so the CLI (text) and a future HTTP API (kubectl's
 * Table objects) print the same columns. cells() returns one string per column, in order.
 */
export interface KindTable<T extends KObject = KObject> {
  columns: readonly TableColumn[];
  cells(obj: T, now: number): string[];
  /** The order rows are printed in (events: oldest first); by default the caller's order. */
  order?(objects: readonly T[]): T[];
}

export interface KindDefinition<T extends KObject = KObject> {
  kind: string;
  apiVersion: string;
  /** Lower-case plural, used in store keys and as a CLI name. */
  plural: string;
  singular: string;
  shortNames: readonly string[];
  namespaced: boolean;
  /** Written by the system, not by users' manifests (Node, Event). */
  systemOwned?: boolean;

  /** The whole object's validation schema (common/manifest/schema.ts). */
  schema: ObjectSchema;
  /** Rule for metadata.name: an error message or undefined. */
  nameRule(name: string): string | undefined;
  /** Fills in defaults, in place, on an object the caller already copied. */
  defaults?(obj: T): void;

  /**
   * Changes an update may not make (Kubernetes' ValidateUpdate): one issue per offending field,
   * e.g. `{ path: 'spec.selector', message: 'field is immutable' }`. Empty when the update is allowed.
   */
  immutable?(current: T, next: T): FieldIssue[];
  /**
   * Fields the system sets after creation that a re-apply which omits them keeps (a pod's
   * spec.nodeName, a node's spec.taints). Dotted paths from the object's root.
   */
  systemFields?: readonly string[];
  /**
   * System-set values no path can name (a Service port's nodePort, matched by port): copies them
   * from `existing` into `desired` (a copy the caller owns) where it omits them. Runs after systemFields.
   */
  keepSystemValues?(existing: T, desired: T): void;
  /**
   * What a spec update does to the stored status; by default the status is kept as it is.
   * Returns the status to store with `next`.
   */
  statusOnSpecUpdate?(current: T, next: T): T['status'];
  /**
   * Deletion waits for something the system must do first (a pod's containers stopping, a
   * namespace's contents going): the first delete marks the object with deletionTimestamp.
   */
  gracefulDeletion?: boolean;

  table: KindTable<T>;
}
