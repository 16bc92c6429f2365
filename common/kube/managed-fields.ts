// Server-side apply's field ownership, as Kubernetes keeps it in `metadata.managedFields`: which
// manager owns which fields, what an apply by one manager does to the object and to the others'
// ownership, and what an ordinary write takes. Pure functions over plain objects; the HTTP edge
// calls them and answers conflicts with 409. The rules are structured-merge-diff's (its Updater's
// Apply and Update); the field sets, merge and prune live in managed-fields-*.ts.
import type { KObject, ObjectMeta } from '../api/types';
import { FieldSet, fieldPathString, type FieldPath } from './managed-fields-set';
import { mergeObjects, pruneUnowned } from './managed-fields-merge';
import { isJsonObject, jsonEqual, setField, type JsonObject } from './managed-fields-shape';
import { compareObjects, fieldSetOf, type Comparison } from './managed-fields-walk';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface ApplyConflict {
  manager: string;
  /** Dotted, as Kubernetes prints it: `.spec.replicas`, `.spec.template.spec.containers[name="web"].image`. */
  field: string;
}

type ManagedObjectMeta = ObjectMeta & { managedFields?: ManagedFieldsEntry[] };

/** Metadata the server keeps: nobody owns it, an apply never sets it (Kubernetes strips the same). */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink'];
/** Never owned: the object's identity and what the server keeps. */
const UNOWNED: readonly FieldPath[] = [['f:apiVersion'], ['f:kind'], ['f:metadata', 'f:name'], ['f:metadata', 'f:namespace'], ...SERVER_METADATA.map((f) => ['f:metadata', `f:${f}`])];
/** An apply to the main resource never sets or owns status (the status subresource does). */
const UNOWNED_BY_APPLY: readonly FieldPath[] = [...UNOWNED, ['f:status']];

/**
 * Server-side apply of `config` (the applier's whole intent) by `manager` onto `live`
 * (undefined: creating). Conflicts: fields of `config` another manager owns whose value the apply
 * would change; with `force` the applier takes them instead. Throws Invalid (KiteError) for a
 * list item without its key fields or two items with one key. A null in `config` clears the field
 * (and the applier owns it). An apply that changes nothing returns an object equal to `live`.
 */
export function serverSideApply(args: { kind: string; live: KObject | undefined; config: KObject; manager: string; force: boolean; now: string }):
  | { object: KObject; conflicts: [] }
  | { object?: undefined; conflicts: ApplyConflict[] } {
  const { kind, live, manager, force, now } = args;
  const intent = appliedIntent(args.config);
  const intended = fieldSetOf(kind, intent);
  const applied = withoutPaths(intended, UNOWNED_BY_APPLY);
  const liveBody = live ? bodyOf(live) : {};
  const owners = live ? readOwners(live) : [];
  const previous = owners.find((o) => isOwner(o, manager, 'Apply'));
  const others = owners.filter((o) => o !== previous);

  let merged = mergeObjects(kind, liveBody, intent);
  // Pruning counts the config's identity (metadata.name) as held, as Kubernetes does (it strips
  // identity from the stored sets only afterwards): else a config without labels would take
  // the whole metadata with the labels it no longer sets.
  if (previous) merged = pruneUnowned(kind, merged, previous.set, others.reduce((all, o) => all.union(o.set), intended));

  const changes = withoutPathsIn(compareObjects(kind, liveBody, merged), UNOWNED_BY_APPLY);
  const taken = changes.modified.union(changes.added);
  const conflicts = others.flatMap((o) => o.set.intersection(taken).paths().map((path) => ({ manager: o.manager, field: fieldPathString(path) })));
  if (conflicts.length > 0 && !force) return { conflicts: conflicts.sort((a, b) => (a.manager < b.manager ? -1 : a.manager > b.manager ? 1 : 0)) };

  // A copy throughout: the merge shares subtrees with `live` and `config`.
  const object = withoutNulls(merged) as unknown as KObject;
  const changed = !jsonEqual(withoutNulls(liveBody), object);
  const applier: Owner = {
    manager,
    operation: 'Apply',
    apiVersion: args.config.apiVersion || live?.apiVersion || '',
    time: previous && !changed && previous.set.equals(applied) ? previous.time : now,
    set: applied,
    original: previous?.original,
  };
  const kept = others.map((o) => ({ ...o, set: o.set.difference(taken).difference(changes.removed) }));
  return { object: withManagedFields(object, [applier, ...kept]), conflicts: [] };
}

/**
 * Records an ordinary write (create, update, patch) by `manager`: the fields it changed become its
 * own and leave other managers. Fields whose value differs between `before` and `after` (added or
 * changed, new list items and map keys) go to `manager`'s Update entry; removed fields leave every
 * entry; entries left empty go. The managedFields `after` carries are the starting point when it
 * has any (a client may set them, as `kubectl` does when it moves ownership to server-side apply),
 * otherwise `before`'s. `subresource` (e.g. `status`) names the entry as Kubernetes does.
 */
export function recordUpdate(args: { kind: string; before: KObject | undefined; after: KObject; manager: string; now: string; subresource?: string }): KObject {
  const { kind, before, after, manager, now, subresource } = args;
  const given = readOwners(after);
  const owners = given.length > 0 ? given : before ? readOwners(before) : [];
  const afterBody = bodyOf(after);
  const changes = withoutPathsIn(compareObjects(kind, before ? bodyOf(before) : emptyLike(afterBody), afterBody), UNOWNED);
  const taken = changes.modified.union(changes.added);
  const cleaned = owners.map((o) => ({ ...o, set: o.set.difference(taken).difference(changes.removed) }));
  const previous = cleaned.find((o) => isOwner(o, manager, 'Update', subresource));
  const updater: Owner = {
    manager,
    operation: 'Update',
    apiVersion: after.apiVersion,
    time: taken.isEmpty() && previous ? previous.time : now,
    set: (previous?.set ?? FieldSet.empty()).union(taken),
    ...(subresource ? { subresource } : {}),
    original: previous?.original,
  };
  return withManagedFields(structuredClone(after), [updater, ...cleaned.filter((o) => o !== previous)]);
}

/** One manager's entry, read: its field set, and the entry it came from (to keep it as it was when nothing changed). */
interface Owner {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  subresource?: string;
  set: FieldSet;
  original?: { entry: ManagedFieldsEntry; set: FieldSet };
}

const isOwner = (o: Owner, manager: string, operation: Owner['operation'], subresource?: string) =>
  o.manager === manager && o.operation === operation && (o.subresource ?? '') === (subresource ?? '');

/**
 * The object's entries; none when they are not well formed (Kubernetes then starts its
 * bookkeeping afresh rather than refusing the write).
 */
function readOwners(obj: KObject): Owner[] {
  const entries = (obj.metadata as ManagedObjectMeta | undefined)?.managedFields;
  if (!Array.isArray(entries)) return [];
  try {
    return entries.map((entry: ManagedFieldsEntry, i) => {
      if (!isJsonObject(entry) || typeof entry.manager !== 'string' || (entry.operation !== 'Apply' && entry.operation !== 'Update') || entry.fieldsType !== 'FieldsV1') {
        throw new Error(`managedFields[${i}]: want manager, operation Apply|Update and fieldsType FieldsV1`);
      }
      const set = FieldSet.fromFieldsV1(entry.fieldsV1 ?? {});
      return {
        manager: entry.manager,
        operation: entry.operation,
        apiVersion: String(entry.apiVersion ?? ''),
        time: String(entry.time ?? ''),
        ...(entry.subresource ? { subresource: entry.subresource } : {}),
        set,
        original: { entry, set },
      };
    });
  } catch {
    return [];
  }
}

/** `object` (which the caller owns) carrying `owners` as managedFields, in Kubernetes' order; empty owners go. */
function withManagedFields(object: KObject, owners: Owner[]): KObject {
  const entries = owners.filter((o) => !o.set.isEmpty()).map(toEntry).sort(entryOrder);
  const metadata = { ...object.metadata } as ManagedObjectMeta;
  if (entries.length > 0) metadata.managedFields = entries;
  else delete metadata.managedFields;
  return { ...object, metadata };
}

function toEntry(o: Owner): ManagedFieldsEntry {
  const { original } = o;
  if (original && original.set.equals(o.set) && original.entry.time === o.time && original.entry.apiVersion === o.apiVersion) return structuredClone(original.entry);
  return {
    manager: o.manager,
    operation: o.operation,
    apiVersion: o.apiVersion,
    time: o.time,
    fieldsType: 'FieldsV1',
    fieldsV1: o.set.toFieldsV1(),
    ...(o.subresource ? { subresource: o.subresource } : {}),
  };
}

/** Kubernetes' order: Apply before Update, then by time (to the second), manager, apiVersion, subresource. */
function entryOrder(a: ManagedFieldsEntry, b: ManagedFieldsEntry): number {
  const seconds = (e: ManagedFieldsEntry) => Math.floor((Date.parse(e.time) || 0) / 1000);
  return compareStrings(a.operation, b.operation) || seconds(a) - seconds(b) || compareStrings(a.manager, b.manager) || compareStrings(a.apiVersion, b.apiVersion) || compareStrings(a.subresource ?? '', b.subresource ?? '');
}

const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The object as JSON without its managedFields (bookkeeping, not content). Shares everything
 * below metadata with `obj`: nothing here changes a value it reads, and results are copies.
 */
function bodyOf(obj: KObject, dropMetadata: readonly string[] = ['managedFields']): JsonObject {
  const body: JsonObject = { ...(obj as unknown as JsonObject) };
  if (isJsonObject(body.metadata)) {
    const metadata = { ...body.metadata };
    for (const field of dropMetadata) delete metadata[field];
    body.metadata = metadata;
  }
  return body;
}

/**
 * What a create starts from: Kubernetes compares with an empty object of the kind, in which
 * metadata, spec and status already exist (they are structs, not pointers), so a creator owns
 * the fields in them but not those maps themselves.
 */
function emptyLike(body: JsonObject): JsonObject {
  const empty: JsonObject = { metadata: {} };
  for (const field of ['spec', 'status']) if (isJsonObject(body[field])) empty[field] = {};
  return empty;
}

/** What an apply may set: the configuration without server-kept metadata and without status. */
function appliedIntent(config: KObject): JsonObject {
  const intent = bodyOf(config, SERVER_METADATA);
  delete intent.status;
  return intent;
}

function withoutPaths(set: FieldSet, paths: readonly FieldPath[]): FieldSet {
  return paths.reduce((s, path) => s.withoutSubtree(path), set);
}

function withoutPathsIn(c: Comparison, paths: readonly FieldPath[]): Comparison {
  return { added: withoutPaths(c.added, paths), modified: withoutPaths(c.modified, paths), removed: withoutPaths(c.removed, paths) };
}

/** A deep copy without object fields set to null (an applied null means: not there). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) if (v !== null) setField(out, key, withoutNulls(v));
  return out;
}
