// The PATCH verb's bodies: one entry point that picks the format by Content-Type and keeps the
// object's identity (kind, apiVersion, name, namespace) as Kubernetes does. Server-side apply
// (application/apply-patch+yaml) is not a patch format here: the HTTP edge routes it elsewhere.

import type { KObject } from '../../api/types';
import { invalid, KiteError } from '../../errors';
import { applyJsonPatch } from './json-patch';
import { applyMergePatch } from './json-merge-patch';
import { isJsonObject } from './json-value';
import { applyStrategicMergePatch } from './strategic-merge-patch';

export { applyJsonPatch } from './json-patch';
export { applyMergePatch } from './json-merge-patch';
export { applyStrategicMergePatch } from './strategic-merge-patch';

export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

/** The formats applyPatch takes, as a PATCH's Content-Type names them. */
export const PATCH_CONTENT_TYPES: readonly string[] = [STRATEGIC_MERGE_PATCH, MERGE_PATCH, JSON_PATCH];

/** A PATCH in a format Kite does not take: the HTTP edge answers 415 Unsupported Media Type. */
export class UnsupportedPatchType extends KiteError {
  readonly unsupportedMediaType = true;

  constructor(readonly contentType: string) {
    super('Invalid', `unsupported patch content type ${JSON.stringify(contentType)}; use one of ${[...PATCH_CONTENT_TYPES, APPLY_PATCH].join(', ')}`);
    this.name = 'UnsupportedPatchType';
  }
}

export function isUnsupportedPatchType(e: unknown): e is UnsupportedPatchType {
  return e instanceof UnsupportedPatchType;
}

/** The media type alone, without parameters such as `; charset=utf-8`. */
const mediaType = (contentType: string) => (contentType.split(';')[0] ?? '').trim().toLowerCase();

/** Whether the PATCH is server-side apply, which applyPatch does not handle. */
export function isApplyPatch(contentType: string): boolean {
  return mediaType(contentType) === APPLY_PATCH;
}

/**
 * Applies a PATCH body to `original` (of `kind`, which decides how strategic merge patch merges
 * lists). Throws UnsupportedPatchType for another Content-Type, and a KiteError `Invalid` for a
 * malformed patch or one that would change the object's kind, apiVersion, name or namespace.
 */
export function applyPatch(contentType: string, kind: string, original: KObject, patchBody: unknown): KObject {
  const patched = patchWith(mediaType(contentType), contentType, kind, original, patchBody);
  return keepingIdentity(original, patched);
}

function patchWith(type: string, contentType: string, kind: string, original: KObject, patchBody: unknown): unknown {
  switch (type) {
    case STRATEGIC_MERGE_PATCH:
      return applyStrategicMergePatch(kind, original, patchBody);
    case MERGE_PATCH:
      return applyMergePatch(original, patchBody);
    case JSON_PATCH:
      return applyJsonPatch(original, patchBody);
    default:
      throw new UnsupportedPatchType(contentType);
  }
}

/** Fields a patch may not change: they say which object this is (Kubernetes refuses too). */
const IDENTITY: readonly (readonly [string, (o: Record<string, unknown>) => unknown])[] = [
  ['kind', (o) => o.kind],
  ['apiVersion', (o) => o.apiVersion],
  ['metadata.name', (o) => (isJsonObject(o.metadata) ? o.metadata.name : undefined)],
  // A cluster-scoped object has no namespace; "" says the same.
  ['metadata.namespace', (o) => (isJsonObject(o.metadata) ? o.metadata.namespace : undefined) ?? ''],
];

function keepingIdentity(original: KObject, patched: unknown): KObject {
  if (!isJsonObject(patched)) throw invalid('the patched object is not a JSON object');
  const before = original as unknown as Record<string, unknown>;
  for (const [field, read] of IDENTITY) {
    const was = read(before);
    const is = read(patched);
    if (was !== is) throw invalid(`a patch may not change ${field} (${JSON.stringify(was ?? null)} to ${JSON.stringify(is ?? null)})`);
  }
  if (!isJsonObject(patched.metadata)) throw invalid('the patched object has no metadata');
  return patched as unknown as KObject;
}
