// Schema pieces and facts shared by the storage kinds (PersistentVolume, PersistentVolumeClaim,
// StorageClass) and by the controllers that bind and provision them.
import { S, set } from './fields';
import { parseQuantity } from './quantity';
import type { Schema } from './schema';

export const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] as const;

/** kubectl's short forms, as its PV and PVC tables print them. */
const ACCESS_MODE_ABBREVIATIONS: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

export function formatAccessModes(modes: readonly string[] | undefined): string {
  return (modes ?? []).map((m) => ACCESS_MODE_ABBREVIATIONS[m] ?? m).join(',');
}

/** A storage size in bytes, rounded up ("1Gi" -> 1073741824). Throws Invalid when malformed or negative. */
export function parseStorage(q: string | number): number {
  return Math.ceil(parseQuantity(q, 'storage quantity') - 1e-9);
}

/** A storage size, or undefined when it is absent or malformed (for code reading stored objects). */
export function storageBytes(q: unknown): number | undefined {
  if (typeof q !== 'string' && typeof q !== 'number') return undefined;
  try {
    return parseStorage(q);
  } catch {
    return undefined;
  }
}

export const storageQuantity: Schema = { t: 'quantity', parse: parseStorage };

/** Only `storage` is a resource of a volume; anything else is an error, as in Kubernetes. */
export const storageResources = S.obj({ storage: storageQuantity });

export const accessModes: Schema = S.list(S.oneOf(...ACCESS_MODES), true);

/** Kite mounts directories only: a raw block device is refused rather than silently mounted as a directory. */
export const volumeMode = S.str((v) => (v === 'Filesystem' ? undefined : v === 'Block' ? 'Block volumes are not supported by Kite; use Filesystem' : 'must be "Filesystem"'));

/** The annotation that marks the StorageClass claims without storageClassName get. */
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

export const unsupportedVolumeSourcesOfPV = set(
  'nfs', 'csi', 'iscsi', 'rbd', 'cephfs', 'glusterfs', 'fc', 'flexVolume', 'flocker', 'awsElasticBlockStore', 'gcePersistentDisk',
  'azureDisk', 'azureFile', 'portworxVolume', 'quobyte', 'scaleIO', 'storageos', 'vsphereVolume', 'photonPersistentDisk', 'cinder',
);
