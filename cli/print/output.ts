// `-o json` / `-o yaml`, shaped like kubectl's: keys sorted, lists wrapped in a v1 List.
import { stringify } from 'yaml';
import type { KObject } from '../../common/api/types';

export interface ListObject {
  apiVersion: 'v1';
  kind: 'List';
  items: unknown[];
  metadata: { resourceVersion: string };
}

/** kubectl's wrapper for several objects. */
export function toList(items: readonly unknown[]): ListObject {
  return { apiVersion: 'v1', kind: 'List', items: [...items], metadata: { resourceVersion: '' } };
}

/** Object keys sorted at every level, as kubectl (which prints through Go maps) emits them. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

/** 2-space JSON with a trailing newline. */
export function toJson(obj: unknown): string {
  return JSON.stringify(sortKeys(obj), null, 2) + '\n';
}

/** YAML in kubectl's style: sequences not indented under their key, no line folding, no anchors. */
export function toYaml(obj: unknown): string {
  return stringify(sortKeys(obj), { indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });
}

export type OutputFormat = 'json' | 'yaml';

/**
 * `-o json|yaml` for a get: a single object as itself (`kite get pod x`), otherwise a List
 * (`kite get pods`, even with one item, as kubectl).
 */
export function printObjects(format: OutputFormat, objects: KObject | readonly KObject[]): string {
  const value = Array.isArray(objects) ? toList(objects) : objects;
  return format === 'json' ? toJson(value) : toYaml(value);
}
