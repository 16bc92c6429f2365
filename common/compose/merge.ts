// Merging Compose files as the Compose specification's merge rules say: mappings merge key by key,
// sequences append (without duplicates), command/entrypoint/healthcheck.test are replaced, ports,
// volumes, secrets and configs merge by their unique key, and !reset / !override change that.
import { MergeTag } from './read';
import { parsePortSpec } from './ports';
import { volumeTarget } from './volumes';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof MergeTag);

/** Service keys whose value replaces the earlier one instead of merging. */
const REPLACED = new Set(['command', 'entrypoint']);

/** Service keys written as a list of KEY=VALUE or a mapping: merged as mappings. */
const KEY_VALUE_KEYS = new Set(['environment', 'labels', 'annotations', 'extra_hosts', 'sysctls']);

/** `["A=1", "B"]` -> `{A: "1", B: null}`; a mapping stays as it is. */
export function keyValueMapping(v: unknown, separator = '='): Obj {
  if (isObj(v)) return v;
  if (!Array.isArray(v)) return {};
  const out: Obj = {};
  for (const item of v) {
    const s = String(item);
    const i = s.indexOf(separator);
    if (i < 0) out[s] = null;
    else out[s.slice(0, i)] = s.slice(i + 1);
  }
  return out;
}

/** depends_on's short form as the long one. */
export function dependsOnMapping(v: unknown): Obj {
  if (isObj(v)) return v;
  if (!Array.isArray(v)) return {};
  return Object.fromEntries(v.map((s) => [String(s), { condition: 'service_started' }]));
}

function uniqueKeyOf(key: string, item: unknown): string | undefined {
  try {
    switch (key) {
      case 'ports':
        return parsePortSpec(item as string | number | Obj)
          .map((p) => `${p.hostIp ?? ''}/${p.target}/${p.published ?? ''}/${p.protocol}`)
          .join(',');
      case 'volumes':
        return volumeTarget(item);
      case 'secrets':
      case 'configs':
        if (typeof item === 'string') return item;
        if (isObj(item)) return String(item.target ?? item.source);
        return undefined;
      default:
        return JSON.stringify(item);
    }
  } catch {
    // An entry that does not parse is kept as written; validation reports it.
    return JSON.stringify(item);
  }
}

/** Appends `over` to `base`; an item with the same unique key replaces the earlier one. */
function mergeSequence(key: string, base: unknown[], over: unknown[]): unknown[] {
  const out = [...base];
  for (const item of over) {
    const k = uniqueKeyOf(key, item);
    const at = out.findIndex((x) => uniqueKeyOf(key, x) === k);
    if (at >= 0) out[at] = item;
    else out.push(item);
  }
  return out;
}

function normaliseServiceValue(key: string, v: unknown): unknown {
  if (KEY_VALUE_KEYS.has(key)) return key === 'extra_hosts' && Array.isArray(v) ? keyValueMapping(v.map((s) => String(s).replace(/^([^=:]+):/, '$1=')), '=') : keyValueMapping(v);
  if (key === 'depends_on') return dependsOnMapping(v);
  if (key === 'networks' && Array.isArray(v)) return Object.fromEntries(v.map((n) => [String(n), null]));
  return v;
}

function mergeValue(key: string, path: string[], base: unknown, over: unknown): unknown {
  if (over instanceof MergeTag) return over.tag === 'reset' ? undefined : stripTags(over.value);
  if (base === undefined) return stripTags(over);
  const inService = path.length === 2 && path[0] === 'services';
  if (inService) {
    base = normaliseServiceValue(key, base);
    over = normaliseServiceValue(key, over);
    if (REPLACED.has(key)) return stripTags(over);
  }
  if (path.length === 3 && path[0] === 'services' && path[2] === 'healthcheck' && key === 'test') return stripTags(over);
  if (isObj(base) && isObj(over)) return mergeMappings(base, over, [...path, key]);
  if (Array.isArray(base) && Array.isArray(over)) return mergeSequence(key, base, over.map(stripTags));
  return stripTags(over);
}

function mergeMappings(base: Obj, over: Obj, path: string[]): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const merged = mergeValue(k, path, base[k], v);
    if (merged === undefined) delete out[k];
    else out[k] = merged;
  }
  return out;
}

/** A value with its !reset/!override tags resolved (a single file, or what an override brings). */
export function stripTags(v: unknown): unknown {
  if (v instanceof MergeTag) return v.tag === 'reset' ? undefined : stripTags(v.value);
  if (Array.isArray(v)) return v.map(stripTags).filter((x) => x !== undefined);
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      const s = stripTags(x);
      if (s !== undefined) out[k] = s;
    }
    return out;
  }
  return v;
}

/** Merges Compose files in order: each later file overrides the earlier ones. */
export function mergeComposeFiles(files: Obj[]): Obj {
  let out: Obj = {};
  for (const f of files) out = mergeMappings(out, f, []);
  return stripTags(out) as Obj;
}
