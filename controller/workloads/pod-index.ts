// Pods grouped by the uid of their controlling owner, kept current from the shared pod informer,
// so a controller finds its pods without scanning every pod in the cluster.
import type { Pod } from '../../common/api/types';
import type { Informer } from '../informer';
import { objectKey } from '../informer';
import { controllerRef } from './pods';

export class PodIndex {
  private readonly byOwner = new Map<string, Map<string, Pod>>();

  constructor(informer: Informer<Pod>) {
    // The informer may have synced long before we were created (informers outlive leadership), so seed from its cache.
    for (const pod of informer.list()) this.put(pod);
    informer.on((type, pod, old) => {
      if (old) this.remove(old);
      if (type !== 'DELETED') this.put(pod);
    });
  }

  /** Pods controlled by the object with this uid; shared objects: never mutate them. */
  ownedBy(uid: string | undefined): Pod[] {
    if (!uid) return [];
    const m = this.byOwner.get(uid);
    return m ? [...m.values()] : [];
  }

  private put(pod: Pod): void {
    const uid = controllerRef(pod)?.uid;
    if (!uid) return;
    let m = this.byOwner.get(uid);
    if (!m) this.byOwner.set(uid, (m = new Map()));
    m.set(objectKey(pod), pod);
  }

  private remove(pod: Pod): void {
    const uid = controllerRef(pod)?.uid;
    if (!uid) return;
    const m = this.byOwner.get(uid);
    if (!m) return;
    m.delete(objectKey(pod));
    if (m.size === 0) this.byOwner.delete(uid);
  }
}
