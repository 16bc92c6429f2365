// Kubernetes' PersistentVolumeClaimResize admission: a claim's storage request may grow only when
// its StorageClass has allowVolumeExpansion (shrinking is refused by the kind's update rule).
import type { KObject, PersistentVolumeClaim, StorageClass } from '../../common/api/types';
import { requestedBytes } from '../../common/kinds/persistentvolumeclaim';
import type { WriteHooks } from '../api/write-hooks';
import type { ObjectStore } from '../store/types';

export const EXPANSION_FORBIDDEN =
  'spec.resources.requests.storage: forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize';

/** Why the update grows a claim its class does not let grow, or undefined. */
export async function expansionProblem(store: ObjectStore, current: KObject | undefined, next: KObject): Promise<string | undefined> {
  if (!current || next.kind !== 'PersistentVolumeClaim') return undefined;
  const before = current as PersistentVolumeClaim;
  const after = next as PersistentVolumeClaim;
  if (requestedBytes(after) <= requestedBytes(before)) return undefined;
  const className = before.spec.storageClassName;
  const sc = className ? await store.get<StorageClass>('StorageClass', '', className) : undefined;
  return sc?.allowVolumeExpansion === true ? undefined : EXPANSION_FORBIDDEN;
}

/** `hooks` with the claim expansion rule added to their check. */
export function withClaimExpansionCheck(hooks: WriteHooks, store: ObjectStore): WriteHooks {
  return {
    check: async (current, next) => {
      const problems = await hooks.check(current, next);
      const expansion = await expansionProblem(store, current, next);
      return expansion ? [...problems, expansion] : problems;
    },
    create: (obj, write) => hooks.create(obj, write),
    update: (current, next, write) => hooks.update(current, next, write),
    removed: (obj) => hooks.removed(obj),
  };
}
