// Reading and writing an object's fields by dotted path ("spec.template.spec"), for the rules
// kinds declare as data (immutable fields, system fields).
import { canonicalJson } from '../canonical';
import { type Obj, isObj } from '../manifest/schema';

/** The value at a dotted path, or undefined when any step is missing. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** Sets the value at a dotted path, creating the mappings on the way. Mutates obj. */
export function setPath(obj: Obj, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let cur = obj;
  for (const key of keys) {
    const next = cur[key];
    if (isObj(next)) {
      cur = next;
    } else {
      const created: Obj = {};
      cur[key] = created;
      cur = created;
    }
  }
  cur[last] = value;
}

/** Equal in content: field order does not matter, and a missing field equals null. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * The first place two values differ, as a field path under `path` ("spec.containers[0].env"),
 * or undefined when they are equal.
 */
export function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (sameValue(a, b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return path;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return path;
  }
  if (isObj(a) && isObj(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const d = firstDifference(a[key], b[key], path ? `${path}.${key}` : key);
      if (d) return d;
    }
    return path;
  }
  return path;
}
