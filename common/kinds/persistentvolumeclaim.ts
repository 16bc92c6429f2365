// PersistentVolumeClaim: a pod's request for storage. The binder (controller/storage) binds it to
// a PersistentVolume: a matching static one, or one the local-path provisioner makes on the node
// its first pod is scheduled to.
import type { PersistentVolumeClaim } from '../api/types';
import { S, base, err, labelSelector, status } from '../manifest/fields';
import { dns1123SubdomainError } from '../manifest/names';
import { type Obj, type FieldIssue, isObj, join } from '../manifest/schema';
import { accessModes, formatAccessModes, storageBytes, storageResources, volumeMode } from '../manifest/storage-fields';
import { ageOf } from '../print/age';
import { IMMUTABLE } from './immutable';
import type { KindDefinition } from './kind';
import { sameValue } from './paths';

/** Held on every claim until no pod uses it (Kubernetes' storage object in use protection). */
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';

const claimSpec = S.obj(
  {
    accessModes,
    resources: S.obj({ requests: storageResources, limits: storageResources }, { required: ['requests'] }),
    // "" is meaningful (only volumes without a class), so it may be empty.
    storageClassName: S.str((v) => (v === '' ? undefined : dns1123SubdomainError(v))),
    volumeName: S.str((v) => (v === '' ? undefined : dns1123SubdomainError(v))),
    selector: labelSelector,
    volumeMode,
  },
  {
    required: ['accessModes', 'resources'],
    unsupported: new Set(['dataSource', 'dataSourceRef', 'volumeAttributesClassName']),
    hook: (o, path, ctx) => {
      const resources = o.resources;
      if (isObj(resources) && (!isObj(resources.requests) || resources.requests.storage == null)) {
        err(ctx, join(join(join(path, 'resources'), 'requests'), 'storage'), 'is required');
      }
    },
  },
);

/** kubectl's claim STATUS: Terminating while deletion waits, else the phase. */
export function claimStatus(pvc: PersistentVolumeClaim): string {
  if (pvc.metadata.deletionTimestamp) return 'Terminating';
  return pvc.status?.phase ?? 'Pending';
}

/** The storage a claim asks for, in bytes (0 when unreadable: stored claims were validated). */
export function requestedBytes(pvc: PersistentVolumeClaim): number {
  return storageBytes(pvc.spec.resources?.requests?.storage) ?? 0;
}

/**
 * Kubernetes: a claim's spec is immutable after create except resources.requests, which may only
 * grow (whether the class allows growing is checked by the API against the StorageClass).
 * volumeName and storageClassName may be set once by the system when they were empty.
 */
function claimUpdateIssues(current: PersistentVolumeClaim, next: PersistentVolumeClaim): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const was = current.spec as unknown as Obj;
  const now = next.spec as unknown as Obj;
  for (const key of new Set([...Object.keys(was), ...Object.keys(now)])) {
    if (key === 'resources') continue;
    // The binder sets volumeName once; a claim without storageClassName gets the default class once ("" is a choice).
    if (key === 'volumeName' && (was[key] === undefined || was[key] === '')) continue;
    if (key === 'storageClassName' && was[key] === undefined) continue;
    if (!sameValue(was[key], now[key])) issues.push({ path: `spec.${key}`, message: `${IMMUTABLE}: a claim's spec may only change resources.requests` });
  }
  if (!sameValue(current.spec.resources?.limits, next.spec.resources?.limits)) issues.push({ path: 'spec.resources.limits', message: IMMUTABLE });
  const before = requestedBytes(current);
  const after = requestedBytes(next);
  if (after < before) {
    issues.push({ path: 'spec.resources.requests.storage', message: `field can not be less than previous value (${String(current.spec.resources?.requests?.storage)})` });
  }
  return issues;
}

export const persistentVolumeClaimKind: KindDefinition<PersistentVolumeClaim> = {
  kind: 'PersistentVolumeClaim',
  apiVersion: 'v1',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  shortNames: ['pvc'],
  namespaced: true,
  schema: S.obj({ ...base, ...status, spec: claimSpec }, { required: ['spec'] }),
  nameRule: dns1123SubdomainError,
  defaults(pvc) {
    if (!isObj(pvc.spec)) return;
    pvc.spec.volumeMode ??= 'Filesystem';
  },
  immutable: claimUpdateIssues,
  // Set by the binder (volumeName) and by default-class assignment (storageClassName): a re-apply that omits them keeps them.
  systemFields: ['spec.volumeName', 'spec.storageClassName'],
  table: {
    columns: [
      { name: 'NAME' }, { name: 'STATUS' }, { name: 'VOLUME' }, { name: 'CAPACITY' }, { name: 'ACCESS MODES' }, { name: 'STORAGECLASS' },
      { name: 'VOLUMEATTRIBUTESCLASS' }, { name: 'AGE' }, { name: 'VOLUMEMODE', wide: true },
    ],
    cells: (pvc, now) => {
      const bound = pvc.status?.phase === 'Bound';
      return [
        pvc.metadata.name, claimStatus(pvc), pvc.spec.volumeName ?? '', bound ? (pvc.status?.capacity?.storage ?? '') : '',
        bound ? formatAccessModes(pvc.status?.accessModes) : '', pvc.spec.storageClassName ?? '<unset>', '<unset>', ageOf(pvc, now),
        pvc.spec.volumeMode ?? 'Filesystem',
      ];
    },
  },
};
