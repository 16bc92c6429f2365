// Strategic merge patch (application/strategic-merge-patch+json) as the Kubernetes API server
// applies it (apimachinery pkg/util/strategicpatch, StrategicMergePatch). It is JSON merge patch
// (a map merges field by field, `null` deletes a field) except that a list Kubernetes declares
// mergeable merges element by element instead of being replaced, and that the patch may carry
// directives:
//
//   {"$patch": "replace"}              in a map: the map becomes the patch's fields;
//                                      as a list element: the list becomes the patch's elements
//   {"$patch": "delete"}               in a map: the map becomes empty
//   {"$patch": "delete", "name": "x"}  in a keyed list: every element with that key goes
//   {"$patch": "merge"}                the default, said out loud
//   "$setElementOrder/<list>": [...]   the order of the merged list (elements the patch names
//                                      first in that order, the others slotted in by live order)
//   "$retainKeys": [...]               the map keeps only these fields, then merges
//   "$deleteFromPrimitiveList/<list>": [...]  values to take out of a list of values
//
// Which lists merge, and by which key, comes from common/kube/list-types.ts: keyed lists
// (containers by name) merge element by element, set lists (finalizers) are a union, and every
// other list is atomic: the patch's list replaces the live one.
//
// Where Kite departs from apimachinery, on purpose:
// - Keyed-list elements match on the first key and also on the list's other keys wherever both
//   elements have them, so a container's UDP port 53 and TCP port 53 stay two ports (Kubernetes
//   matches on containerPort alone and merges them, kubernetes/kubernetes#39188). The other side
//   of that: a patch element that changes such a key (protocol TCP → UDP) adds an element.
// - `$patch: merge` is accepted as the default it names; apimachinery refuses it when applying.
// - A map carrying `$patch: replace` where the live object has no such map becomes the patch's
//   fields; apimachinery drops it.
//
// Pure: the inputs are never changed and the result shares nothing with them.

import { invalid } from '../../errors';
import { listTypeAt, type ListType } from '../list-types';
import { isJsonObject, isJsonPrimitive, setField, type JsonObject } from './json-value';
import { orderMergedList, type SameElement } from './list-order';

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

/** What mergeValue answers when the field must not exist afterwards. */
const ABSENT = Symbol('absent');

/** Where a value sits: the field names list-types.ts wants (list items left out), and the text errors print. */
interface Where {
  readonly kind: string;
  readonly fields: readonly string[];
  readonly text: string;
}

const fieldOf = (at: Where, name: string): Where => ({ kind: at.kind, fields: [...at.fields, name], text: at.text ? `${at.text}.${name}` : name });
const elementOf = (at: Where, index: number): Where => ({ ...at, text: `${at.text}[${index}]` });
const bad = (at: Where, problem: string) => invalid(`strategic merge patch: ${at.text || 'the patch'}: ${problem}`);

/**
 * Applies a strategic merge patch to `original`, an object of `kind` (which decides how each list
 * merges). Throws a KiteError `Invalid` naming the field for a malformed patch.
 */
export function applyStrategicMergePatch(kind: string, original: unknown, patch: unknown): unknown {
  const root: Where = { kind, fields: [], text: '' };
  if (!isJsonObject(patch)) throw bad(root, 'must be a JSON object');
  if (!isJsonObject(original)) throw invalid('strategic merge patch: the object to patch is not a JSON object');
  // Working on a copy lets every merge keep the untouched parts of the live object as they are.
  return mergeMap(structuredClone(original), patch, root);
}

function mergeMap(live: JsonObject, patch: JsonObject, at: Where): JsonObject {
  const directive = ownField(patch, PATCH);
  if (directive === 'replace') return mergeMap({}, withoutField(patch, PATCH), at);
  if (directive === 'delete') return {};
  if (directive !== undefined && directive !== 'merge') throw badDirective(fieldOf(at, PATCH), directive);

  const out = retainedFields(live, patch, at);
  const alreadyMerged = mergeOrderedLists(out, patch, at);
  for (const [key, value] of Object.entries(patch)) {
    if (isDirectiveKey(key) || alreadyMerged.has(key)) continue;
    const merged = value === null ? ABSENT : mergeValue(ownField(out, key), value, fieldOf(at, key));
    if (merged === ABSENT) delete out[key];
    else setField(out, key, merged);
  }
  deleteFromPrimitiveLists(out, patch, at);
  return out;
}

function mergeValue(live: unknown, patch: unknown, at: Where): unknown {
  if (isJsonObject(patch)) {
    if (isJsonObject(live)) return mergeMap(live, patch, at);
    // Nothing to merge into: the patch's content is the value, and deleting deletes the field.
    return ownField(patch, PATCH) === 'delete' ? ABSENT : mergeMap({}, patch, at);
  }
  if (Array.isArray(patch)) return mergeList(Array.isArray(live) ? live : [], patch, at);
  return patch;
}

function mergeList(live: readonly unknown[], patch: readonly unknown[], at: Where): unknown[] {
  const type = listTypeAt(at.kind, at.fields);
  if (type.type === 'map') return mergeKeyedElements(live, patch, type.keys, at).ordered;
  if (type.type === 'set') return mergeSetList(live, patch, at);
  // Atomic: the patch's list is the list. A directive element means nothing here; drop it.
  return structuredClone(patch.filter((element) => !hasDirective(element)));
}

interface KeyedMerge {
  /** The merged list in the order the patch asks for. */
  ordered: unknown[];
  /**
   * The live order the $setElementOrder step compares with. apimachinery reads it from the live
   * list's storage after the merge has reused it: deleted elements' places are taken by the
   * elements after them, then by the new elements. Kite reproduces the outcome (the list after
   * deletions, then the new elements, cut to the live list's length) so that an element added
   * and another deleted in one kubectl apply land where Kubernetes puts them.
   */
  liveOrder: unknown[];
}

function mergeKeyedElements(live: readonly unknown[], patch: readonly unknown[], keys: readonly string[], at: Where): KeyedMerge {
  const mergeKey = keys[0] ?? '';
  const same: SameElement = (a, b) => sameElement(a, b, keys);
  let base = [...live];
  let replace = false;
  const entries: { element: JsonObject; at: Where }[] = [];
  patch.forEach((element, i) => {
    const elementAt = elementOf(at, i);
    if (!isJsonObject(element)) throw bad(elementAt, `must be an object: the list merges by "${mergeKey}"`);
    const directive = ownField(element, PATCH);
    if (directive === undefined) {
      requireMergeKey(element, mergeKey, elementAt);
      entries.push({ element, at: elementAt });
    } else if (directive === 'delete') {
      requireMergeKey(element, mergeKey, elementAt);
      base = base.filter((candidate) => !same(candidate, element));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive !== 'merge') {
      throw badDirective(fieldOf(elementAt, PATCH), directive);
    }
  });
  if (replace) base = [];

  // Elements the live list has merge in place; new ones go at the end, then all are ordered.
  const merged: unknown[] = [...base];
  for (const { element, at: elementAt } of entries) {
    const i = merged.findIndex((candidate) => same(candidate, element));
    const target = merged[i];
    if (isJsonObject(target)) merged[i] = mergeMap(target, element, elementAt);
    else merged.push(mergeMap({}, element, elementAt));
  }
  const ordered = orderMergedList(
    merged,
    entries.map((entry) => entry.element),
    base,
    same,
  );
  return { ordered, liveOrder: replace ? [...live] : merged.slice(0, live.length) };
}

function mergeSetList(live: readonly unknown[], patch: readonly unknown[], at: Where): unknown[] {
  let replace = false;
  const values: unknown[] = [];
  patch.forEach((element, i) => {
    const elementAt = elementOf(at, i);
    if (isJsonObject(element) && ownField(element, PATCH) !== undefined) {
      const directive = ownField(element, PATCH);
      if (directive === 'replace') replace = true;
      else if (directive === 'delete') throw bad(elementAt, `a list of values takes no "$patch": "delete" element; use ${DELETE_FROM_PRIMITIVE_LIST}<list>`);
      else if (directive !== 'merge') throw badDirective(fieldOf(elementAt, PATCH), directive);
      return;
    }
    if (!isJsonPrimitive(element)) throw bad(elementAt, 'must be a string, number or boolean: the list is a set of values');
    values.push(element);
  });
  const base = replace ? [] : live;
  const union: unknown[] = [];
  for (const value of [...base, ...values]) if (!union.includes(value)) union.push(value);
  return orderMergedList(union, values, base, (a, b) => a === b);
}

/**
 * `$retainKeys`: the live map keeps only the fields listed, and the patch may set no other field
 * (a discriminated union such as a Deployment's strategy: switching type drops the old type's
 * fields).
 */
function retainedFields(live: JsonObject, patch: JsonObject, at: Where): JsonObject {
  const retain = ownField(patch, RETAIN_KEYS);
  if (retain === undefined) return { ...live };
  const retainAt = fieldOf(at, RETAIN_KEYS);
  if (!Array.isArray(retain) || !retain.every((name) => typeof name === 'string')) throw bad(retainAt, 'must be a list of field names');
  const keep = new Set<string>(retain);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || isDirectiveKey(key) || keep.has(key)) continue;
    throw bad(retainAt, `does not name "${key}", which the patch sets`);
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(live)) if (keep.has(key)) setField(out, key, value);
  return out;
}

/**
 * `$setElementOrder/<list>`: merges each list the patch orders and puts it in that order.
 * Answers the lists done, which the field-by-field merge must then leave alone.
 */
function mergeOrderedLists(out: JsonObject, patch: JsonObject, at: Where): Set<string> {
  const done = new Set<string>();
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const orderAt = fieldOf(at, key);
    const field = key.slice(SET_ELEMENT_ORDER.length);
    if (field === '') throw bad(orderAt, 'names no list');
    if (!Array.isArray(order)) throw bad(orderAt, 'must be a list');
    const listAt = fieldOf(at, field);
    const type = listTypeAt(at.kind, listAt.fields);
    // An atomic list is the patch's list, in the patch's order; a list being deleted has none.
    const patchList = ownField(patch, field);
    if (type.type === 'atomic' || patchList === null) continue;
    if (patchList !== undefined && !Array.isArray(patchList)) throw bad(listAt, `must be a list, as ${key} orders it`);
    const same = sameElementFor(type);
    checkElementOrder(order, patchList ?? [], type, orderAt, listAt);

    const live = ownField(out, field);
    const liveList = Array.isArray(live) ? live : undefined;
    if (liveList === undefined && patchList === undefined) continue;
    const { merged, liveOrder } = mergeForOrdering(liveList ?? [], patchList, type, listAt);
    setField(out, field, orderMergedList(merged, order, liveOrder, same));
    done.add(field);
  }
  return done;
}

/** A keyed or set list merged, and the live order its $setElementOrder is applied against. */
function mergeForOrdering(live: readonly unknown[], patch: readonly unknown[] | undefined, type: ListType, at: Where): { merged: unknown[]; liveOrder: readonly unknown[] } {
  if (patch === undefined) return { merged: [...live], liveOrder: live };
  if (type.type === 'map') {
    const { ordered, liveOrder } = mergeKeyedElements(live, patch, type.keys, at);
    return { merged: ordered, liveOrder };
  }
  return { merged: mergeSetList(live, patch, at), liveOrder: live };
}

/** The order list names elements as the list does, and names the patch's elements in the patch's order. */
function checkElementOrder(order: readonly unknown[], patchList: readonly unknown[], type: ListType, orderAt: Where, listAt: Where): void {
  const keys = type.type === 'map' ? type.keys : [];
  const mergeKey = keys[0];
  order.forEach((element, i) => {
    if (mergeKey !== undefined) {
      if (!isJsonObject(element)) throw bad(elementOf(orderAt, i), `must be an object naming its "${mergeKey}"`);
      requireMergeKey(element, mergeKey, elementOf(orderAt, i));
    } else if (!isJsonPrimitive(element)) {
      throw bad(elementOf(orderAt, i), 'must be a string, number or boolean');
    }
  });
  const same = sameElementFor(type);
  let o = 0;
  patchList.forEach((element, i) => {
    if (hasDirective(element)) return;
    if (mergeKey !== undefined && isJsonObject(element)) requireMergeKey(element, mergeKey, elementOf(listAt, i));
    while (o < order.length && !same(element, order[o])) o++;
    if (o === order.length) throw bad(orderAt, `does not name ${listAt.text}[${i}] in the patch's order`);
    o++;
  });
}

/** `$deleteFromPrimitiveList/<list>`: takes values out of a list of values, if the list is there. */
function deleteFromPrimitiveLists(out: JsonObject, patch: JsonObject, at: Where): void {
  for (const [key, values] of Object.entries(patch)) {
    if (!key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
    const deleteAt = fieldOf(at, key);
    const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
    if (field === '') throw bad(deleteAt, 'names no list');
    if (!Array.isArray(values) || !values.every(isJsonPrimitive)) throw bad(deleteAt, 'must be a list of strings, numbers or booleans');
    const live = ownField(out, field);
    if (Array.isArray(live)) setField(out, field, live.filter((value) => !values.includes(value)));
  }
}

/**
 * Keyed-list elements are the same element when their first key is equal and every other key
 * that both carry is equal too (container port 53 with protocol UDP is not port 53 with TCP).
 */
function sameElement(a: unknown, b: unknown, keys: readonly string[]): boolean {
  if (!isJsonObject(a) || !isJsonObject(b)) return false;
  const [first, ...others] = keys;
  if (first === undefined) return false;
  const key = ownField(a, first);
  if (key === undefined || key === null || key !== ownField(b, first)) return false;
  return others.every((other) => {
    const valueA = ownField(a, other);
    const valueB = ownField(b, other);
    return valueA == null || valueB == null || valueA === valueB;
  });
}

const sameElementFor = (type: ListType): SameElement => (type.type === 'map' ? (a, b) => sameElement(a, b, type.keys) : (a, b) => a === b);

function requireMergeKey(element: JsonObject, mergeKey: string, at: Where): void {
  if (!isJsonPrimitive(ownField(element, mergeKey))) throw bad(at, `has no merge key "${mergeKey}"`);
}

const badDirective = (at: Where, value: unknown) => bad(at, `must be "replace", "delete" or "merge", not ${JSON.stringify(value)}`);

const isDirectiveKey = (key: string) =>
  key === PATCH || key === RETAIN_KEYS || key.startsWith(SET_ELEMENT_ORDER) || key.startsWith(DELETE_FROM_PRIMITIVE_LIST);

const hasDirective = (element: unknown) => isJsonObject(element) && ownField(element, PATCH) !== undefined;

/** A field of the object itself, never one inherited (a patch may name `__proto__` or `constructor`). */
const ownField = (object: JsonObject, key: string): unknown => (Object.hasOwn(object, key) ? object[key] : undefined);

function withoutField(object: JsonObject, key: string): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(object)) if (k !== key) setField(out, k, v);
  return out;
}
