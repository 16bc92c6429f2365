// The ReplicaSet controller: keeps spec.replicas live pods for each ReplicaSet, replacing pods that
// ended (Succeeded/Failed) and deleting surplus (least useful first), and reports status.
import type { Pod, ReplicaSet } from '../../common/api/types';
import { isKiteError } from '../../common/errors';
import { isBeingDeleted, podReadyCondition } from '../../common/api/pod';
import { canonicalJson } from '../../common/canonical';
import type { WorkloadDeps } from './base';
import { PodOwnerController } from './pod-owner';
import type { PodIndex } from './pod-index';
import { generatedName, isPodReady, isTerminal, podAvailability, podFromTemplate, randomSuffix } from './pods';

type RsStatus = NonNullable<ReplicaSet['status']>;

export class ReplicaSetController extends PodOwnerController<ReplicaSet> {
  constructor(deps: WorkloadDeps, pods: PodIndex) {
    super('replicaset-controller', 'ReplicaSet', deps, pods);
  }

  protected watchedKinds(): string[] {
    return ['ReplicaSet', 'Pod'];
  }

  protected async reconcile(key: string): Promise<number | void> {
    const rs = this.cached(key);
    if (!rs) return;
    // Terminating pods are on their way out: they are neither replicas nor deleted again.
    const owned = this.pods.ownedBy(rs.metadata.uid).filter((p) => !isBeingDeleted(p));
    const live = owned.filter((p) => !isTerminal(p));
    let requeue: number | undefined;

    if (!this.expectations.satisfied(key)) {
      // Our last writes have not reached the cache yet: counting now would double them.
      requeue = this.expectations.expiresInMs(key);
    } else {
      const want = rs.spec.replicas ?? 1;
      const ended = owned.filter(isTerminal);
      const surplus = live.length > want ? pickVictims(live, live.length - want) : [];
      const toDelete = [...ended, ...surplus];
      if (toDelete.length) {
        const n = await this.deleteOwnedPods(key, toDelete);
        if (surplus.length) this.recordDeletions(rs, surplus, n);
      }
      if (live.length < want) {
        const fresh = Array.from({ length: want - live.length }, () => podFromTemplate(rs.spec.template, rs, generatedName(rs.metadata.name, randomSuffix())));
        const created = await this.createOwnedPods(key, fresh);
        if (created.length === 1) this.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created[0]!.metadata.name}`);
        else if (created.length > 1) this.events.record(rs, 'Normal', 'SuccessfulCreate', `Created ${created.length} pods`);
      }
    }

    const status = this.statusOf(rs, live);
    if (status.requeue !== undefined) requeue = Math.min(requeue ?? Infinity, status.requeue);
    if (canonicalJson(rs.status ?? {}) !== canonicalJson(status.status)) {
      try {
        // Status is ours alone: write it onto the latest version rather than fail on a spec change.
        await this.store.updateStatus<ReplicaSet>({ ...rs, metadata: { ...rs.metadata, resourceVersion: undefined }, status: status.status });
      } catch (e) {
        if (!isKiteError(e, 'NotFound')) throw e;
      }
    }
    return requeue;
  }

  private statusOf(rs: ReplicaSet, live: Pod[]): { status: RsStatus; requeue?: number } {
    const now = this.clock.now();
    let ready = 0;
    let available = 0;
    let wait = Infinity;
    for (const p of live) {
      if (isPodReady(p)) ready++;
      const a = podAvailability(p, rs.spec.minReadySeconds ?? 0, now);
      if (a.available) available++;
      else wait = Math.min(wait, a.waitMs);
    }
    return {
      status: { replicas: live.length, readyReplicas: ready, availableReplicas: available, observedGeneration: rs.metadata.generation ?? 1 },
      requeue: Number.isFinite(wait) ? wait : undefined,
    };
  }

  private recordDeletions(rs: ReplicaSet, victims: Pod[], deleted: number): void {
    if (deleted === 0) return;
    const msg = victims.length === 1 ? `Deleted pod: ${victims[0]!.metadata.name}` : `Deleted ${deleted} pods`;
    this.events.record(rs, 'Normal', 'SuccessfulDelete', msg);
  }
}

/**
 * The `count` pods to remove, least useful first as in Kubernetes: not yet scheduled, then
 * pending, then not Ready, then Ready for the shortest time, then the newest.
 */
export function pickVictims(pods: Pod[], count: number): Pod[] {
  const rank = (p: Pod): number[] => {
    const readyAt = Date.parse(podReadyCondition(p)?.lastTransitionTime ?? '') || 0;
    return [
      p.spec.nodeName ? 1 : 0,
      p.status?.phase === 'Running' ? 1 : 0,
      isPodReady(p) ? 1 : 0,
      isPodReady(p) ? -readyAt : 0,
      -(Date.parse(p.metadata.creationTimestamp ?? '') || 0),
    ];
  };
  const ranked = pods.map((p) => ({ p, r: rank(p) }));
  ranked.sort((a, b) => {
    for (let i = 0; i < a.r.length; i++) if (a.r[i] !== b.r[i]) return a.r[i]! - b.r[i]!;
    return b.p.metadata.name.localeCompare(a.p.metadata.name);
  });
  return ranked.slice(0, count).map((x) => x.p);
}
