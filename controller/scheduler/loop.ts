// The scheduling loop (leader only): takes unbound pods from the pod informer, places them with
// the pure scheduler over a snapshot built once per cycle, and commits bindings in batched etcd
// transactions guarded by each pod's resourceVersion, so a pod changed or bound by someone else
// meanwhile is never double-booked (its binding fails and it is retried). Pods that fit nowhere
// get a PodScheduled=False condition that counts the rejections per rule, and wait for a change
// in the cluster that could make them fit (one the rejecting filters declared in requeueOn)
// instead of retrying in a loop. Pods with scheduling gates are not queued at all (neither tried
// nor reported unschedulable): they get PodScheduled=False SchedulingGated and wait for the update
// that removes their last gate.
import type { Namespace, Node, Pod, Condition } from '../../common/api/types';
import type { Logger } from '../../common/log';
import { isPodTerminal } from '../../common/api/pod';
import { SCHEDULING_GATED, isSchedulingGated, schedulingGatedCondition } from '../../common/api/scheduling-gates';
import { systemClock, type Clock, type Timer } from '../../common/clock';
import { errorMessage, isKiteError } from '../../common/errors';
import type { ObjectStore } from '../store/types';
import type { SharedInformers } from '../informers';
import type { EventRecorderLike } from '../events';
import type { ControllerMetrics } from '../metrics';
import { rfc3339 } from '../store/etcd-store';
import { isAwaitedChange, nodeChanges, type ClusterChange } from './cluster-change';
import { ClusterSnapshot } from './snapshot';
import { Scheduler } from './scheduler';
import { podKey } from './pod-info';
import { filtersWithVolumes } from './filters';
import { VolumePlacement } from '../storage/volume-placement';
import { podClaimKeys } from '../storage/volume-facts';

/** Pods placed per cycle; bounded so bindings start flowing before a huge queue is fully placed. */
const BATCH = 2000;
/** An unschedulable pod is retried at least this often, in case we missed the change that frees room. */
const UNSCHEDULABLE_RETRY_MS = 30_000;

interface Waiting {
  pod: Pod;
  since: number;
}

interface Parked extends Waiting {
  /** The changes that could make it fit (from the filters that rejected it). */
  awaits: ReadonlySet<ClusterChange>;
}

const PODS_FREED: ReadonlySet<ClusterChange> = new Set(['pods-freed']);
const PODS_BOUND: ReadonlySet<ClusterChange> = new Set(['pods-bound']);
const VOLUMES: ReadonlySet<ClusterChange> = new Set(['volumes']);

export class SchedulerLoop {
  private readonly scheduler: Scheduler;
  /** Claims for the volume filter, and the binding of a placed pod's WaitForFirstConsumer claims. */
  private readonly volumes: VolumePlacement;
  private readonly queue = new Map<string, Waiting>();
  /** Pods that fit nowhere: retried when a change they await happens, or by the periodic retry. */
  private readonly parked = new Map<string, Parked>();
  /** Bindings committed but not yet seen by the informer: they still count against their node. */
  private readonly assumed = new Map<string, Pod>();
  private running = false;
  private stopped = true;
  private kick: (() => void) | undefined;
  private retryTimer: Timer | undefined;

  constructor(
    private readonly store: ObjectStore,
    private readonly informers: SharedInformers,
    private readonly events: EventRecorderLike,
    private readonly metrics: ControllerMetrics,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {
    this.volumes = new VolumePlacement(store, informers, events, log);
    this.scheduler = new Scheduler({ filters: filtersWithVolumes(this.volumes) });
    this.volumes.onChange(() => {
      if (!this.stopped && this.parked.size) this.unpark(VOLUMES);
    });
    informers.get<Pod>('Pod').on((type, pod, old) => {
      if (this.stopped) return;
      const key = podKey(pod);
      if (type === 'DELETED') {
        this.queue.delete(key);
        this.parked.delete(key);
        this.assumed.delete(key);
        if (pod.spec.nodeName && !isPodTerminal(pod)) this.unpark(PODS_FREED);
        return;
      }
      if (pod.spec.nodeName) {
        this.queue.delete(key);
        this.parked.delete(key);
        this.assumed.delete(key);
        // A finished pod no longer holds its node's resources or ports.
        if (old?.spec.nodeName && !isPodTerminal(old) && isPodTerminal(pod)) this.unpark(PODS_FREED);
        else if (!old?.spec.nodeName && !isPodTerminal(pod) && this.parked.size) this.unpark(PODS_BOUND);
        return;
      }
      if (isPodTerminal(pod)) return;
      if (isSchedulingGated(pod)) return this.holdGated(pod);
      if (type === 'ADDED' || !old || this.queue.has(key)) this.enqueue(pod);
      else if (this.parked.has(key)) this.parked.get(key)!.pod = pod;
      else if (!this.assumed.has(key)) this.enqueue(pod);
    });
    informers.get<Node>('Node').on((type, node, old) => {
      if (this.stopped || type === 'DELETED') return;
      const changes = nodeChanges(type === 'ADDED' ? undefined : old, node);
      if (changes.size) this.unpark(changes);
    });
  }

  start(): void {
    this.stopped = false;
    for (const pod of this.informers.get<Pod>('Pod').list()) {
      if (pod.spec.nodeName || isPodTerminal(pod)) continue;
      if (isSchedulingGated(pod)) this.holdGated(pod);
      else this.enqueue(pod);
    }
    this.scheduleRetry();
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.queue.clear();
    this.parked.clear();
    this.assumed.clear();
    if (this.retryTimer) this.clock.clearTimeout(this.retryTimer);
    this.kick?.();
  }

  private enqueue(pod: Pod): void {
    const key = podKey(pod);
    const since = this.queue.get(key)?.since ?? this.parked.get(key)?.since ?? this.clock.now();
    this.parked.delete(key);
    this.queue.set(key, { pod, since });
    this.metrics.pendingPods.set(this.queue.size + this.parked.size);
    this.kick?.();
  }

  private scheduleRetry(): void {
    this.retryTimer = this.clock.setTimeout(() => {
      if (this.stopped) return;
      this.unpark('all');
      this.scheduleRetry();
    }, UNSCHEDULABLE_RETRY_MS);
  }

  /** Re-queues the parked pods awaiting one of the changes (all of them for 'all'). */
  private unpark(changes: ReadonlySet<ClusterChange> | 'all'): void {
    for (const [key, p] of this.parked) {
      if (changes !== 'all' && !isAwaitedChange(p.awaits, changes)) continue;
      this.parked.delete(key);
      this.queue.set(key, { pod: p.pod, since: p.since });
    }
    if (this.queue.size) this.kick?.();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.informers.synced(['Pod', 'Node']);
      while (!this.stopped) {
        if (this.queue.size === 0) {
          await new Promise<void>((r) => (this.kick = r));
          this.kick = undefined;
          continue;
        }
        await this.cycle().catch((e) => this.log.warn({ err: errorMessage(e) }, 'scheduling cycle failed'));
      }
    } finally {
      this.running = false;
    }
  }

  /** One cycle: snapshot, place up to BATCH pods, commit their bindings. */
  async cycle(): Promise<void> {
    const batch: Waiting[] = [];
    for (const [key, w] of this.queue) {
      this.queue.delete(key);
      batch.push(w);
      if (batch.length >= BATCH) break;
    }
    const nodes = [...this.informers.get<Node>('Node').list()];
    const pods = [...this.informers.get<Pod>('Pod').list()];
    for (const a of this.assumed.values()) pods.push(a);
    const snapshot = ClusterSnapshot.build(nodes, pods);
    // Inter-pod affinity terms with a namespaceSelector match namespaces by their labels.
    const namespaces = this.informers.get<Namespace>('Namespace');
    snapshot.namespaceLabels = (ns) => namespaces.get(ns)?.metadata.labels;
    const results = this.scheduler.scheduleAll(batch.map((w) => w.pod), snapshot);

    const bindings: Pod[] = [];
    const bound: Waiting[] = [];
    results.forEach((r, i) => {
      const w = batch[i]!;
      if ('node' in r) {
        bindings.push({ ...w.pod, spec: { ...w.pod.spec, nodeName: r.node } });
        bound.push(w);
      } else {
        this.metrics.schedulingAttempts.inc({ result: 'unschedulable' });
        this.parked.set(podKey(w.pod), { pod: w.pod, since: w.since, awaits: r.unschedulable.requeueOn });
        void this.reportUnschedulable(w.pod, r.unschedulable.message);
      }
    });
    await this.bindClaims(bindings, bound);
    if (bindings.length) {
      for (const b of bindings) this.assumed.set(podKey(b), b);
      const written = await this.store.updateMany(bindings, 'spec');
      const now = this.clock.now();
      written.forEach((res, i) => {
        const w = bound[i]!;
        const key = podKey(w.pod);
        if (res instanceof Error) {
          this.assumed.delete(key);
          if (isKiteError(res, 'NotFound')) return;
          this.metrics.schedulingAttempts.inc({ result: 'error' });
          // Changed meanwhile: take the informer's newer copy next cycle (if still unbound).
          const latest = this.informers.get<Pod>('Pod').get(key);
          if (latest && !latest.spec.nodeName) this.queue.set(key, { pod: latest, since: w.since });
          return;
        }
        this.metrics.schedulingAttempts.inc({ result: 'scheduled' });
        this.metrics.schedulingLatency.observe((now - w.since) / 1000);
        this.events.record(w.pod, 'Normal', 'Scheduled', `Successfully assigned ${key} to ${bindings[i]!.spec.nodeName}`);
      });
    }
    this.metrics.pendingPods.set(this.queue.size + this.parked.size);
  }

  /**
   * Binds the unbound WaitForFirstConsumer claims of placed pods for their node before the pods'
   * bindings are written; a pod whose claims could not be bound there is dropped from `bindings`
   * and tried again. Pods without claims (nearly all) cost one array check.
   */
  private async bindClaims(bindings: Pod[], bound: Waiting[]): Promise<void> {
    const withClaims = bindings.flatMap((pod, i) => (podClaimKeys(pod).length > 0 ? [i] : []));
    if (withClaims.length === 0) return;
    const ready = await this.volumes.prepare(withClaims.map((i) => ({ pod: bindings[i]!, node: bindings[i]!.spec.nodeName! })));
    for (let j = withClaims.length - 1; j >= 0; j--) {
      if (ready[j]) continue;
      const i = withClaims[j]!;
      const w = bound[i]!;
      this.queue.set(podKey(w.pod), { pod: this.informers.get<Pod>('Pod').get(podKey(w.pod)) ?? w.pod, since: w.since });
      bindings.splice(i, 1);
      bound.splice(i, 1);
    }
  }

  /** Keeps a gated pod out of scheduling, and marks it SchedulingGated (once) as Kubernetes does at creation. */
  private holdGated(pod: Pod): void {
    const key = podKey(pod);
    this.queue.delete(key);
    this.parked.delete(key);
    const current = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (current?.reason === SCHEDULING_GATED) return;
    const conditions = [...(pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), schedulingGatedCondition(rfc3339(this.clock.now()))];
    void this.store
      .updateStatus<Pod>({ ...pod, status: { ...pod.status, phase: pod.status?.phase ?? 'Pending', conditions }, metadata: { ...pod.metadata, resourceVersion: undefined } })
      .catch((e: unknown) => {
        if (!isKiteError(e, 'NotFound')) this.log.debug({ pod: key, err: errorMessage(e) }, 'could not record scheduling-gated condition');
      });
  }

  private async reportUnschedulable(pod: Pod, message: string): Promise<void> {
    this.events.record(pod, 'Warning', 'FailedScheduling', message);
    const current = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (current?.status === 'False' && current.message === message) return;
    const condition: Condition = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastTransitionTime: rfc3339(this.clock.now()) };
    const conditions = [...(pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), condition];
    try {
      await this.store.updateStatus<Pod>({ ...pod, status: { ...pod.status, phase: pod.status?.phase ?? 'Pending', conditions }, metadata: { ...pod.metadata, resourceVersion: undefined } });
    } catch (e) {
      if (!isKiteError(e, 'NotFound')) this.log.debug({ pod: podKey(pod), err: errorMessage(e) }, 'could not record unschedulable condition');
    }
  }
}
