// Where a kind keeps the pod spec its pods run (a Pod's `spec`, a workload's
// `spec.template.spec`), found in the kind's own schema: the place that validates with the shared
// pod spec schema. Rules about pods (Pod Security Admission) then cover every kind that makes
// pods, including kinds added later, without a list to keep in step.
import type { KObject, PodSpec } from '../api/types';
import { podSpec } from '../manifest/pod-fields';
import type { Schema } from '../manifest/schema';
import type { KindDefinition } from './kind';
import { getPath } from './paths';
import { kindDefinition } from './registry';

const found = new Map<string, string | undefined>();

/** The dotted path of the pod spec in objects of this kind, or undefined when it has none. */
export function podSpecPath(def: KindDefinition): string | undefined {
  if (!found.has(def.kind)) found.set(def.kind, search(def.schema, ''));
  return found.get(def.kind);
}

/** The pod spec an object carries and its path, or undefined for kinds without one (or an object missing it). */
export function podSpecOf(obj: KObject): { spec: PodSpec; path: string } | undefined {
  const def = kindDefinition(obj.kind);
  const path = def && podSpecPath(def);
  if (!path) return undefined;
  const spec = getPath(obj, path);
  return spec && typeof spec === 'object' ? { spec: spec as PodSpec, path } : undefined;
}

function search(s: Schema, path: string): string | undefined {
  if (s === podSpec) return path;
  if (s.t !== 'object') return undefined;
  for (const [key, field] of Object.entries(s.fields)) {
    const hit = search(field, path ? `${path}.${key}` : key);
    if (hit !== undefined) return hit;
  }
  return undefined;
}
