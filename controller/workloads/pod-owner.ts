// What the controllers that own pods directly (ReplicaSet, DaemonSet, Job) share: expectations
// kept in step with their pods' informer events, the owner requeued when one of its pods changes,
// and pod creates/deletes that register what the cache should see next.
import type { KObject, Pod } from '../../common/api/types';
import { objectKey } from '../informer';
import { WorkloadController, type WorkloadDeps } from './base';
import { Expectations } from './expectations';
import type { PodIndex } from './pod-index';
import { leftOwner, ownerKey } from './pods';
import { createPods, deletePods } from './pod-writes';

export abstract class PodOwnerController<T extends KObject> extends WorkloadController<T> {
  protected readonly expectations: Expectations;

  constructor(
    name: string,
    kind: string,
    deps: WorkloadDeps,
    protected readonly pods: PodIndex,
  ) {
    super(name, kind, deps);
    this.expectations = new Expectations(this.clock);
    this.informers.get<Pod>('Pod').on((type, pod, old) => {
      const key = ownerKey(pod, kind) ?? (old ? ownerKey(old, kind) : undefined);
      if (!key) return;
      if (type === 'ADDED') this.expectations.created(key, objectKey(pod));
      if (leftOwner(type, pod, old)) this.expectations.deleted(key, objectKey(pod));
      this.enqueueSoon(key);
    });
  }

  protected override forget(key: string): void {
    this.expectations.forget(key);
  }

  /** Creates pods for the owner at `key`, expecting to see them; returns those created. */
  protected async createOwnedPods(key: string, fresh: Pod[]): Promise<Pod[]> {
    this.expectations.expectCreations(key, fresh.map(objectKey));
    return createPods(this.store, fresh, (p) => this.expectations.created(key, objectKey(p)));
  }

  /** Deletes pods of the owner at `key`, expecting them gone; returns how many this call deleted. */
  protected async deleteOwnedPods(key: string, pods: Pod[]): Promise<number> {
    this.expectations.expectDeletions(key, pods.map(objectKey));
    return deletePods(this.store, pods, (p) => this.expectations.deleted(key, objectKey(p)));
  }
}
