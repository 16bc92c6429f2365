// System fields: what the system sets after creation and a re-apply that omits it keeps.
import type { KObject } from '../api/types';
import type { KindDefinition } from './kind';
import { getPath, setPath } from './paths';

/** A field an apply left out: missing, null, or '' (a Service's `clusterIP: ""` asks for the current one). */
const omitted = (v: unknown) => v === undefined || v === null || v === '';

/**
 * `desired` with every system field it omits taken from `existing` (a pod's spec.nodeName, a
 * node's spec.taints), so re-applying a manifest does not undo what the system set. Returns a
 * copy; neither argument is changed.
 */
export function keepSystemFields<T extends KObject>(def: KindDefinition, existing: T, desired: T): T {
  const out = structuredClone(desired);
  for (const path of def.systemFields ?? []) {
    const kept = getPath(existing, path);
    if (omitted(getPath(out, path)) && !omitted(kept)) setPath(out as unknown as Record<string, unknown>, path, structuredClone(kept));
  }
  def.keepSystemValues?.(existing, out);
  return out;
}
