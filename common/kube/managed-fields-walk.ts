// Field sets read out of objects: the fields an applied configuration sets (what its manager
// will own) and the fields that differ between two versions of an object (what a write takes).
// Both follow structured-merge-diff's rules, so ownership looks as it does in Kubernetes.
import { invalid } from '../errors';
import { FieldSet, fieldPathString, type FieldPath } from './managed-fields-set';
import { granularList, isAtomicMap, isJsonObject, itemElement, jsonEqual, type GranularList, type JsonObject } from './managed-fields-shape';

/**
 * The fields `config` sets: every scalar, atomic list and atomic map; every item of a keyed or
 * set list (and the fields inside a keyed item); a null or `{}` as the field itself. A map with
 * fields is not itself a member: the applier owns what it put in it. Refuses (Invalid) list items
 * without their key fields and two items with the same key.
 */
export function fieldSetOf(kind: string, config: JsonObject): FieldSet {
  const set = FieldSet.empty();
  addMapFields(kind, [], [], config, set);
  return set;
}

function addMapFields(kind: string, names: readonly string[], path: FieldPath, map: JsonObject, set: FieldSet): void {
  for (const [key, value] of Object.entries(map)) {
    const fieldNames = [...names, key];
    const fieldPath = [...path, `f:${key}`];
    if (isJsonObject(value) && Object.keys(value).length > 0 && !isAtomicMap(fieldNames)) {
      addMapFields(kind, fieldNames, fieldPath, value, set);
      continue;
    }
    const list = Array.isArray(value) ? granularList(kind, fieldNames) : undefined;
    if (Array.isArray(value) && list) addListItems(kind, fieldNames, fieldPath, list, value, set);
    else set.insert(fieldPath);
  }
}

function addListItems(kind: string, names: readonly string[], path: FieldPath, list: GranularList, items: readonly unknown[], set: FieldSet): void {
  const seen = new Set<string>();
  for (const item of items) {
    const element = itemElement(list, item, path, true);
    if (seen.has(element)) throw invalid(`${fieldPathString(path)}: duplicate entries for key ${element.slice(2)}`);
    seen.add(element);
    const itemPath = [...path, element];
    set.insert(itemPath);
    if (isJsonObject(item)) addMapFields(kind, names, itemPath, item, set);
  }
}

/** What changed from `before` to `after`; no path is in two of the sets. */
export interface Comparison {
  /** Present only in `after`: the field and everything under it. */
  added: FieldSet;
  /** Present in both with different values: scalars, atomic lists and maps, type changes. */
  modified: FieldSet;
  /** Present only in `before`: the field and everything under it. */
  removed: FieldSet;
}

export function compareObjects(kind: string, before: JsonObject, after: JsonObject): Comparison {
  const out: Comparison = { added: FieldSet.empty(), modified: FieldSet.empty(), removed: FieldSet.empty() };
  compareMapFields(kind, [], [], before, after, out);
  return out;
}

type Side = 'map' | 'list' | 'scalar';
const sideOf = (value: unknown): Side => (Array.isArray(value) ? 'list' : isJsonObject(value) ? 'map' : 'scalar');
const isEmptyMap = (value: unknown) => value === undefined || (isJsonObject(value) && Object.keys(value).length === 0);
const isEmptyList = (value: unknown) => value === undefined || (Array.isArray(value) && value.length === 0);

function compareMapFields(kind: string, names: readonly string[], path: FieldPath, before: JsonObject | undefined, after: JsonObject | undefined, out: Comparison): void {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) compareValues(kind, [...names, key], [...path, `f:${key}`], before?.[key], after?.[key], out);
}

/** `names` are the field names of the value at `path` (list items left out); one side may be absent. */
function compareValues(kind: string, names: readonly string[], path: FieldPath, before: unknown, after: unknown, out: Comparison): void {
  const sameSide = before === undefined || after === undefined || sideOf(before) === sideOf(after);
  const value = before ?? after;
  let descended = false;
  if (sameSide && isJsonObject(value) && !isAtomicMap(names) && !(isEmptyMap(before) && isEmptyMap(after))) {
    compareMapFields(kind, names, path, before as JsonObject | undefined, after as JsonObject | undefined, out);
    descended = true;
  } else if (sameSide && Array.isArray(value) && !(isEmptyList(before) && isEmptyList(after))) {
    const list = granularList(kind, names);
    if (list) {
      compareListItems(kind, names, path, list, before as unknown[] | undefined, after as unknown[] | undefined, out);
      descended = true;
    }
  }
  if (before === undefined) out.added.insert(path);
  else if (after === undefined) out.removed.insert(path);
  else if (!descended && !jsonEqual(before, after)) out.modified.insert(path);
}

function compareListItems(kind: string, names: readonly string[], path: FieldPath, list: GranularList, before: readonly unknown[] | undefined, after: readonly unknown[] | undefined, out: Comparison): void {
  const beforeItems = itemsByElement(list, before ?? [], path);
  const afterItems = itemsByElement(list, after ?? [], path);
  for (const element of new Set([...beforeItems.keys(), ...afterItems.keys()])) {
    compareValues(kind, names, [...path, element], beforeItems.get(element), afterItems.get(element), out);
  }
}

/** A stored list's items by path element; of items sharing one, the first counts. */
export function itemsByElement(list: GranularList, items: readonly unknown[], path: FieldPath): Map<string, unknown> {
  const byElement = new Map<string, unknown>();
  for (const item of items) {
    const element = itemElement(list, item, path, false);
    if (!byElement.has(element)) byElement.set(element, item);
  }
  return byElement;
}
