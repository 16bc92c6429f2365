// The volume side of Kubernetes' PV controller (leader only), per PersistentVolume: Available
// while free, Bound while its claim holds it, Released once the claim is gone; then the reclaim
// policy: Retain keeps it (and the data) Released for an admin, Delete deletes it. A local volume
// Kite provisioned carries the cleanup finalizer, so its deletion waits until the agent of its
// node removed the directory (see controller/dispatcher/volume-feed.ts); the data is removed on
// an explicit instruction only, never because something looks unreferenced.
import type { PersistentVolume, PersistentVolumeClaim } from '../../common/api/types';
import { isKiteError } from '../../common/errors';
import { WorkloadController, type WorkloadDeps } from '../workloads/base';
import { claimKey } from './volume-facts';

export class VolumeReclaimer extends WorkloadController<PersistentVolume> {
  constructor(deps: WorkloadDeps) {
    super('volume-reclaimer', 'PersistentVolume', deps);
    // A claim bound or deleted changes its volume's phase.
    this.informers.get<PersistentVolumeClaim>('PersistentVolumeClaim').on((_type, pvc) => {
      if (pvc.spec.volumeName) this.enqueue(pvc.spec.volumeName);
    });
  }

  protected watchedKinds(): string[] {
    return ['PersistentVolume', 'PersistentVolumeClaim'];
  }

  protected async reconcile(key: string): Promise<number | void> {
    const pv = this.cached(key);
    if (!pv || pv.metadata.deletionTimestamp) return;
    const ref = pv.spec.claimRef;
    if (!ref) return this.setPhase(pv, 'Available');
    const claim = this.informers.get<PersistentVolumeClaim>('PersistentVolumeClaim').get(claimKey(ref.namespace, ref.name));
    if (claim && (!ref.uid || claim.metadata.uid === ref.uid)) {
      if (claim.spec.volumeName === pv.metadata.name) await this.setPhase(pv, 'Bound');
      return;
    }
    // Released decides the data's fate: confirm with the store, not only the cache, that the claim is gone.
    const stored = await this.store.get<PersistentVolumeClaim>('PersistentVolumeClaim', ref.namespace, ref.name);
    if (stored && (!ref.uid || stored.metadata.uid === ref.uid)) return;
    if (!ref.uid && !stored) {
      // Reserved by an admin to a claim that does not exist yet: wait for it, as Kubernetes does.
      return this.setPhase(pv, 'Available');
    }
    await this.setPhase(pv, 'Released');
    if ((pv.spec.persistentVolumeReclaimPolicy ?? 'Retain') !== 'Delete') return;
    try {
      await this.store.delete('PersistentVolume', '', pv.metadata.name);
      this.log.info({ volume: pv.metadata.name, claim: `${ref.namespace}/${ref.name}` }, 'released volume deleted (reclaimPolicy Delete)');
    } catch (e) {
      if (!isKiteError(e, 'NotFound')) throw e;
    }
  }

  private async setPhase(pv: PersistentVolume, phase: NonNullable<PersistentVolume['status']>['phase']): Promise<void> {
    if (pv.status?.phase === phase) return;
    await this.store.updateStatus<PersistentVolume>({ ...pv, status: { phase } });
  }
}
