// What server-side apply needs to know about the shape of a value at a path: whether a map is
// walked field by field or is one atomic value, how a list merges (list-types.ts), and the path
// element that names a list item. Kite has no OpenAPI schema; maps are granular unless named
// here, lists atomic unless list-types.ts says otherwise.
import { invalid } from '../errors';
import { listTypeAt, type ListType } from './list-types';
import { fieldPathString, type FieldPath } from './managed-fields-set';

export type JsonObject = Record<string, unknown>;

export type GranularList = Exclude<ListType, { type: 'atomic' }>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets `key` as an own field even when it is `__proto__` (bodies come from the network). */
export function setField(target: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** JSON equality: same scalars, same lists in the same order, same object fields in any order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (!isJsonObject(a) || !isJsonObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
}

/**
 * Maps Kubernetes marks atomic (`x-kubernetes-map-type: atomic`): label selectors, and a
 * Service's selector. An apply sets them whole, and one manager owns them whole.
 */
const ATOMIC_MAPS = new Set(['selector', 'labelSelector', 'namespaceSelector']);

/** `names`: field names from the root, list items left out (as list-types.ts takes them). */
export function isAtomicMap(names: readonly string[]): boolean {
  return ATOMIC_MAPS.has(names[names.length - 1] ?? '');
}

/** The list's type when it merges item by item; undefined when it is atomic. */
export function granularList(kind: string, names: readonly string[]): GranularList | undefined {
  const type = listTypeAt(kind, names);
  return type.type === 'atomic' ? undefined : type;
}

/**
 * Key fields Kubernetes defaults, so an item that leaves them out names the same item as the
 * stored one that has them (a container port without `protocol` is the TCP one).
 */
const KEY_DEFAULTS: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

/**
 * The path element naming `item` in a list of type `list`: `k:{"name":"web"}` (key fields sorted
 * by name, as structured-merge-diff writes them) or `v:"value"`. With `strict` (an applied
 * configuration), an item without its key fields is refused; otherwise (stored objects) the key
 * is made of the fields the item has.
 */
export function itemElement(list: GranularList, item: unknown, where: FieldPath, strict: boolean): string {
  if (list.type === 'set') {
    if (strict && (isJsonObject(item) || Array.isArray(item))) throw invalid(`${fieldPathString(where)}: a set list holds scalars, not ${Array.isArray(item) ? 'a list' : 'an object'}`);
    return `v:${JSON.stringify(item)}`;
  }
  if (!isJsonObject(item)) {
    if (strict) throw invalid(`${fieldPathString(where)}: items of this list are objects keyed by ${list.keys.join(', ')}`);
    return `v:${JSON.stringify(item)}`;
  }
  const key: JsonObject = {};
  for (const name of [...list.keys].sort()) {
    const value = item[name] ?? KEY_DEFAULTS[name];
    if (value === undefined || value === null) {
      if (strict) throw invalid(`${fieldPathString(where)}: an item has no ${name}, a key of this list (${list.keys.join(', ')})`);
      continue;
    }
    key[name] = value;
  }
  return `k:${JSON.stringify(key)}`;
}
