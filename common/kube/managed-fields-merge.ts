// The two value operations of server-side apply: merging an applied configuration into the
// stored object, and pruning what the applier set last time, no longer sets, and nobody owns.
// Neither changes its arguments; their results share subtrees with them (copy before changing).
import type { FieldPath } from './managed-fields-set';
import { FieldSet } from './managed-fields-set';
import { granularList, isAtomicMap, isJsonObject, itemElement, setField, type GranularList, type JsonObject } from './managed-fields-shape';
import { itemsByElement } from './managed-fields-walk';

/**
 * `live` with `config` merged in: maps field by field, keyed lists item by item (matched by key),
 * set lists by value; scalars, atomic lists and atomic maps are replaced. Merged list items
 * follow the config's order; items only in `live` keep their place among them.
 */
export function mergeObjects(kind: string, live: JsonObject, config: JsonObject): JsonObject {
  return mergeMaps(kind, [], [], live, config);
}

function mergeValues(kind: string, names: readonly string[], path: FieldPath, live: unknown, config: unknown): unknown {
  if (config === undefined) return live;
  if (isJsonObject(live) && isJsonObject(config) && !isAtomicMap(names)) return mergeMaps(kind, names, path, live, config);
  if (Array.isArray(live) && Array.isArray(config)) {
    const list = granularList(kind, names);
    if (list) return mergeLists(kind, names, path, list, live, config);
  }
  return config;
}

function mergeMaps(kind: string, names: readonly string[], path: FieldPath, live: JsonObject, config: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(live)) setField(out, key, Object.hasOwn(config, key) ? mergeValues(kind, [...names, key], [...path, `f:${key}`], value, config[key]) : value);
  for (const [key, value] of Object.entries(config)) if (!Object.hasOwn(live, key)) setField(out, key, value);
  return out;
}

function mergeLists(kind: string, names: readonly string[], path: FieldPath, list: GranularList, live: readonly unknown[], config: readonly unknown[]): unknown[] {
  const liveItems = itemsByElement(list, live, path);
  const configElements = config.map((item) => itemElement(list, item, path, true));
  const configIndex = new Map(configElements.map((element, i) => [element, i]));
  const out: unknown[] = [];
  const emitted = new Set<string>();
  let next = 0;
  const emitConfigThrough = (last: number) => {
    for (; next <= last; next++) {
      const element = configElements[next]!;
      emitted.add(element);
      out.push(mergeValues(kind, names, [...path, element], liveItems.get(element), config[next]));
    }
  };
  for (const item of live) {
    const element = itemElement(list, item, path, false);
    const at = configIndex.get(element);
    if (at === undefined) out.push(item);
    else if (!emitted.has(element)) emitConfigThrough(at);
  }
  emitConfigThrough(config.length - 1);
  return out;
}

/**
 * `merged` without what the applier owned after its previous apply (`previous`) that no manager
 * owns now (`owned`: every manager's set, the applier's new one included). A field goes whole
 * when nothing under it is owned; a list item goes whole when the item itself is not owned (its
 * owners' fields inside it go with it, as in Kubernetes). A map or list left empty by pruning goes.
 */
export function pruneUnowned(kind: string, merged: JsonObject, previous: FieldSet, owned: FieldSet): JsonObject {
  return pruneMap(kind, [], merged, previous, owned);
}

function pruneMap(kind: string, names: readonly string[], map: JsonObject, previous: FieldSet, owned: FieldSet | undefined): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(map)) {
    const element = `f:${key}`;
    const was = previous.child(element);
    const is = owned?.child(element);
    if (!was) setField(out, key, value);
    else if (!is) continue;
    else {
      const kept = pruneInside(kind, [...names, key], value, was, is);
      if (kept !== EMPTIED) setField(out, key, kept);
    }
  }
  return out;
}

function pruneList(kind: string, names: readonly string[], list: GranularList, items: readonly unknown[], previous: FieldSet, owned: FieldSet | undefined): unknown[] {
  const out: unknown[] = [];
  for (const item of items) {
    const element = itemElement(list, item, [], false);
    const was = previous.child(element);
    const is = owned?.child(element);
    if (!was) out.push(item);
    else if (was.isMember && !is?.isMember) continue;
    else if (list.type === 'map' && isJsonObject(item)) out.push(pruneMap(kind, names, item, was, is));
    else out.push(item);
  }
  return out;
}

const EMPTIED = Symbol('emptied by pruning');

/** A kept field whose insides the applier also had a hand in: prune them in turn. */
function pruneInside(kind: string, names: readonly string[], value: unknown, previous: FieldSet, owned: FieldSet): unknown {
  let pruned: unknown = value;
  if (isJsonObject(value) && !isAtomicMap(names)) pruned = pruneMap(kind, names, value, previous, owned);
  else if (Array.isArray(value)) {
    const list = granularList(kind, names);
    if (list) pruned = pruneList(kind, names, list, value, previous, owned);
  }
  const wasFull = isJsonObject(value) ? Object.keys(value).length > 0 : Array.isArray(value) && value.length > 0;
  const nowEmpty = isJsonObject(pruned) ? Object.keys(pruned).length === 0 : Array.isArray(pruned) && pruned.length === 0;
  return wasFull && nowEmpty ? EMPTIED : pruned;
}
