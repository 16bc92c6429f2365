// The agent's Prometheus metrics. Per-container series carry only namespace, pod and container
// labels (bounded by what runs on the node); they are filled at scrape time from the pod
// manager's cached usage, so a scrape never touches the engine.
import { Registry, Histogram, Gauge, Counter, collectDefaultMetrics } from 'prom-client';
import type { PodStatusReport } from '../common/generated/kite/v1/PodStatusReport';
import type { UsageSnapshot } from './pods/manager';

export interface MetricsSource {
  usage(): UsageSnapshot;
  statuses(): PodStatusReport[];
  limits(uid: string, container: string): number | undefined;
}

export class AgentMetrics {
  readonly registry = new Registry();
  readonly podStartLatency = new Histogram({
    name: 'kite_agent_pod_start_duration_seconds',
    help: 'Time from a pod being assigned to this node to it running, by phase of the start (total, pull, create, start).',
    labelNames: ['phase'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly imagePullDuration = new Histogram({
    name: 'kite_agent_image_pull_duration_seconds',
    help: 'Image pull duration.',
    buckets: [0.01, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [this.registry],
  });
  readonly sessionReconnects = new Counter({ name: 'kite_agent_session_reconnects_total', help: 'Times the agent reconnected to the controller.', registers: [this.registry] });
  readonly connected = new Gauge({ name: 'kite_agent_connected', help: '1 while the agent has a session with a controller.', registers: [this.registry] });

  constructor(source: MetricsSource, opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'kite_agent_' });
    const labels = ['namespace', 'pod', 'container'];
    new Gauge({
      name: 'kite_agent_containers',
      help: 'Containers on this node by state (waiting, running, terminated).',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        this.reset();
        const counts: Record<string, number> = { waiting: 0, running: 0, terminated: 0 };
        for (const s of source.statuses()) for (const c of s.containers ?? []) counts[c.state ?? 'waiting'] = (counts[c.state ?? 'waiting'] ?? 0) + 1;
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
    /** The usage the pod manager last sampled, joined with each pod's namespace and name. */
    const podUsage = () => {
      const names = new Map<string, { namespace: string; pod: string }>();
      for (const s of source.statuses()) names.set(s.uid!, { namespace: s.namespace ?? '', pod: s.name ?? '' });
      return source.usage().pods.flatMap((p) => {
        const n = names.get(p.uid!);
        return n ? [{ labels: n, usage: p }] : [];
      });
    };
    // A counter (as cAdvisor's container_cpu_usage_seconds_total), so rate() is the natural query;
    // the runtime keeps the running total, which we copy in at each scrape.
    new Counter({
      name: 'kite_container_cpu_usage_seconds_total',
      help: 'Cumulative CPU time consumed by the container, seconds.',
      labelNames: labels,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { labels: n, usage } of podUsage()) for (const c of usage.containers ?? []) this.inc({ ...n, container: c.name! }, Math.max(0, Number(c.cpu_seconds ?? 0)));
      },
    });
    new Gauge({
      name: 'kite_container_memory_working_set_bytes',
      help: 'Memory working set of the container, bytes.',
      labelNames: labels,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { labels: n, usage } of podUsage()) for (const c of usage.containers ?? []) this.set({ ...n, container: c.name! }, Number(c.memory_working_set_bytes ?? 0));
      },
    });
    for (const [direction, field] of [['receive', 'network_rx_bytes'], ['transmit', 'network_tx_bytes']] as const) {
      new Counter({
        name: `kite_pod_network_${direction}_bytes_total`,
        help: `Bytes ${direction === 'receive' ? 'received' : 'transmitted'} through the pod's network namespace (all interfaces but loopback).`,
        labelNames: ['namespace', 'pod'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const { labels: n, usage } of podUsage()) {
            const bytes = Number(usage[field] ?? 0);
            if (bytes > 0) this.inc(n, bytes);
          }
        },
      });
    }
    new Gauge({
      name: 'kite_container_memory_limit_bytes',
      help: 'Memory limit of the container, bytes (absent when unlimited).',
      labelNames: labels,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of source.statuses()) {
          for (const c of s.containers ?? []) {
            const limit = source.limits(s.uid!, c.name!);
            if (limit) this.set({ namespace: s.namespace ?? '', pod: s.name ?? '', container: c.name! }, limit);
          }
        }
      },
    });
    new Gauge({
      name: 'kite_container_restarts',
      help: 'Restarts of the container since its pod started on this node.',
      labelNames: labels,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of source.statuses()) for (const c of s.containers ?? []) this.set({ namespace: s.namespace ?? '', pod: s.name ?? '', container: c.name! }, c.restart_count ?? 0);
      },
    });
  }
}
