// A small cluster for the storage tests: the in-memory store, real informers, the storage
// controllers and the scheduler loop on a FakeClock, and builders for claims, volumes and nodes.
import type { KObject, Node, PersistentVolume, PersistentVolumeClaim, Pod } from '../../../common/api/types';
import { FakeClock } from '../../../common/clock';
import { kindInfo } from '../../../common/kinds/registry';
import { silentLogger } from '../../../common/log';
import { applyDefaults } from '../../../common/manifest/defaults';
import type { EventRecorderLike } from '../../../controller/events';
import { SharedInformers } from '../../../controller/informers';
import { ControllerMetrics } from '../../../controller/metrics';
import { SchedulerLoop } from '../../../controller/scheduler/loop';
import { createStorageControllers } from '../../../controller/storage';
import { STORAGE_DIR_ANNOTATION } from '../../../controller/storage/volume-facts';
import { MemoryStore } from '../../../controller/store/memory-store';

export interface RecordedEvent {
  object: string;
  type: string;
  reason: string;
  message: string;
}

export class StorageCluster {
  readonly clock = new FakeClock();
  readonly store = new MemoryStore({ clock: this.clock });
  readonly informers = new SharedInformers(this.store, silentLogger);
  readonly metrics = new ControllerMetrics({ defaultMetrics: false });
  readonly recorded: RecordedEvent[] = [];
  readonly events: EventRecorderLike = {
    record: (obj, type, reason, message) => this.recorded.push({ object: `${obj.kind}/${obj.metadata.name}`, type, reason, message }),
  };
  private readonly components = createStorageControllers({ store: this.store, informers: this.informers, events: this.events, metrics: this.metrics, log: silentLogger, clock: this.clock, coalesceMs: 0 });
  readonly scheduler = new SchedulerLoop(this.store, this.informers, this.events, this.metrics, silentLogger, this.clock);

  async start(opts: { scheduler?: boolean } = {}): Promise<void> {
    this.informers.start();
    for (const c of this.components) c.start();
    if (opts.scheduler ?? true) this.scheduler.start();
    await this.settle();
  }

  stop(): void {
    this.scheduler.stop();
    for (const c of this.components) c.stop();
    this.informers.stop();
  }

  /** Waits until nothing writes any more: informers caught up, queues idle, revision stable. */
  async settle(): Promise<void> {
    let quiet = 0;
    for (let i = 0; i < 2000 && quiet < 4; i++) {
      const before = await this.store.revision();
      await new Promise((r) => setImmediate(r));
      await Promise.all(this.components.map((c) => ('idle' in c ? c.idle() : undefined)));
      this.clock.advance(0);
      await new Promise((r) => setTimeout(r, 1));
      quiet = (await this.store.revision()) === before ? quiet + 1 : 0;
    }
  }

  async create<T extends KObject>(obj: T): Promise<T> {
    const created = await this.store.create(applyDefaults(obj));
    await this.settle();
    return created;
  }

  async get<T extends KObject>(kind: string, name: string, namespace = 'default'): Promise<T | undefined> {
    return this.store.get<T>(kind, kindInfo(kind)?.namespaced ? namespace : '', name);
  }

  async delete(kind: string, name: string, namespace = 'default'): Promise<void> {
    await this.store.delete(kind, kindInfo(kind)?.namespaced ? namespace : '', name);
    await this.settle();
  }

  /** Plays the kubelet: the pod's containers stopped, the object goes. */
  async removePod(name: string): Promise<void> {
    await this.store.delete('Pod', 'default', name, { gracePeriodSeconds: 0 });
    await this.settle();
  }

  reasons(object: string): string[] {
    return this.recorded.filter((e) => e.object === object).map((e) => `${e.reason}: ${e.message}`);
  }
}

export function claim(name: string, spec: Partial<PersistentVolumeClaim['spec']> = {}): PersistentVolumeClaim {
  return {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
  };
}

export function volume(name: string, size: string, spec: Partial<PersistentVolume['spec']> = {}, labels?: Record<string, string>): PersistentVolume {
  return {
    apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name, labels },
    spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], hostPath: { path: `/mnt/${name}` }, storageClassName: 'manual', ...spec },
  };
}

export function storageNode(name: string, storageDir: string | undefined = `/var/lib/kite/${name}/storage`): Node {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name }, annotations: storageDir ? { [STORAGE_DIR_ANNOTATION]: storageDir } : undefined },
    spec: {},
    status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

export function podWithClaim(name: string, claimName: string, nodeName?: string): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: {
      containers: [{ name: 'c', image: 'busybox', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
      ...(nodeName ? { nodeName } : {}),
    },
  };
}
