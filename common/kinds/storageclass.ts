// StorageClass: how claims that name it get a volume. Kite's one provisioner is the built-in
// local-path one (a directory on the node the claim's first pod is scheduled to, as k3s's
// rancher.io/local-path); the leader keeps a `local-path` class marked default.
import type { StorageClass } from '../api/types';
import { S, base, strings } from '../manifest/fields';
import { dns1123SubdomainError, qualifiedNameError } from '../manifest/names';
import { DEFAULT_CLASS_ANNOTATION } from '../manifest/storage-fields';
import { ageOf } from '../print/age';
import { immutablePaths } from './immutable';
import type { KindDefinition } from './kind';

export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
export const LOCAL_PATH_CLASS = 'local-path';

export function isDefaultClass(sc: StorageClass): boolean {
  return sc.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true';
}

/** The built-in class the leader ensures at start (k3s's local-path StorageClass). */
export function localPathClass(): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: LOCAL_PATH_CLASS, annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
    provisioner: LOCAL_PATH_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
}

export const storageClassKind: KindDefinition<StorageClass> = {
  kind: 'StorageClass',
  apiVersion: 'storage.k8s.io/v1',
  plural: 'storageclasses',
  singular: 'storageclass',
  shortNames: ['sc'],
  namespaced: false,
  schema: S.obj(
    {
      ...base,
      provisioner: S.nonEmpty(qualifiedNameError),
      parameters: S.map(S.str()),
      reclaimPolicy: S.oneOf('Delete', 'Retain'),
      volumeBindingMode: S.oneOf('Immediate', 'WaitForFirstConsumer'),
      allowVolumeExpansion: S.bool,
      mountOptions: strings,
    },
    { required: ['provisioner'], unsupported: new Set(['allowedTopologies']) },
  ),
  nameRule: dns1123SubdomainError,
  defaults(sc) {
    sc.reclaimPolicy ??= 'Delete';
    sc.volumeBindingMode ??= 'Immediate';
  },
  // As Kubernetes: what a class provisions is fixed once claims may have used it.
  immutable: immutablePaths('provisioner', 'parameters', 'reclaimPolicy', 'volumeBindingMode'),
  table: {
    columns: [
      { name: 'NAME' }, { name: 'PROVISIONER' }, { name: 'RECLAIMPOLICY' }, { name: 'VOLUMEBINDINGMODE' }, { name: 'ALLOWVOLUMEEXPANSION' }, { name: 'AGE' },
    ],
    cells: (sc, now) => [
      isDefaultClass(sc) ? `${sc.metadata.name} (default)` : sc.metadata.name,
      sc.provisioner, sc.reclaimPolicy ?? 'Delete', sc.volumeBindingMode ?? 'Immediate', String(sc.allowVolumeExpansion ?? false), ageOf(sc, now),
    ],
  },
};
