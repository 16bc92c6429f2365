// JSON merge patch (RFC 7386, application/merge-patch+json): an object patch merges field by
// field, `null` deletes a field, and anything else (a list included) replaces the value whole.
// Pure: the inputs are never changed and the result shares nothing with them.

import { isJsonObject, setField, type JsonObject } from './json-value';

export function applyMergePatch(original: unknown, patch: unknown): unknown {
  return mergeInto(structuredClone(original), patch);
}

/** `target` is the caller's own copy; the patch is read only. */
function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return structuredClone(patch);
  const out: JsonObject = isJsonObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else setField(out, key, mergeInto(Object.hasOwn(out, key) ? out[key] : undefined, value));
  }
  return out;
}
