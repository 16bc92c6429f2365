// Pure facts about claims, volumes and classes that the binder, the provisioner, the scheduler's
// volume filter and the dispatcher share: which claims a pod uses, whether a volume can satisfy a
// claim, which nodes a volume allows, and what a local-path volume for a node looks like.
import type { Node, NodeSelectorTerm, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../common/api/types';
import { PROVISIONED_BY_ANNOTATION, LOCAL_VOLUME_CLEANUP_FINALIZER } from '../../common/kinds/persistentvolume';
import { requestedBytes } from '../../common/kinds/persistentvolumeclaim';
import { LOCAL_PATH_PROVISIONER, isDefaultClass } from '../../common/kinds/storageclass';
import { selectorFromLabelSelector } from '../../common/manifest/selector';
import { storageBytes } from '../../common/manifest/storage-fields';

/** Where a node's agent keeps local-path volumes (its --storage-dir), as the agent registered it. */
export const STORAGE_DIR_ANNOTATION = 'kite.io/storage-dir';
/** On a claim: the node its WaitForFirstConsumer volume was provisioned for (Kubernetes' selected-node annotation). */
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';

export const claimKey = (namespace: string, name: string) => `${namespace}/${name}`;

/** The claims a pod mounts, as `namespace/name` keys; empty (and shared) for the many pods with none. */
const NONE: readonly string[] = [];
export function podClaimKeys(pod: Pod): readonly string[] {
  const volumes = pod.spec.volumes;
  if (!volumes) return NONE;
  let keys: string[] | undefined;
  for (const v of volumes) if (v.persistentVolumeClaim) (keys ??= []).push(claimKey(pod.metadata.namespace ?? 'default', v.persistentVolumeClaim.claimName));
  return keys ?? NONE;
}

/** The class a claim asks for: its storageClassName; "" means none (only class-less volumes). */
export function claimClassName(pvc: PersistentVolumeClaim): string {
  return pvc.spec.storageClassName ?? '';
}

/** The class claims without storageClassName get: the newest one marked default, as Kubernetes picks. */
export function defaultClass(classes: Iterable<StorageClass>): StorageClass | undefined {
  const defaults = [...classes].filter(isDefaultClass);
  defaults.sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name));
  return defaults[0];
}

/** Whether a volume is free for (or already reserved to) the claim and satisfies it. */
export function volumeSatisfies(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  if (pv.metadata.deletionTimestamp) return false;
  const ref = pv.spec.claimRef;
  if (ref) {
    const sameClaim = ref.namespace === pvc.metadata.namespace && ref.name === pvc.metadata.name && (!ref.uid || ref.uid === pvc.metadata.uid);
    if (!sameClaim) return false;
  } else if (pv.status?.phase && pv.status.phase !== 'Available' && pv.status.phase !== 'Pending') {
    return false;
  }
  if (pvc.spec.volumeName && pvc.spec.volumeName !== pv.metadata.name) return false;
  if ((pv.spec.storageClassName ?? '') !== claimClassName(pvc)) return false;
  const offered = new Set(pv.spec.accessModes ?? []);
  if (!(pvc.spec.accessModes ?? []).every((m) => offered.has(m))) return false;
  if ((storageBytes(pv.spec.capacity?.storage) ?? 0) < requestedBytes(pvc)) return false;
  if (pvc.spec.selector && !selectorFromLabelSelector(pvc.spec.selector).matches(pv.metadata.labels ?? {})) return false;
  return true;
}

/** The smallest volume that satisfies the claim (a volume reserved to it by claimRef first), or undefined. */
export function bestVolume(pvs: Iterable<PersistentVolume>, pvc: PersistentVolumeClaim, allowed: (pv: PersistentVolume) => boolean = () => true): PersistentVolume | undefined {
  let best: PersistentVolume | undefined;
  let bestSize = Infinity;
  for (const pv of pvs) {
    if (!volumeSatisfies(pv, pvc) || !allowed(pv)) continue;
    if (pv.spec.claimRef) return pv;
    const size = storageBytes(pv.spec.capacity?.storage) ?? 0;
    if (size < bestSize || (size === bestSize && best && pv.metadata.name < best.metadata.name)) {
      best = pv;
      bestSize = size;
    }
  }
  return best;
}

/** The node selector terms a volume restricts its pods to, or undefined when any node will do. */
export function volumeNodeTerms(pv: PersistentVolume): readonly NodeSelectorTerm[] | undefined {
  return pv.spec.nodeAffinity?.required?.nodeSelectorTerms;
}

/** Whether the class's volumes are made by Kite's built-in local-path provisioner. */
export const isLocalPath = (sc: StorageClass) => sc.provisioner === LOCAL_PATH_PROVISIONER;

/** The node's storage dir as its agent registered it; undefined for agents that did not. */
export const nodeStorageDir = (node: Node | undefined) => node?.metadata.annotations?.[STORAGE_DIR_ANNOTATION];

/** k3s's local-path directory name: `pvc-<claim uid>_<namespace>_<name>`. */
export function localPathDirName(pvc: PersistentVolumeClaim): string {
  return `pvc-${pvc.metadata.uid}_${pvc.metadata.namespace ?? 'default'}_${pvc.metadata.name}`;
}

/**
 * The volume the local-path provisioner makes for a claim on a node: a directory under the node's
 * storage dir, pinned to the node, reserved to the claim (claimRef), with the class's reclaim
 * policy. Provisioned Delete volumes carry the cleanup finalizer: the object (the record of where
 * the data is) goes only after the node's agent removed the directory.
 */
export function localPathVolume(pvc: PersistentVolumeClaim, sc: StorageClass, nodeName: string, storageDir: string): PersistentVolume {
  const reclaim = sc.reclaimPolicy ?? 'Delete';
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: `pvc-${pvc.metadata.uid}`,
      annotations: { [PROVISIONED_BY_ANNOTATION]: sc.provisioner },
      ...(reclaim === 'Delete' ? { finalizers: [LOCAL_VOLUME_CLEANUP_FINALIZER] } : {}),
    },
    spec: {
      capacity: { storage: String(pvc.spec.resources?.requests?.storage ?? '0') },
      accessModes: [...(pvc.spec.accessModes ?? ['ReadWriteOnce'])],
      persistentVolumeReclaimPolicy: reclaim,
      storageClassName: sc.metadata.name,
      local: { path: `${storageDir.replace(/\/+$/, '')}/${localPathDirName(pvc)}` },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [nodeName] }] }] } },
      claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: pvc.metadata.namespace ?? 'default', name: pvc.metadata.name, uid: pvc.metadata.uid },
      volumeMode: 'Filesystem',
    },
  };
}

/** The node a provisioned local volume lives on (its kubernetes.io/hostname term), or undefined. */
export function localVolumeNode(pv: PersistentVolume): string | undefined {
  if (!pv.spec.local) return undefined;
  for (const term of volumeNodeTerms(pv) ?? []) {
    for (const r of term.matchExpressions ?? []) {
      if (r.key === 'kubernetes.io/hostname' && r.operator === 'In' && r.values?.length === 1) return r.values[0];
    }
  }
  return undefined;
}
