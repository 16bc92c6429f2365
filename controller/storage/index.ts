// The storage controllers the leader runs: the built-in local-path StorageClass, the claim binder
// and the volume reclaimer. (Provisioning for WaitForFirstConsumer claims happens in the
// scheduler's loop, through volume-placement.ts.)
import type { WorkloadDeps } from '../workloads/base';
import { ClaimBinder } from './claim-binder';
import { DefaultStorageClass } from './default-class';
import { VolumeReclaimer } from './volume-reclaimer';

export function createStorageControllers(deps: WorkloadDeps): [DefaultStorageClass, ClaimBinder, VolumeReclaimer] {
  return [new DefaultStorageClass(deps.store, deps.informers, deps.log.child({ component: 'storage-class' })), new ClaimBinder(deps), new VolumeReclaimer(deps)];
}
