// Kubernetes defaulting for Kite's kinds. Pure: returns a new object and never mutates its input;
// applying it twice gives the same result as applying it once. Each kind's defaults live in its
// module in common/kinds/; the pod spec and template defaults they share are in pod-defaults.ts.
import type { KObject } from '../api/types';
import { DEFAULT_NAMESPACE, kindDefinition } from '../kinds/registry';
import { child } from './pod-defaults';
import type { Obj } from './schema';

export { defaultPullPolicy } from './pod-defaults';

/** Returns a defaulted deep copy of obj; obj itself is left untouched. */
export function applyDefaults<T extends KObject>(obj: T): T {
  const out = structuredClone(obj);
  const def = kindDefinition(out.kind);
  const md = child(out as unknown as Obj, 'metadata');
  if (def?.namespaced) {
    if (md.namespace == null || md.namespace === '') md.namespace = DEFAULT_NAMESPACE;
  } else if (def) {
    delete md.namespace;
  }
  def?.defaults?.(out);
  return out;
}
