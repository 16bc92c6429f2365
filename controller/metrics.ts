// The controller's Prometheus metrics. One registry per process (injected, so tests and several
// in-process controllers do not collide); label sets are small and bounded.
import { Registry, Counter, Histogram, Gauge, collectDefaultMetrics } from 'prom-client';

export interface ApiMetrics {
  /** Starts timing a request; call the result with the outcome code. */
  startRequest(method: string): (code: string) => void;
}

export class ControllerMetrics implements ApiMetrics {
  readonly registry = new Registry();
  readonly apiRequests = new Counter({ name: 'kite_api_requests_total', help: 'API requests by method and result code.', labelNames: ['method', 'code'], registers: [this.registry] });
  readonly apiLatency = new Histogram({
    name: 'kite_api_request_duration_seconds',
    help: 'API request latency by method.',
    labelNames: ['method'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly etcdLatency = new Histogram({
    name: 'kite_etcd_request_duration_seconds',
    help: 'etcd request latency by operation.',
    labelNames: ['operation'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly schedulingAttempts = new Counter({ name: 'kite_scheduler_attempts_total', help: 'Scheduling attempts by result (scheduled, unschedulable, error).', labelNames: ['result'], registers: [this.registry] });
  readonly schedulingLatency = new Histogram({
    name: 'kite_scheduler_scheduling_duration_seconds',
    help: 'Time from a pod entering the scheduling queue to its binding being committed.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly pendingPods = new Gauge({ name: 'kite_scheduler_pending_pods', help: 'Pods waiting to be scheduled.', registers: [this.registry] });
  readonly reconciles = new Counter({ name: 'kite_reconcile_total', help: 'Reconcile runs by controller and result.', labelNames: ['controller', 'result'], registers: [this.registry] });
  readonly reconcileDuration = new Histogram({
    name: 'kite_reconcile_duration_seconds',
    help: 'Reconcile run duration by controller.',
    labelNames: ['controller'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });
  readonly podsByPhase = new Gauge({ name: 'kite_pods', help: 'Pods by phase.', labelNames: ['phase'], registers: [this.registry] });
  readonly nodesByCondition = new Gauge({ name: 'kite_nodes', help: 'Nodes by Ready condition (True, False, Unknown).', labelNames: ['ready'], registers: [this.registry] });
  readonly deploymentReplicas = new Gauge({
    name: 'kite_deployment_replicas',
    help: 'Deployment replicas by kind of count (desired, updated, available, unavailable).',
    labelNames: ['namespace', 'deployment', 'type'],
    registers: [this.registry],
  });
  readonly isLeader = new Gauge({ name: 'kite_controller_is_leader', help: '1 when this controller is the leader.', registers: [this.registry] });
  readonly agentSessions = new Gauge({ name: 'kite_dispatcher_sessions', help: 'Agent sessions connected to this controller.', registers: [this.registry] });

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'kite_controller_' });
  }

  startRequest(method: string): (code: string) => void {
    const end = this.apiLatency.startTimer({ method });
    return (code) => {
      end();
      this.apiRequests.inc({ method, code });
    };
  }
}
