// The StatefulSet controller (Kubernetes' stateful_set_control): pods NAME-<start>..NAME-<start+N-1>,
// each created after its claims. One pass:
//   1. replicas in ascending ordinal: a finished pod is deleted (and re-created with the same name
//      once gone), a missing one created; with OrderedReady the pass stops at the first pod it
//      created or deleted, or that is not yet Running, Ready and available (minReadySeconds);
//   2. pods beyond the replicas, highest ordinal first: deleted one at a time with OrderedReady
//      (only when every other pod is healthy), all at once with Parallel; their claims are removed
//      afterwards when persistentVolumeClaimRetentionPolicy.whenScaled is Delete;
//   3. RollingUpdate: pods of an older revision are deleted from the highest ordinal down to the
//      partition while fewer than maxUnavailable (default 1) pods are unavailable; each comes back
//      in step 1 at the new revision. OnDelete: only pods someone deleted come back new.
// A replacement below the partition keeps the current revision; its template comes from a pod of
// that revision (Kite keeps no ControllerRevision objects).
import type { PersistentVolumeClaim, Pod, PodTemplateSpec, StatefulSet } from '../../common/api/types';
import { isKiteError } from '../../common/errors';
import { isBeingDeleted, isPodTerminal } from '../../common/api/pod';
import { canonicalJson } from '../../common/canonical';
import { parseIntOrPercent } from '../../common/manifest/quantity';
import type { WorkloadDeps } from './base';
import { PodOwnerController } from './pod-owner';
import type { PodIndex } from './pod-index';
import { isPodReady, podAvailability } from './pods';
import { claimName, claimOwners, claimsFor, ordinalOf, podRevision, revisionOf, startOrdinal, statefulPod, statefulPodName, templateFromPod } from './statefulset-pods';

type StsStatus = NonNullable<StatefulSet['status']>;

/** What one pass found: the pods by ordinal, those beyond the replicas, and how long until a pod becomes available. */
interface Observed {
  set: StatefulSet;
  key: string;
  updateRevision: string;
  currentRevision: string;
  /** Pods at ordinals start..start+replicas-1, by ordinal. */
  replicas: Map<number, Pod>;
  /** Pods at other ordinals, highest first. */
  condemned: Pod[];
  healthy(p: Pod): boolean;
  waitMs: number;
}

export class StatefulSetController extends PodOwnerController<StatefulSet> {
  constructor(deps: WorkloadDeps, pods: PodIndex) {
    super('statefulset-controller', 'StatefulSet', deps, pods);
    // Claims are not owned by the pods (they outlive them): any claim change looks at the sets of its namespace.
    this.informers.get<PersistentVolumeClaim>('PersistentVolumeClaim').on((_type, claim) => {
      const ns = claim.metadata.namespace ?? 'default';
      for (const set of this.informers.get<StatefulSet>('StatefulSet').list()) {
        if ((set.metadata.namespace ?? 'default') === ns && (set.spec.volumeClaimTemplates?.length ?? 0) > 0) this.enqueueSoon(`${ns}/${set.metadata.name}`);
      }
    });
  }

  protected watchedKinds(): string[] {
    return ['StatefulSet', 'Pod', 'PersistentVolumeClaim'];
  }

  protected async reconcile(key: string): Promise<number | void> {
    const set = this.cached(key);
    if (!set || isBeingDeleted(set)) return;
    const seen = this.observe(key, set);
    if (!this.expectations.satisfied(key)) {
      // Our last writes have not reached the cache yet: acting now could repeat them.
      seen.waitMs = Math.min(seen.waitMs, this.expectations.expiresInMs(key));
    } else {
      await this.syncReplicas(seen);
      await this.deleteScaledDownClaims(seen);
    }
    await this.writeStatus(set, this.statusOf(seen));
    return Number.isFinite(seen.waitMs) ? seen.waitMs : undefined;
  }

  private observe(key: string, set: StatefulSet): Observed {
    const now = this.clock.now();
    const minReady = set.spec.minReadySeconds ?? 0;
    const start = startOrdinal(set);
    const end = start + (set.spec.replicas ?? 1);
    const replicas = new Map<number, Pod>();
    const condemned: Pod[] = [];
    for (const pod of this.pods.ownedBy(set.metadata.uid)) {
      const ordinal = ordinalOf(set, pod);
      if (ordinal !== undefined && ordinal >= start && ordinal < end) replicas.set(ordinal, pod);
      else condemned.push(pod); // beyond the replicas, or a name that is no ordinal of ours
    }
    condemned.sort((a, b) => (ordinalOf(set, b) ?? Infinity) - (ordinalOf(set, a) ?? Infinity));
    const updateRevision = revisionOf(set);
    const seen: Observed = {
      set,
      key,
      updateRevision,
      currentRevision: set.status?.currentRevision ?? updateRevision,
      replicas,
      condemned,
      waitMs: Infinity,
      healthy: (p) => {
        const a = podAvailability(p, minReady, now);
        if (!a.available && Number.isFinite(a.waitMs)) seen.waitMs = Math.min(seen.waitMs, a.waitMs);
        return a.available;
      },
    };
    return seen;
  }

  /** Steps 1-3 of the header; returns early where OrderedReady must wait. */
  private async syncReplicas(seen: Observed): Promise<void> {
    const { set, replicas, condemned } = seen;
    const ordered = set.spec.podManagementPolicy !== 'Parallel';
    const start = startOrdinal(set);
    const end = start + (set.spec.replicas ?? 1);

    for (let ordinal = start; ordinal < end; ordinal++) {
      const pod = replicas.get(ordinal);
      if (pod && isPodTerminal(pod) && !isBeingDeleted(pod)) {
        // A finished pod is deleted, then re-created under the same name once it is gone.
        await this.deletePod(seen, pod, 'RecreatingFailedPod');
        if (ordered) return;
        continue;
      }
      if (!pod) {
        if (!(await this.ensureClaims(seen, ordinal))) {
          if (ordered) return;
          continue;
        }
        await this.createPod(seen, ordinal);
        if (ordered) return;
        continue;
      }
      if (isBeingDeleted(pod)) {
        if (ordered) return;
        continue;
      }
      await this.ensureClaims(seen, ordinal);
      if (!seen.healthy(pod) && ordered) return;
    }

    for (const pod of condemned) {
      if (isBeingDeleted(pod)) {
        if (ordered) return;
        continue;
      }
      // OrderedReady scales down only while every other pod is healthy.
      if (ordered && [...replicas.values(), ...condemned].some((p) => p !== pod && !seen.healthy(p))) return;
      await this.deletePod(seen, pod, 'SuccessfulDelete');
      if (ordered) return;
    }

    if (set.spec.updateStrategy?.type === 'OnDelete') return;
    await this.rollOut(seen, start, end);
  }

  /** Step 3: old-revision pods go from the highest ordinal down to the partition, within maxUnavailable. */
  private async rollOut(seen: Observed, start: number, end: number): Promise<void> {
    const { set, replicas, updateRevision } = seen;
    const rolling = set.spec.updateStrategy?.rollingUpdate;
    const count = end - start;
    const maxUnavailable = Math.max(1, parseIntOrPercent(rolling?.maxUnavailable ?? 1, count, false));
    let unavailable = 0;
    for (let ordinal = start; ordinal < end; ordinal++) {
      const pod = replicas.get(ordinal);
      if (!pod || isBeingDeleted(pod) || !seen.healthy(pod)) unavailable++;
    }
    // The partition counts from the first ordinal, as Kubernetes indexes its replicas.
    const lowest = start + (rolling?.partition ?? 0);
    for (let ordinal = end - 1; ordinal >= lowest && unavailable < maxUnavailable; ordinal--) {
      const pod = replicas.get(ordinal);
      if (!pod || isBeingDeleted(pod) || podRevision(pod) === updateRevision) continue;
      await this.deletePod(seen, pod, 'SuccessfulDelete');
      if (seen.healthy(pod)) unavailable++;
    }
  }

  /** The template and revision for a new pod at `ordinal` (Kubernetes' newVersionedStatefulSetPod). */
  private versionFor(seen: Observed, ordinal: number): { template: PodTemplateSpec; revision: string } {
    const { set, currentRevision, updateRevision } = seen;
    const partition = set.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
    const keepsCurrent = set.spec.updateStrategy?.type !== 'OnDelete' && ordinal - startOrdinal(set) < partition && currentRevision !== updateRevision;
    if (keepsCurrent) {
      const sibling = [...seen.replicas.values(), ...seen.condemned].find((p) => podRevision(p) === currentRevision);
      if (sibling) return { template: templateFromPod(sibling), revision: currentRevision };
    }
    return { template: set.spec.template, revision: updateRevision };
  }

  private async createPod(seen: Observed, ordinal: number): Promise<void> {
    const { template, revision } = this.versionFor(seen, ordinal);
    const created = await this.createOwnedPods(seen.key, [statefulPod(seen.set, ordinal, template, revision)]);
    for (const p of created) this.events.record(seen.set, 'Normal', 'SuccessfulCreate', `create Pod ${p.metadata.name} in StatefulSet ${seen.set.metadata.name} successful`);
  }

  private async deletePod(seen: Observed, pod: Pod, reason: string): Promise<void> {
    const n = await this.deleteOwnedPods(seen.key, [pod]);
    if (n) this.events.record(seen.set, reason === 'RecreatingFailedPod' ? 'Warning' : 'Normal', reason, `delete Pod ${pod.metadata.name} in StatefulSet ${seen.set.metadata.name} successful`);
  }

  /**
   * Creates the ordinal's missing claims and keeps their owner as the retention policy says.
   * False while one of them is being deleted: the pod must wait for a fresh claim.
   */
  private async ensureClaims(seen: Observed, ordinal: number): Promise<boolean> {
    const { set } = seen;
    const cache = this.informers.get<PersistentVolumeClaim>('PersistentVolumeClaim');
    let ready = true;
    for (const claim of claimsFor(set, ordinal)) {
      const ns = claim.metadata.namespace ?? 'default';
      const existing = cache.get(`${ns}/${claim.metadata.name}`);
      if (!existing) {
        try {
          await this.store.create(claim);
          this.events.record(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${statefulPodName(set, ordinal)} in StatefulSet ${set.metadata.name} success`);
        } catch (e) {
          if (!isKiteError(e, 'AlreadyExists')) throw e;
        }
        continue;
      }
      if (isBeingDeleted(existing)) {
        ready = false;
        continue;
      }
      await this.keepClaimOwner(set, existing);
    }
    return ready;
  }

  /** whenDeleted: Delete makes the set own its claims (the garbage collector removes them with it); Retain leaves them unowned. */
  private async keepClaimOwner(set: StatefulSet, claim: PersistentVolumeClaim): Promise<void> {
    const others = (claim.metadata.ownerReferences ?? []).filter((r) => !(r.kind === 'StatefulSet' && r.name === set.metadata.name));
    const wanted = [...others, ...(claimOwners(set) ?? [])];
    if (canonicalJson(wanted) === canonicalJson(claim.metadata.ownerReferences ?? [])) return;
    try {
      await this.store.update<PersistentVolumeClaim>({ ...claim, metadata: { ...claim.metadata, ownerReferences: wanted.length ? wanted : undefined } });
    } catch (e) {
      if (!isKiteError(e, 'Conflict') && !isKiteError(e, 'NotFound')) throw e;
    }
  }

  /** whenScaled: Delete removes the claims of ordinals beyond the replicas once their pod is gone. */
  private async deleteScaledDownClaims(seen: Observed): Promise<void> {
    const { set } = seen;
    if (set.spec.persistentVolumeClaimRetentionPolicy?.whenScaled !== 'Delete') return;
    const templates = (set.spec.volumeClaimTemplates ?? []).map((t) => t.metadata.name ?? '');
    if (!templates.length) return;
    const start = startOrdinal(set);
    const end = start + (set.spec.replicas ?? 1);
    const withPod = new Set([...seen.replicas.keys(), ...seen.condemned.map((p) => ordinalOf(set, p))]);
    const ns = set.metadata.namespace ?? 'default';
    for (const claim of this.informers.get<PersistentVolumeClaim>('PersistentVolumeClaim').list()) {
      if ((claim.metadata.namespace ?? 'default') !== ns || isBeingDeleted(claim)) continue;
      const ordinal = templates.map((t) => claimOrdinal(claim.metadata.name, t, set)).find((o) => o !== undefined);
      if (ordinal === undefined || (ordinal >= start && ordinal < end) || withPod.has(ordinal)) continue;
      try {
        await this.store.delete('PersistentVolumeClaim', ns, claim.metadata.name);
        this.events.record(set, 'Normal', 'SuccessfulDelete', `delete Claim ${claim.metadata.name} in StatefulSet ${set.metadata.name} successful`);
      } catch (e) {
        if (!isKiteError(e, 'NotFound')) throw e;
      }
    }
  }

  private statusOf(seen: Observed): StsStatus {
    const { set, updateRevision } = seen;
    let replicas = 0, ready = 0, available = 0, current = 0, updated = 0;
    for (const pod of [...seen.replicas.values(), ...seen.condemned]) {
      if (isBeingDeleted(pod) || isPodTerminal(pod)) continue;
      replicas++;
      if (isPodReady(pod)) ready++;
      if (seen.healthy(pod)) available++;
      const revision = podRevision(pod);
      if (revision === seen.currentRevision) current++;
      if (revision === updateRevision) updated++;
    }
    const want = set.spec.replicas ?? 1;
    let currentRevision = seen.currentRevision;
    // The update is complete: the new revision becomes the current one (Kubernetes' completeRollingUpdate).
    if (updated === want && ready === want && replicas === want) {
      currentRevision = updateRevision;
      current = updated;
    }
    return {
      observedGeneration: set.metadata.generation ?? 1,
      replicas,
      readyReplicas: ready,
      currentReplicas: current,
      updatedReplicas: updated,
      availableReplicas: available,
      currentRevision,
      updateRevision,
    };
  }

  private async writeStatus(set: StatefulSet, status: StsStatus): Promise<void> {
    if (canonicalJson(set.status ?? {}) === canonicalJson(status)) return;
    try {
      // Status is ours alone: write it onto the latest version rather than fail on a spec change.
      await this.store.updateStatus<StatefulSet>({ ...set, metadata: { ...set.metadata, resourceVersion: undefined }, status });
    } catch (e) {
      if (!isKiteError(e, 'NotFound')) throw e;
    }
  }
}

/** The ordinal of a claim named <template>-<set>-<ordinal>, or undefined for any other name. */
function claimOrdinal(name: string, template: string, set: StatefulSet): number | undefined {
  const prefix = claimName(template, set, 0).slice(0, -1);
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}
