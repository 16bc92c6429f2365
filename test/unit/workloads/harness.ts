// A small cluster for workload controller tests: the in-memory store, real informers, the
// workload controllers on a FakeClock, and helpers that play the scheduler and the kubelet.
import type { Condition, KObject, Node, Pod } from '../../../common/api/types';
import { kindInfo } from '../../../common/kinds/registry';
import { FakeClock } from '../../../common/clock';
import { silentLogger } from '../../../common/log';
import { MemoryStore } from '../../../controller/store/memory-store';
import { SharedInformers } from '../../../controller/informers';
import { ControllerMetrics } from '../../../controller/metrics';
import type { EventRecorderLike } from '../../../controller/events';
import { createWorkloadControllers, type WorkloadComponent } from '../../../controller/workloads';

export interface RecordedEvent {
  object: string;
  type: string;
  reason: string;
  message: string;
}

export class TestCluster {
  readonly clock = new FakeClock();
  readonly store = new MemoryStore({ clock: this.clock });
  readonly informers = new SharedInformers(this.store, silentLogger);
  readonly metrics = new ControllerMetrics({ defaultMetrics: false });
  readonly recorded: RecordedEvent[] = [];
  readonly events: EventRecorderLike = {
    record: (obj, type, reason, message) => this.recorded.push({ object: `${obj.kind}/${obj.metadata.name}`, type, reason, message }),
  };
  controllers: WorkloadComponent[] = [];

  async start(): Promise<void> {
    this.controllers = createWorkloadControllers({ store: this.store, informers: this.informers, events: this.events, metrics: this.metrics, log: silentLogger, clock: this.clock, coalesceMs: 0 });
    this.informers.start();
    for (const c of this.controllers) c.start();
    await this.settle();
  }

  /** A controller restart (or leader change): fresh controllers, nothing carried over in memory. */
  async restartControllers(): Promise<void> {
    for (const c of this.controllers) c.stop();
    this.controllers = createWorkloadControllers({ store: this.store, informers: this.informers, events: this.events, metrics: this.metrics, log: silentLogger, clock: this.clock, coalesceMs: 0 });
    for (const c of this.controllers) c.start();
    await this.settle();
  }

  stop(): void {
    for (const c of this.controllers) c.stop();
    this.informers.stop();
  }

  /**
   * Plays the kubelet's part of graceful deletion: a pod marked for deletion has its containers
   * stopped and is removed. Off, Terminating pods stay (as on a node whose agent is slow).
   */
  kubeletStopsPods = true;

  /** Waits until the controllers stop writing: informers caught up, queues idle, revision stable. */
  async settle(): Promise<void> {
    let quiet = 0;
    for (let i = 0; i < 2000 && quiet < 3; i++) {
      const before = await this.store.revision();
      if (this.kubeletStopsPods) await this.stopTerminatingPods();
      await new Promise((r) => setImmediate(r));
      await Promise.all(this.controllers.map((c) => c.idle()));
      this.clock.advance(0);
      await new Promise((r) => setImmediate(r));
      quiet = (await this.store.revision()) === before ? quiet + 1 : 0;
    }
  }

  private async stopTerminatingPods(): Promise<void> {
    for (const p of (await this.store.list<Pod>('Pod')).items) {
      if (p.metadata.deletionTimestamp) await this.store.delete('Pod', p.metadata.namespace ?? 'default', p.metadata.name, { finalize: true });
    }
  }

  /** Moves time on and lets the controllers react. */
  async advance(ms: number): Promise<void> {
    this.clock.advance(ms);
    await this.settle();
  }

  async create<T extends KObject>(obj: T): Promise<T> {
    const created = await this.store.create(obj);
    await this.settle();
    return created;
  }

  async pods(filter: (p: Pod) => boolean = () => true): Promise<Pod[]> {
    return (await this.store.list<Pod>('Pod')).items.filter(filter);
  }

  async get<T extends KObject>(kind: string, name: string, namespace = 'default'): Promise<T> {
    const obj = await this.store.get<T>(kind, kindInfo(kind)?.namespaced ? namespace : '', name);
    if (!obj) throw new Error(`${kind} ${name} not found`);
    return obj;
  }

  /** Applies a change to an object's spec/metadata, as `kite apply` would. */
  async change<T extends KObject>(kind: string, name: string, fn: (obj: T) => void): Promise<T> {
    const obj = await this.get<T>(kind, name);
    fn(obj);
    const updated = await this.store.update(obj);
    await this.settle();
    return updated;
  }

  /** Plays scheduler + kubelet: binds unbound pods to a node and reports them Running (and Ready unless told otherwise). */
  async runPods(pods: Pod[], opts: { ready?: boolean; node?: string } = {}): Promise<void> {
    for (const pod of pods) {
      let p = pod;
      if (!p.spec.nodeName) p = await this.store.update<Pod>({ ...p, spec: { ...p.spec, nodeName: opts.node ?? 'node-1' } });
      await this.store.updateStatus<Pod>({ ...p, status: runningStatus(opts.ready ?? true, this.clock.now()) });
    }
    await this.settle();
  }

  async finishPods(pods: Pod[], phase: 'Succeeded' | 'Failed'): Promise<void> {
    for (const p of pods) await this.store.updateStatus<Pod>({ ...p, status: { phase, conditions: [] } });
    await this.settle();
  }

  async addNode(name: string, opts: { labels?: Record<string, string>; taints?: Node['spec']['taints']; unschedulable?: boolean; ready?: boolean } = {}): Promise<Node> {
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(opts.labels ?? {}) } },
      spec: { taints: opts.taints, unschedulable: opts.unschedulable },
      status: { conditions: [{ type: 'Ready', status: opts.ready === false ? 'Unknown' : 'True' }] },
    };
    return this.create(node);
  }
}

export function runningStatus(ready: boolean, nowMs: number): Pod['status'] {
  const t = new Date(nowMs).toISOString();
  const conditions: Condition[] = [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: t }];
  return { phase: 'Running', conditions };
}

export const isReady = (p: Pod) => p.status?.phase === 'Running' && (p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);
/** What an owner counts as a replica: not finished and not Terminating. */
export const isLive = (p: Pod) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata.deletionTimestamp;

export function template(image: string, labels: Record<string, string> = { app: 'web' }) {
  return { metadata: { labels }, spec: { containers: [{ name: 'c', image }] } };
}

/** Calls fn on every pod event until the returned stop function is called; collects what fn throws. */
export function watchPods(store: MemoryStore, fn: (pods: Map<string, Pod>) => void): { stop: () => Promise<void>; failures: string[] } {
  const ac = new AbortController();
  const failures: string[] = [];
  const pods = new Map<string, Pod>();
  const done = (async () => {
    const listed = await store.list<Pod>('Pod');
    for (const p of listed.items) pods.set(p.metadata.name, p);
    for await (const ev of store.watch('Pod', { resourceVersion: listed.resourceVersion }, ac.signal)) {
      const p = ev.object as Pod;
      if (ev.type === 'DELETED') pods.delete(p.metadata.name);
      else pods.set(p.metadata.name, p);
      try {
        fn(pods);
      } catch (e) {
        if (failures.length < 5) failures.push((e as Error).message);
      }
    }
  })();
  return {
    failures,
    stop: async () => {
      ac.abort();
      await done;
    },
  };
}
