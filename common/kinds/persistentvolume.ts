// PersistentVolume: a piece of storage a claim binds to. Kite mounts hostPath and local volumes
// (a directory on a node); local volumes name their node in nodeAffinity and the scheduler keeps
// their pods there. The local-path provisioner makes them; admins may create them by hand.
import type { PersistentVolume } from '../api/types';
import { S, base, err, status, strings } from '../manifest/fields';
import { dns1123SubdomainError } from '../manifest/names';
import { nodeSelectorTerm } from '../manifest/pod-fields';
import { isObj } from '../manifest/schema';
import { accessModes, formatAccessModes, storageResources, unsupportedVolumeSourcesOfPV, volumeMode } from '../manifest/storage-fields';
import { ageOf } from '../print/age';
import { immutablePaths } from './immutable';
import type { KindDefinition } from './kind';

/**
 * Held on a provisioned local volume until the agent of its node removed the directory
 * (reclaimPolicy Delete): only then is the object (the record of where the data is) deleted.
 */
export const LOCAL_VOLUME_CLEANUP_FINALIZER = 'kite.io/local-volume-cleanup';
/** Marks volumes Kite provisioned (k3s's local-path provisioner sets the same annotation). */
export const PROVISIONED_BY_ANNOTATION = 'pv.kubernetes.io/provisioned-by';

const absolutePath = S.nonEmpty((v) => (!v.startsWith('/') ? 'must be an absolute path' : v.split('/').includes('..') ? 'must not contain ".."' : undefined));

const volumeSpec = S.obj(
  {
    capacity: storageResources,
    accessModes,
    persistentVolumeReclaimPolicy: S.oneOf('Retain', 'Delete', 'Recycle'),
    storageClassName: S.str((v) => (v === '' ? undefined : dns1123SubdomainError(v))),
    hostPath: S.obj(
      { path: absolutePath, type: S.oneOf('', 'DirectoryOrCreate', 'Directory') },
      { required: ['path'] },
    ),
    local: S.obj({ path: absolutePath, fsType: S.str() }, { required: ['path'] }),
    nodeAffinity: S.obj({ required: S.obj({ nodeSelectorTerms: S.list(nodeSelectorTerm, true) }, { required: ['nodeSelectorTerms'] }) }),
    claimRef: S.obj(
      { kind: S.str(), apiVersion: S.str(), namespace: S.nonEmpty(), name: S.nonEmpty(), uid: S.str(), resourceVersion: S.str(), fieldPath: S.str() },
      { required: ['namespace', 'name'] },
    ),
    volumeMode,
    mountOptions: strings,
    // Network and cloud volume sources are refused, not ignored: a volume without its storage would bind claims to nothing.
    ...Object.fromEntries([...unsupportedVolumeSourcesOfPV].map((k) => [k, S.any])),
  },
  {
    required: ['capacity', 'accessModes'],
    unsupported: new Set(['volumeAttributesClassName']),
    hook: (o, path, ctx) => {
      for (const k of unsupportedVolumeSourcesOfPV) if (o[k] != null) err(ctx, `${path}.${k}`, `${k} volumes are not supported by Kite; use hostPath or local`);
      const sources = ['hostPath', 'local', ...unsupportedVolumeSourcesOfPV].filter((k) => o[k] != null);
      if (sources.length !== 1) err(ctx, path, `must specify exactly one volume source: hostPath or local (got ${sources.length})`);
      if (o.local != null && !isObj(o.nodeAffinity)) err(ctx, `${path}.nodeAffinity`, 'is required for a local volume');
      if (o.persistentVolumeReclaimPolicy === 'Recycle') err(ctx, `${path}.persistentVolumeReclaimPolicy`, 'Recycle is deprecated and not supported by Kite; use Delete or Retain');
    },
  },
);

/** kubectl's PV STATUS: Terminating while deletion waits, else the phase. */
export function volumeStatus(pv: PersistentVolume): string {
  if (pv.metadata.deletionTimestamp) return 'Terminating';
  return pv.status?.phase ?? 'Pending';
}

/** The directory a local or hostPath volume is, or undefined. */
export function volumePath(pv: PersistentVolume): string | undefined {
  return pv.spec.local?.path ?? pv.spec.hostPath?.path;
}

export const persistentVolumeKind: KindDefinition<PersistentVolume> = {
  kind: 'PersistentVolume',
  apiVersion: 'v1',
  plural: 'persistentvolumes',
  singular: 'persistentvolume',
  shortNames: ['pv'],
  namespaced: false,
  schema: S.obj({ ...base, ...status, spec: volumeSpec }, { required: ['spec'] }),
  nameRule: dns1123SubdomainError,
  defaults(pv) {
    if (!isObj(pv.spec)) return;
    pv.spec.persistentVolumeReclaimPolicy ??= 'Retain';
    pv.spec.volumeMode ??= 'Filesystem';
  },
  // As Kubernetes: where the data is does not change under a bound claim.
  immutable: immutablePaths('spec.hostPath', 'spec.local', 'spec.nodeAffinity', 'spec.volumeMode'),
  // Set by the binder: a re-applied manifest without claimRef keeps the binding.
  systemFields: ['spec.claimRef'],
  table: {
    columns: [
      { name: 'NAME' }, { name: 'CAPACITY' }, { name: 'ACCESS MODES' }, { name: 'RECLAIM POLICY' }, { name: 'STATUS' }, { name: 'CLAIM' },
      { name: 'STORAGECLASS' }, { name: 'VOLUMEATTRIBUTESCLASS' }, { name: 'REASON' }, { name: 'AGE' }, { name: 'VOLUMEMODE', wide: true },
    ],
    cells: (pv, now) => {
      const claim = pv.spec.claimRef ? `${pv.spec.claimRef.namespace}/${pv.spec.claimRef.name}` : '';
      return [
        pv.metadata.name, String(pv.spec.capacity?.storage ?? ''), formatAccessModes(pv.spec.accessModes), pv.spec.persistentVolumeReclaimPolicy ?? 'Retain',
        volumeStatus(pv), claim, pv.spec.storageClassName ?? '', '<unset>', pv.status?.reason ?? '', ageOf(pv, now), pv.spec.volumeMode ?? 'Filesystem',
      ];
    },
  },
};
