// ServiceAccount: an identity for the processes in pods. Kite stores it (and a `default` one in
// every namespace, kept by the namespace controller) so manifests that declare one apply as
// written; pods record their serviceAccountName. No tokens are issued or mounted.
import type { ServiceAccount } from '../api/types';
import { S, base } from '../manifest/fields';
import { dns1123SubdomainError } from '../manifest/names';
import { ageOf } from '../print/age';
import type { KindDefinition } from './kind';

/** The ServiceAccount every namespace has, and pods without serviceAccountName run as. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

/** Kubernetes' ObjectReference, as a ServiceAccount's `secrets` lists them. */
const objectReference = S.obj({
  apiVersion: S.str(),
  kind: S.str(),
  name: S.str(),
  namespace: S.str(),
  uid: S.str(),
  resourceVersion: S.str(),
  fieldPath: S.str(),
});

export const serviceAccountKind: KindDefinition<ServiceAccount> = {
  kind: 'ServiceAccount',
  apiVersion: 'v1',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  shortNames: ['sa'],
  namespaced: true,
  schema: S.obj({
    ...base,
    secrets: S.list(objectReference),
    imagePullSecrets: S.list(S.obj({ name: S.nonEmpty(dns1123SubdomainError) }, { required: ['name'] })),
    automountServiceAccountToken: S.bool,
  }),
  nameRule: dns1123SubdomainError,
  table: {
    columns: [{ name: 'NAME' }, { name: 'SECRETS' }, { name: 'AGE' }],
    cells: (sa, now) => [sa.metadata.name, String(sa.secrets?.length ?? 0), ageOf(sa, now)],
  },
};
