// The Deployment controller: one ReplicaSet per distinct pod template (a revision), rolled from
// old to new honouring maxSurge/maxUnavailable and readiness (RollingUpdate) or all at once
// (Recreate). Everything is derived from the store on each pass (ReplicaSets, their revision
// annotations and the pods), so a rollout continues where it was after a restart or a leader change.
import type { Condition, Deployment, LabelSelector, Pod, PodTemplateSpec, ReplicaSet } from '../../common/api/types';
import { invalid, isKiteError } from '../../common/errors';
import { canonicalJson } from '../../common/canonical';
import { parseIntOrPercent } from '../../common/manifest/quantity';
import { WorkloadController, type WorkloadDeps } from './base';
import type { PodIndex } from './pod-index';
import { controllerRef, isLive, isPodReady, isTerminal, ownerKey, ownerReferenceTo, podAvailability, templateHash } from './pods';
import { findCondition, setCondition } from './conditions';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const POD_TEMPLATE_HASH = 'pod-template-hash';
const DEFAULT_PROGRESS_DEADLINE_S = 600;
const DEFAULT_HISTORY_LIMIT = 10;

/** What the pods of one ReplicaSet look like right now. */
export interface RsView {
  rs: ReplicaSet;
  /** spec.replicas, as this pass decides it. */
  replicas: number;
  live: number;
  /** Pods not finished, Terminating ones included: Recreate waits until none of the old is left. */
  running: number;
  ready: number;
  available: number;
  revision: number;
}

export class DeploymentController extends WorkloadController<Deployment> {
  constructor(
    deps: WorkloadDeps,
    private readonly pods: PodIndex,
  ) {
    super('deployment-controller', 'Deployment', deps);
    this.informers.get<ReplicaSet>('ReplicaSet').on((_type, rs, old) => {
      const key = ownerKey(rs, 'Deployment') ?? (old ? ownerKey(old, 'Deployment') : undefined);
      if (key) this.enqueueSoon(key);
    });
    // Pod readiness drives rollouts: a pod event wakes the Deployment that owns the pod's ReplicaSet.
    this.informers.get<Pod>('Pod').on((_type, pod) => {
      const rsKey = ownerKey(pod, 'ReplicaSet');
      const rs = rsKey ? this.informers.get<ReplicaSet>('ReplicaSet').get(rsKey) : undefined;
      const key = rs ? ownerKey(rs, 'Deployment') : undefined;
      if (key) this.enqueueSoon(key);
    });
  }

  protected watchedKinds(): string[] {
    return ['Deployment', 'ReplicaSet', 'Pod'];
  }

  protected override forget(key: string): void {
    const [namespace = '', deployment = ''] = key.split('/');
    for (const type of ['desired', 'updated', 'available', 'unavailable']) this.metrics.deploymentReplicas.remove({ namespace, deployment, type });
  }

  protected async reconcile(key: string): Promise<number | void> {
    const cached = this.cached(key);
    if (!cached) return;
    let d = cached;
    const now = this.clock.now();
    const desired = d.spec.replicas ?? 1;
    const minReady = d.spec.minReadySeconds ?? 0;
    const hash = templateHash(stripHash(d.spec.template));
    let waitMs = Infinity;

    const view = (rs: ReplicaSet): RsView => {
      let live = 0, running = 0, ready = 0, available = 0;
      for (const p of this.pods.ownedBy(rs.metadata.uid)) {
        if (!isTerminal(p)) running++;
        if (!isLive(p)) continue;
        live++;
        if (isPodReady(p)) ready++;
        const a = podAvailability(p, minReady, now);
        if (a.available) available++;
        else waitMs = Math.min(waitMs, a.waitMs);
      }
      return { rs, replicas: rs.spec.replicas ?? 0, live, running, ready, available, revision: revisionOf(rs) };
    };

    const owned = this.ownedReplicaSets(d).map(view);
    let current = owned.find((v) => v.rs.metadata.labels?.[POD_TEMPLATE_HASH] === hash);
    const old = owned.filter((v) => v !== current).sort((a, b) => a.revision - b.revision || a.rs.metadata.name.localeCompare(b.rs.metadata.name));
    const maxOldRevision = old.reduce((m, v) => Math.max(m, v.revision), 0);
    let progressed = false;

    if (!d.spec.paused) {
      // The ReplicaSet for the current template, created or (on rollback) brought back as the newest revision.
      if (!current) {
        current = view(await this.createReplicaSet(d, hash, maxOldRevision + 1));
        progressed = true;
      } else if (current.revision <= maxOldRevision || (current.rs.spec.minReadySeconds ?? 0) !== minReady) {
        const rs = current.rs;
        const revision = current.revision <= maxOldRevision ? maxOldRevision + 1 : current.revision;
        const updated = await this.store.update<ReplicaSet>({
          ...rs,
          metadata: { ...rs.metadata, annotations: { ...rs.metadata.annotations, [REVISION_ANNOTATION]: String(revision) } },
          spec: { ...rs.spec, minReadySeconds: minReady },
        });
        current = { ...current, rs: updated, revision };
        progressed = true;
      }
      if (d.metadata.annotations?.[REVISION_ANNOTATION] !== String(current.revision)) {
        d = await this.store.update<Deployment>({ ...d, metadata: { ...d.metadata, annotations: { ...d.metadata.annotations, [REVISION_ANNOTATION]: String(current.revision) } } });
      }

      const before = new Map(owned.map((v) => [v.rs.metadata.name, v.replicas]));
      if (current) before.set(current.rs.metadata.name, current.rs.spec.replicas ?? 0);
      if (d.spec.strategy?.type === 'Recreate') planRecreate(current, old, desired);
      else planRollingUpdate(current, old, desired, d);
      for (const v of [current, ...old]) {
        const was = before.get(v.rs.metadata.name) ?? 0;
        if (v.replicas === was) continue;
        await this.scale(d, v, was);
        progressed = true;
      }
    } else if (current && old.every((v) => v.replicas === 0) && current.replicas !== desired) {
      // Paused: no rollout, but plain scaling of a settled Deployment still applies.
      const was = current.replicas;
      current.replicas = desired;
      await this.scale(d, current, was);
    }

    const all = current ? [current, ...old] : old;
    const status = this.statusOf(d, all, current, desired, progressed, now);
    if (status.deadlineMs !== undefined) waitMs = Math.min(waitMs, status.deadlineMs);
    if (canonicalJson(d.status ?? {}) !== canonicalJson(status.status)) {
      await this.store.updateStatus<Deployment>({ ...d, metadata: { ...d.metadata, resourceVersion: undefined }, status: status.status });
    }
    this.setMetrics(d, desired, status.status);

    if (status.complete) await this.pruneHistory(d, old);
    return Number.isFinite(waitMs) ? waitMs : undefined;
  }

  private ownedReplicaSets(d: Deployment): ReplicaSet[] {
    const out: ReplicaSet[] = [];
    for (const rs of this.informers.get<ReplicaSet>('ReplicaSet').list()) {
      if (rs.metadata.namespace === d.metadata.namespace && controllerRef(rs)?.uid === d.metadata.uid) out.push(rs);
    }
    return out;
  }

  private async createReplicaSet(d: Deployment, hash: string, revision: number): Promise<ReplicaSet> {
    const template = stripHash(d.spec.template);
    const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels,
        annotations: { [REVISION_ANNOTATION]: String(revision) },
        ownerReferences: [ownerReferenceTo(d)],
      },
      spec: {
        replicas: 0,
        selector: withHash(d.spec.selector, hash),
        template: { ...template, metadata: { ...template.metadata, labels } },
        minReadySeconds: d.spec.minReadySeconds ?? 0,
      },
    };
    try {
      return await this.store.create(rs);
    } catch (e) {
      if (!isKiteError(e, 'AlreadyExists')) throw e;
      // Our cache had not seen it yet; use it if it is ours.
      const existing = await this.store.get<ReplicaSet>('ReplicaSet', rs.metadata.namespace ?? 'default', rs.metadata.name);
      if (existing && controllerRef(existing)?.uid === d.metadata.uid) return existing;
      throw invalid(`ReplicaSet "${rs.metadata.name}" exists and is not owned by Deployment "${d.metadata.name}"`);
    }
  }

  private async scale(d: Deployment, v: RsView, was: number): Promise<void> {
    const rs = v.rs;
    v.rs = await this.store.update<ReplicaSet>({ ...rs, spec: { ...rs.spec, replicas: v.replicas } });
    const verb = v.replicas > was ? 'up' : 'down';
    this.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${verb} replica set ${rs.metadata.name} to ${v.replicas}`);
  }

  private statusOf(d: Deployment, all: RsView[], current: RsView | undefined, desired: number, progressed: boolean, now: number) {
    const sum = (f: (v: RsView) => number) => all.reduce((n, v) => n + f(v), 0);
    const replicas = sum((v) => v.live);
    const updated = current?.live ?? 0;
    const ready = sum((v) => v.ready);
    const available = sum((v) => v.available);
    const prev = d.status ?? {};
    const { maxUnavailable } = rollingLimits(d, desired);
    const strategyMaxUnavailable = d.spec.strategy?.type === 'Recreate' ? 0 : maxUnavailable;
    const complete =
      !!current && updated === desired && replicas === desired && available === desired && current.replicas === desired && all.every((v) => v === current || v.replicas === 0);

    let conditions = setCondition(
      prev.conditions,
      available >= desired - strategyMaxUnavailable
        ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
        : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
      now,
    );
    const rsName = current?.rs.metadata.name ?? d.metadata.name;
    const prevProgressing = findCondition(prev.conditions, 'Progressing');
    const deadlineS = d.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_S;
    let deadlineMs: number | undefined;
    const improved =
      progressed ||
      (prev.observedGeneration ?? 0) < (d.metadata.generation ?? 1) ||
      updated > (prev.updatedReplicas ?? 0) ||
      ready > (prev.readyReplicas ?? 0) ||
      available > (prev.availableReplicas ?? 0) ||
      replicas < (prev.replicas ?? 0);
    if (d.spec.paused) {
      conditions = setCondition(conditions, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }, now);
    } else if (complete) {
      conditions = setCondition(conditions, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` }, now);
    } else if (improved || !prevProgressing || prevProgressing.reason === 'DeploymentPaused') {
      conditions = setCondition(conditions, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` }, now, true);
      deadlineMs = deadlineS * 1000;
    } else if (prevProgressing.reason === 'ReplicaSetUpdated') {
      // No news since lastUpdateTime: past the deadline the rollout is reported stuck (and left as it is).
      const since = Date.parse(prevProgressing.lastUpdateTime ?? prevProgressing.lastTransitionTime ?? '') || now;
      const left = since + deadlineS * 1000 - now;
      if (left <= 0) {
        conditions = setCondition(conditions, { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rsName}" has timed out progressing.` }, now);
        this.events.record(d, 'Warning', 'ProgressDeadlineExceeded', `Deployment "${d.metadata.name}" has timed out progressing.`);
      } else deadlineMs = left;
    }
    const status = {
      observedGeneration: d.metadata.generation ?? 1,
      replicas,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
      unavailableReplicas: Math.max(0, desired - available),
      conditions: keepTimesIfUnchanged(prev.conditions, conditions),
    };
    return { status, complete, deadlineMs };
  }

  private setMetrics(d: Deployment, desired: number, s: NonNullable<Deployment['status']>): void {
    const labels = { namespace: d.metadata.namespace ?? 'default', deployment: d.metadata.name };
    this.metrics.deploymentReplicas.set({ ...labels, type: 'desired' }, desired);
    this.metrics.deploymentReplicas.set({ ...labels, type: 'updated' }, s.updatedReplicas ?? 0);
    this.metrics.deploymentReplicas.set({ ...labels, type: 'available' }, s.availableReplicas ?? 0);
    this.metrics.deploymentReplicas.set({ ...labels, type: 'unavailable' }, s.unavailableReplicas ?? 0);
  }

  /** Keeps revisionHistoryLimit old ReplicaSets that are scaled to zero and empty; deletes older ones. */
  private async pruneHistory(d: Deployment, old: RsView[]): Promise<void> {
    const limit = d.spec.revisionHistoryLimit ?? DEFAULT_HISTORY_LIMIT;
    const idle = old.filter((v) => v.replicas === 0 && v.live === 0 && (v.rs.status?.replicas ?? 0) === 0);
    for (const v of idle.slice(0, Math.max(0, idle.length - limit))) {
      try {
        await this.store.delete('ReplicaSet', v.rs.metadata.namespace ?? 'default', v.rs.metadata.name, { resourceVersion: v.rs.metadata.resourceVersion });
      } catch (e) {
        if (!isKiteError(e, 'NotFound') && !isKiteError(e, 'Conflict')) throw e;
      }
    }
  }
}

/** maxSurge rounds up, maxUnavailable down (Kubernetes); both zero would deadlock, so unavailable becomes 1. */
export function rollingLimits(d: Deployment, desired: number): { maxSurge: number; maxUnavailable: number } {
  const ru = d.spec.strategy?.rollingUpdate;
  const maxSurge = parseIntOrPercent(ru?.maxSurge ?? '25%', desired, true);
  let maxUnavailable = parseIntOrPercent(ru?.maxUnavailable ?? '25%', desired, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, desired) };
}

/**
 * One step of a rolling update, deciding new spec.replicas in place. Counts are conservative
 * against the moment: a ReplicaSet counts as many pods as it has or is asked for, whichever is
 * more, and as available only as many pods as it will keep (its surplus is deleted unready first).
 */
export function planRollingUpdate(current: RsView, old: RsView[], desired: number, d: Deployment): void {
  const { maxSurge, maxUnavailable } = rollingLimits(d, desired);
  const all = [current, ...old];
  // Scale the new ReplicaSet up within the surge budget (or down, when the Deployment shrank).
  if (current.replicas > desired) current.replicas = desired;
  else if (current.replicas < desired) {
    const total = all.reduce((n, v) => n + Math.max(v.replicas, v.live), 0);
    const up = Math.min(desired + maxSurge - total, desired - current.replicas);
    if (up > 0) current.replicas += up;
  }
  // Scale old ReplicaSets down without going below the availability floor.
  const minAvailable = desired - maxUnavailable;
  const newUnavailable = Math.max(0, current.replicas - current.available);
  const allReplicas = all.reduce((n, v) => n + v.replicas, 0);
  let cleanup = allReplicas - minAvailable - newUnavailable;
  if (cleanup <= 0) return;
  // First old pods that are not available anyway: removing them costs no availability.
  for (const v of old) {
    if (cleanup <= 0) break;
    const unhealthy = v.replicas - Math.min(v.available, v.replicas);
    const down = Math.min(cleanup, unhealthy);
    if (down > 0) {
      v.replicas -= down;
      cleanup -= down;
    }
  }
  let canDown = all.reduce((n, v) => n + Math.min(v.available, v.replicas), 0) - minAvailable;
  for (const v of old) {
    if (canDown <= 0) break;
    const down = Math.min(canDown, v.replicas);
    v.replicas -= down;
    canDown -= down;
  }
}

/** Recreate: every old pod goes first (stopped, not only Terminating); the new ReplicaSet scales up only once none is left. */
export function planRecreate(current: RsView, old: RsView[], desired: number): void {
  for (const v of old) v.replicas = 0;
  if (old.some((v) => v.running > 0)) {
    if (current.replicas > desired) current.replicas = desired;
    return;
  }
  current.replicas = desired;
}

function revisionOf(rs: ReplicaSet): number {
  const n = Number(rs.metadata.annotations?.[REVISION_ANNOTATION]);
  return Number.isFinite(n) ? n : 0;
}

/** The template without the pod-template-hash label (a template copied back from an old ReplicaSet carries it). */
export function stripHash(t: PodTemplateSpec): PodTemplateSpec {
  const labels = t.metadata?.labels;
  if (!labels || !(POD_TEMPLATE_HASH in labels)) return t;
  const { [POD_TEMPLATE_HASH]: _h, ...rest } = labels;
  return { ...t, metadata: { ...t.metadata, labels: rest } };
}

function withHash(selector: LabelSelector, hash: string): LabelSelector {
  return { ...selector, matchLabels: { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash } };
}

/** A status rewrite that changes only timestamps of otherwise-equal conditions is not worth a write. */
function keepTimesIfUnchanged(prev: Condition[] | undefined, next: Condition[]): Condition[] {
  return next.map((c) => {
    const p = findCondition(prev, c.type);
    return p && p.status === c.status && p.reason === c.reason && p.message === c.message && p.lastUpdateTime === c.lastUpdateTime ? p : c;
  });
}
