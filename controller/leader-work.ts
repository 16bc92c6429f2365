// Everything that runs only on the leader: node lifecycle, garbage collection, the scheduler and
// the workload controllers. Started on election, stopped on demotion.
import type { Logger } from '../common/log';
import type { EtcdStore } from './store/etcd-store';
import type { ControllerMetrics } from './metrics';
import type { SharedInformers } from './informers';
import { EventRecorder, EventExpiry } from './events';
import { NodeLifecycle } from './nodes/lifecycle';
import type { NodeLiveness } from './nodes/liveness';
import { GarbageCollector } from './gc/garbage-collector';
import { PodGarbageCollector } from './gc/pod-gc';
import { NamespaceController } from './namespaces/namespace-controller';
import { SchedulerLoop } from './scheduler/loop';
import { createWorkloadControllers } from './workloads';
import { createStorageControllers } from './storage';
import { type ClusterNetwork, createNetworkControllers } from './network';

export interface LeaderWorkOptions {
  store: EtcdStore;
  /** Which nodes went quiet: the node lifecycle marks them NotReady. */
  liveness: NodeLiveness;
  informers: SharedInformers;
  metrics: ControllerMetrics;
  /** Endpoints, LoadBalancer status and allocation repair run when given. */
  network?: ClusterNetwork;
  log: Logger;
}

interface Component {
  start(): void;
  stop(): void;
}

/**
 * The components are built once and started/stopped as leadership comes and goes, so their
 * informer handlers are registered once per process, not once per election.
 */
export class LeaderWork {
  private readonly components: Component[];
  private running = false;

  constructor(opts: LeaderWorkOptions) {
    const { store, informers, log, metrics } = opts;
    const events = new EventRecorder(store, 'kite-controller', log.child({ component: 'events' }));
    this.components = [
      new NodeLifecycle({ store, liveness: opts.liveness, informers, events, log: log.child({ component: 'node-lifecycle' }) }),
      new GarbageCollector(store, informers, log.child({ component: 'garbage-collector' })),
      new PodGarbageCollector({ store, informers, events, metrics, log }),
      new NamespaceController({ store, informers, events, metrics, log }),
      new EventExpiry(store, log.child({ component: 'event-expiry' })),
      new SchedulerLoop(store, informers, events, metrics, log.child({ component: 'scheduler' })),
      ...createWorkloadControllers({ store, informers, events, metrics, log }),
      ...createStorageControllers({ store, informers, events, metrics, log }),
      ...(opts.network ? createNetworkControllers({ store, informers, events, metrics, log }, opts.network) : []),
    ];
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    for (const c of this.components) c.start();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const c of this.components) c.stop();
  }
}
