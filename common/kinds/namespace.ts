// Namespace: a scope for names; deleting one deletes everything in it.
import type { Namespace } from '../api/types';
import { S, base, set, status } from '../manifest/fields';
import { dns1123LabelError } from '../manifest/names';
import { ageOf } from '../print/age';
import type { KindDefinition } from './kind';

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
  schema: S.obj({ ...base, ...status, spec: S.obj({}, { unsupported: set('finalizers') }) }),
  nameRule: dns1123LabelError,
  // Its contents must be deleted first.
  gracefulDeletion: true,
  table: {
    columns: [{ name: 'NAME' }, { name: 'STATUS' }, { name: 'AGE' }],
    cells: (ns, now) => [ns.metadata.name, namespacePhase(ns), ageOf(ns, now)],
  },
};
