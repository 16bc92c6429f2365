// Everything that runs only on the leader: node lifecycle, garbage collection, the scheduler and
// the workload controllers. Started on election, stopped on demotion.
import type { Etcd3 } from 'etcd3';
import type { Logger } from '../common/log';
import type { EtcdStore } from './store/etcd-store';
import type { KeyLayout } from './store/keys';
import type { ControllerMetrics } from './metrics';
import type { SharedInformers } from './informers';
import { EventRecorder } from './events';
import { NodeLifecycle } from './nodes/lifecycle';
import { GarbageCollector } from './gc/garbage-collector';
import { SchedulerLoop } from './scheduler/loop';
import { createWorkloadControllers } from './workloads';

export interface LeaderWorkOptions {
  store: EtcdStore;
  client: Etcd3;
  keys: KeyLayout;
  informers: SharedInformers;
  nodeGraceSeconds: number;
  metrics: ControllerMetrics;
  log: Logger;
}

interface Component {
  start(): void;
  stop(): void;
}

export class LeaderWork {
  private components: Component[] = [];
  private running = false;

  constructor(private readonly opts: LeaderWorkOptions) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const { store, informers, log } = this.opts;
    const events = new EventRecorder(store, 'kite-controller', log.child({ component: 'events' }));
    this.components = [
      new NodeLifecycle({ store, client: this.opts.client, keys: this.opts.keys, informers, events, log: log.child({ component: 'node-lifecycle' }) }),
      new GarbageCollector(store, informers, log.child({ component: 'garbage-collector' })),
      new SchedulerLoop(store, informers, events, this.opts.metrics, log.child({ component: 'scheduler' })),
      ...createWorkloadControllers({ store, informers, events, metrics: this.opts.metrics, log }),
    ];
    for (const c of this.components) c.start();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const c of this.components) c.stop();
    this.components = [];
  }
}
