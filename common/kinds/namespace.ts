// Namespace: a scope for names; deleting one deletes everything in it.
import type { Namespace } from '../api/types';
import { S, base, err, set, status } from '../manifest/fields';
import { dns1123LabelError } from '../manifest/names';
import { isObj, join } from '../manifest/schema';
import { ageOf } from '../print/age';
import type { KindDefinition } from './kind';

/** The Pod Security Standards levels, most open first (Kubernetes' Pod Security Admission). */
export const POD_SECURITY_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];
/** The namespace label naming the level its pods must meet. */
export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
/** A namespace without the label: refuses the known privilege escalations, as Kite's default. */
export const DEFAULT_POD_SECURITY_LEVEL: PodSecurityLevel = 'baseline';

export const isPodSecurityLevel = (v: unknown): v is PodSecurityLevel => (POD_SECURITY_LEVELS as readonly unknown[]).includes(v);

/** The level a namespace enforces (its label, or the default); undefined namespace: the default. */
export function podSecurityLevel(ns: Namespace | undefined): PodSecurityLevel {
  const label = ns?.metadata.labels?.[POD_SECURITY_ENFORCE_LABEL];
  return isPodSecurityLevel(label) ? label : DEFAULT_POD_SECURITY_LEVEL;
}

export function namespacePhase(ns: Namespace): string {
  return ns.status?.phase || (ns.metadata.deletionTimestamp ? 'Terminating' : 'Active');
}

export const namespaceKind: KindDefinition<Namespace> = {
  kind: 'Namespace',
  apiVersion: 'v1',
  plural: 'namespaces',
  singular: 'namespace',
  shortNames: ['ns'],
  namespaced: false,
  schema: S.obj(
    { ...base, ...status, spec: S.obj({}, { unsupported: set('finalizers') }) },
    {
      hook: (o, path, ctx) => {
        const labels = isObj(o.metadata) && isObj(o.metadata.labels) ? o.metadata.labels : {};
        const level = labels[POD_SECURITY_ENFORCE_LABEL];
        if (level != null && !isPodSecurityLevel(level)) {
          err(ctx, join(join(join(path, 'metadata'), 'labels'), POD_SECURITY_ENFORCE_LABEL), `unsupported value ${JSON.stringify(level)}: must be one of ${POD_SECURITY_LEVELS.join(', ')}`);
        }
      },
    },
  ),
  nameRule: dns1123LabelError,
  // Its contents must be deleted first.
  gracefulDeletion: true,
  table: {
    columns: [{ name: 'NAME' }, { name: 'STATUS' }, { name: 'AGE' }],
    cells: (ns, now) => [ns.metadata.name, namespacePhase(ns), ageOf(ns, now)],
  },
};
