// The Compose depends_on controller (leader only): a pod created with the scheduling gate
// kite.io/depends-on is released (the gate removed, so the scheduler places it) once every
// dependency its annotation names holds, as `docker compose up` starts a service only after its
// dependencies are started, healthy or completed. Like Compose, a released pod is never held back
// again, whatever its dependencies do later.
import type { Job, Pod } from '../../common/api/types';
import { isKiteError } from '../../common/errors';
import { hasSchedulingGate, withoutSchedulingGate } from '../../common/api/scheduling-gates';
import { isBeingDeleted } from '../../common/api/pod';
import { WorkloadController, type WorkloadDeps } from './base';
import { ComposeServiceIndex, composeServiceKey } from './compose-service-index';
import { DEPENDS_ON_ANNOTATION, DEPENDS_ON_GATE, type Dependency, describeDependency, parseDependsOn } from '../../common/api/depends-on';
import { findCondition } from './conditions';
import { isPodReady } from './pods';

/** Conflicts (the scheduler marking the pod SchedulingGated meanwhile) are retried on a fresh copy this often. */
const RELEASE_ATTEMPTS = 5;

export class DependsOnController extends WorkloadController<Pod> {
  private readonly servicePods: ComposeServiceIndex<Pod>;
  private readonly serviceJobs: ComposeServiceIndex<Job>;
  /** Waiting pods by the "namespace/service" they wait for: a change there gives them a pass. */
  private readonly waiters = new Map<string, Set<string>>();
  /** What each waiting pod waits for (to unregister it). */
  private readonly waitsFor = new Map<string, string[]>();
  /** The last WaitingForDependencies / InvalidDependencies event per pod, so each is recorded once. */
  private readonly reported = new Map<string, string>();

  constructor(deps: WorkloadDeps) {
    super('depends-on-controller', 'Pod', deps);
    const wake = (serviceKey: string) => {
      for (const key of this.waiters.get(serviceKey) ?? []) this.enqueue(key);
    };
    this.servicePods = new ComposeServiceIndex(this.informers.get<Pod>('Pod'), wake);
    this.serviceJobs = new ComposeServiceIndex(this.informers.get<Job>('Job'), wake);
  }

  protected watchedKinds(): string[] {
    return ['Pod', 'Job'];
  }

  /** Only pods still held by our gate need passes. */
  protected override handles(pod: Pod): boolean {
    return hasSchedulingGate(pod, DEPENDS_ON_GATE);
  }

  protected override forget(key: string): void {
    this.unregister(key);
    this.reported.delete(key);
  }

  protected async reconcile(key: string): Promise<void> {
    const pod = this.cached(key);
    if (!pod || !hasSchedulingGate(pod, DEPENDS_ON_GATE) || isBeingDeleted(pod)) return this.forget(key);
    const parsed = parseDependsOn(pod.metadata.annotations?.[DEPENDS_ON_ANNOTATION]);
    if (!parsed.ok) {
      // The gate stays: releasing a pod whose dependencies nobody can read would start it too early.
      this.unregister(key);
      this.reportOnce(key, pod, 'Warning', 'InvalidDependencies', `${parsed.problem}; the pod stays gated`);
      return;
    }
    const namespace = pod.metadata.namespace ?? 'default';
    this.register(key, parsed.dependencies.map((d) => composeServiceKey(namespace, d.service)));
    const waiting = parsed.dependencies.filter((d) => !this.holds(namespace, d));
    if (waiting.length) {
      this.reportOnce(key, pod, 'Normal', 'WaitingForDependencies', `waiting for ${waiting.map(describeDependency).join(', ')}`);
      return;
    }
    if (await this.release(pod)) {
      const what = parsed.dependencies.length ? parsed.dependencies.map((d) => `${d.service} (${d.condition})`).join(', ') : 'none';
      this.events.record(pod, 'Normal', 'DependenciesReady', `dependencies ready: ${what}; removed scheduling gate ${DEPENDS_ON_GATE}`);
    }
    this.forget(key);
  }

  /** Whether the dependency's condition holds now. */
  private holds(namespace: string, d: Dependency): boolean {
    switch (d.condition) {
      case 'service_started':
        // Started, as Compose means it: running, or already exited successfully (a one-shot service).
        return this.servicePods.of(namespace, d.service).some((p) => !isBeingDeleted(p) && (p.status?.phase === 'Running' || p.status?.phase === 'Succeeded'));
      case 'service_healthy':
        return this.servicePods.of(namespace, d.service).some(isPodReady);
      case 'service_completed_successfully':
        return this.serviceJobs.of(namespace, d.service).some((j) => findCondition(j.status?.conditions, 'Complete')?.status === 'True');
    }
  }

  /** Removes our gate; a Conflict is retried on the stored copy. False: the gate was already gone. */
  private async release(pod: Pod): Promise<boolean> {
    const namespace = pod.metadata.namespace ?? 'default';
    let current: Pod | undefined = pod;
    for (let attempt = 1; ; attempt++) {
      if (!current || !hasSchedulingGate(current, DEPENDS_ON_GATE) || isBeingDeleted(current)) return false;
      try {
        await this.store.update<Pod>(withoutSchedulingGate(current, DEPENDS_ON_GATE));
        return true;
      } catch (e) {
        if (!isKiteError(e, 'Conflict') || attempt >= RELEASE_ATTEMPTS) throw e;
        current = await this.store.get<Pod>('Pod', namespace, pod.metadata.name);
      }
    }
  }

  private reportOnce(key: string, pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const said = `${reason}: ${message}`;
    if (this.reported.get(key) === said) return;
    this.reported.set(key, said);
    this.events.record(pod, type, reason, message);
  }

  private register(key: string, services: string[]): void {
    this.unregister(key);
    this.waitsFor.set(key, services);
    for (const s of services) {
      let set = this.waiters.get(s);
      if (!set) this.waiters.set(s, (set = new Set()));
      set.add(key);
    }
  }

  private unregister(key: string): void {
    for (const s of this.waitsFor.get(key) ?? []) {
      const set = this.waiters.get(s);
      set?.delete(key);
      if (set?.size === 0) this.waiters.delete(s);
    }
    this.waitsFor.delete(key);
  }
}
