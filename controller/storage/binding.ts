// Binding a claim to a volume, as Kubernetes' PV controller does it: the volume first (claimRef,
// phase Bound), then the claim (volumeName, phase Bound with the volume's capacity and modes).
// A crash between the two leaves the volume reserved to the claim by claimRef, and the binder's
// next pass finishes the claim (bestVolume prefers a volume already reserved to it).
import type { PersistentVolume, PersistentVolumeClaim } from '../../common/api/types';
import type { ObjectStore } from '../store/types';

export async function bindClaim(store: ObjectStore, pvc: PersistentVolumeClaim, pv: PersistentVolume): Promise<PersistentVolumeClaim> {
  const ns = pvc.metadata.namespace ?? 'default';
  const ref = pv.spec.claimRef;
  let volume = pv;
  if (!ref || ref.uid !== pvc.metadata.uid) {
    volume = await store.update<PersistentVolume>({
      ...pv,
      spec: { ...pv.spec, claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: ns, name: pvc.metadata.name, uid: pvc.metadata.uid } },
    });
  }
  if (volume.status?.phase !== 'Bound') volume = await store.updateStatus<PersistentVolume>({ ...volume, status: { phase: 'Bound' } });
  let claim = pvc;
  if (claim.spec.volumeName !== pv.metadata.name) claim = await store.update<PersistentVolumeClaim>({ ...claim, spec: { ...claim.spec, volumeName: pv.metadata.name } });
  return store.updateStatus<PersistentVolumeClaim>({
    ...claim,
    status: { phase: 'Bound', capacity: { storage: String(pv.spec.capacity?.storage ?? '') }, accessModes: [...(pv.spec.accessModes ?? [])] },
  });
}
