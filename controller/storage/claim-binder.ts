// The claim side of Kubernetes' PV controller (leader only), per PersistentVolumeClaim:
//  - protection: the kubernetes.io/pvc-protection finalizer on every claim, removed once the
//    claim is being deleted and no pod that has not finished uses it;
//  - a claim without storageClassName gets the default class;
//  - a Pending claim binds to the smallest matching Available volume (class, access modes, size,
//    selector, volumeName), unless its class waits for the first consumer: then the scheduler
//    binds it (with a static volume on the chosen node or a new local-path one) when it places a
//    pod that uses it;
//  - a Bound claim whose volume is gone is Lost.
// Why a claim stays Pending is told in events, worded as Kubernetes words them.
import type { PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../common/api/types';
import { isPodTerminal } from '../../common/api/pod';
import { PVC_PROTECTION_FINALIZER } from '../../common/kinds/persistentvolumeclaim';
import { objectKey } from '../informer';
import { WorkloadController, type WorkloadDeps } from '../workloads/base';
import { bindClaim } from './binding';
import { bestVolume, claimClassName, claimKey, defaultClass, isLocalPath, podClaimKeys } from './volume-facts';

export const WAIT_FOR_FIRST_CONSUMER_MESSAGE = 'waiting for first consumer to be created before binding';

export class ClaimBinder extends WorkloadController<PersistentVolumeClaim> {
  /** The last reason told for each Pending claim, so a reason is recorded once, not every pass. */
  private readonly told = new Map<string, string>();

  constructor(deps: WorkloadDeps) {
    super('claim-binder', 'PersistentVolumeClaim', deps);
    // A volume appearing or freed may satisfy a Pending claim; a bound one's claim may need its phase.
    this.informers.get<PersistentVolume>('PersistentVolume').on((_type, pv) => {
      const ref = pv.spec.claimRef;
      if (ref) this.enqueue(claimKey(ref.namespace, ref.name));
      else this.enqueuePending();
    });
    this.informers.get<StorageClass>('StorageClass').on(() => this.enqueuePending());
    // A pod going away may release a claim held by protection.
    this.informers.get<Pod>('Pod').on((type, pod) => {
      if (type === 'DELETED' || isPodTerminal(pod)) for (const key of podClaimKeys(pod)) this.enqueue(key);
    });
  }

  protected watchedKinds(): string[] {
    return ['PersistentVolumeClaim', 'PersistentVolume', 'StorageClass', 'Pod'];
  }

  protected override forget(key: string): void {
    this.told.delete(key);
  }

  private enqueuePending(): void {
    for (const pvc of this.informers.get<PersistentVolumeClaim>('PersistentVolumeClaim').list()) {
      if (pvc.status?.phase !== 'Bound') this.enqueue(objectKey(pvc));
    }
  }

  protected async reconcile(key: string): Promise<number | void> {
    const pvc = this.cached(key);
    if (!pvc) return;
    const finalizers = pvc.metadata.finalizers ?? [];
    if (pvc.metadata.deletionTimestamp) {
      if (finalizers.includes(PVC_PROTECTION_FINALIZER) && !this.inUse(pvc)) {
        await this.store.update<PersistentVolumeClaim>({ ...pvc, metadata: { ...pvc.metadata, finalizers: finalizers.filter((f) => f !== PVC_PROTECTION_FINALIZER) } });
      }
      return;
    }
    if (!finalizers.includes(PVC_PROTECTION_FINALIZER)) {
      await this.store.update<PersistentVolumeClaim>({ ...pvc, metadata: { ...pvc.metadata, finalizers: [...finalizers, PVC_PROTECTION_FINALIZER] } });
      return;
    }
    const classes = this.informers.get<StorageClass>('StorageClass');
    if (pvc.spec.storageClassName === undefined) {
      const def = defaultClass(classes.list());
      if (def) {
        await this.store.update<PersistentVolumeClaim>({ ...pvc, spec: { ...pvc.spec, storageClassName: def.metadata.name } });
        return;
      }
    }
    const volumes = this.informers.get<PersistentVolume>('PersistentVolume');
    if (pvc.status?.phase === 'Bound' || pvc.status?.phase === 'Lost') {
      const pv = pvc.spec.volumeName ? volumes.get(pvc.spec.volumeName) : undefined;
      if (!pv && pvc.status.phase === 'Bound' && !(await this.store.get('PersistentVolume', '', pvc.spec.volumeName ?? ''))) {
        this.events.record(pvc, 'Warning', 'ClaimLost', `Bound claim has lost its PersistentVolume. Data on the volume is lost!`);
        await this.store.updateStatus<PersistentVolumeClaim>({ ...pvc, status: { ...pvc.status, phase: 'Lost' } });
      }
      return;
    }
    const className = claimClassName(pvc);
    const sc = className ? classes.get(className) : undefined;
    if (sc?.volumeBindingMode === 'WaitForFirstConsumer') {
      return this.pending(pvc, 'Normal', 'WaitForFirstConsumer', WAIT_FOR_FIRST_CONSUMER_MESSAGE);
    }
    const pv = bestVolume(volumes.list(), pvc);
    if (pv) {
      await bindClaim(this.store, pvc, pv);
      this.told.delete(key);
      return;
    }
    if (pvc.spec.volumeName) return this.pending(pvc, 'Warning', 'FailedBinding', `volume "${pvc.spec.volumeName}" is not available for this claim`);
    if (className && !sc) return this.pending(pvc, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
    if (sc && isLocalPath(sc)) {
      return this.pending(pvc, 'Warning', 'ProvisioningFailed', `storageclass "${className}": the ${sc.provisioner} provisioner needs volumeBindingMode WaitForFirstConsumer (it provisions on the node a pod is scheduled to)`);
    }
    if (sc) {
      return this.pending(pvc, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
    }
    return this.pending(pvc, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
  }

  /** Keeps the claim Pending and tells why, once per reason. */
  private async pending(pvc: PersistentVolumeClaim, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const key = objectKey(pvc);
    if (this.told.get(key) !== `${reason}:${message}`) {
      this.told.set(key, `${reason}:${message}`);
      this.events.record(pvc, type, reason, message);
    }
    if (pvc.status?.phase !== 'Pending') await this.store.updateStatus<PersistentVolumeClaim>({ ...pvc, status: { phase: 'Pending' } });
  }

  /** Whether a pod that has not finished mounts the claim (bound or not: it will need it). */
  private inUse(pvc: PersistentVolumeClaim): boolean {
    const key = objectKey(pvc);
    for (const pod of this.informers.get<Pod>('Pod').list()) {
      if (pod.metadata.namespace !== pvc.metadata.namespace || isPodTerminal(pod)) continue;
      if (podClaimKeys(pod).includes(key)) return true;
    }
    return false;
  }
}
