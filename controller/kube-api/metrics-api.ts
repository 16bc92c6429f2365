// The metrics.k8s.io/v1beta1 documents `kubectl top` reads (NodeMetrics, PodMetrics and their
// lists), built from the usage Kite already keeps: agents report it in heartbeats and the
// dispatcher writes it to `node.status.usage` and `pod.status.usage` (controller/dispatcher/usage.ts),
// rate-limited to one write per object every 10 s. Pure functions: the HTTP layer lists the
// objects (filtered by selectors and authorized as it does for nodes and pods) and serves these.
//
// As metrics-server does, objects with no usage yet (or no longer running) are left out rather
// than shown with zeros, so `kubectl top` says the metrics are not available for them.
import type { Node, Pod } from '../../common/api/types';
import { isPodTerminal } from '../../common/api/pod';
import { formatCpu, parseCpu, parseMemory } from '../../common/manifest';
import { USAGE_WRITE_INTERVAL_MS } from '../dispatcher/usage';
import { rfc3339 } from '../store/semantics';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_API_VERSION = 'metrics.k8s.io/v1beta1';

/**
 * The span a sample covers. A pod's CPU is a rate over samples at least USAGE_WRITE_INTERVAL_MS
 * apart (PodCpuRates); a node's is over one heartbeat period, but written at most that often.
 */
export const METRICS_WINDOW = `${USAGE_WRITE_INTERVAL_MS / 1000}s`;

/** Quantities kubectl parses: CPU as "250m" or "2", memory in Ki ("12345Ki"), as metrics-server reports it. */
export interface ResourceUsage {
  cpu: string;
  memory: string;
}

interface MetricsMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  /** When this document was made (metrics-server: the time of the request). */
  creationTimestamp: string;
}

export interface NodeMetrics {
  kind: 'NodeMetrics';
  apiVersion: typeof METRICS_API_VERSION;
  metadata: MetricsMeta;
  /** When the usage was measured. */
  timestamp: string;
  window: string;
  usage: ResourceUsage;
}

export interface ContainerMetrics {
  name: string;
  usage: ResourceUsage;
}

export interface PodMetrics {
  kind: 'PodMetrics';
  apiVersion: typeof METRICS_API_VERSION;
  metadata: MetricsMeta & { namespace: string };
  timestamp: string;
  window: string;
  containers: ContainerMetrics[];
}

export interface MetricsList<K extends 'NodeMetricsList' | 'PodMetricsList', T> {
  kind: K;
  apiVersion: typeof METRICS_API_VERSION;
  metadata: { resourceVersion?: string };
  items: T[];
}

/** `status.usage` as quantities kubectl parses; undefined when absent or not a pair of quantities. */
export function normalizedUsage(u: { cpu?: unknown; memory?: unknown } | undefined): ResourceUsage | undefined {
  if (!u || typeof u.cpu !== 'string' || typeof u.memory !== 'string') return undefined;
  try {
    return { cpu: formatCpu(parseCpu(u.cpu)), memory: `${Math.ceil(parseMemory(u.memory) / 1024)}Ki` };
  } catch {
    return undefined; // a malformed value in etcd: leave the object out rather than fail the list
  }
}

function meta(obj: Node | Pod, now: number): MetricsMeta {
  const m = obj.metadata;
  return {
    name: m.name,
    ...(m.namespace ? { namespace: m.namespace } : {}),
    ...(m.labels && Object.keys(m.labels).length ? { labels: { ...m.labels } } : {}),
    creationTimestamp: rfc3339(now),
  };
}

/** The node's NodeMetrics, or undefined while it has reported no usage. `now`: ms since the epoch. */
export function nodeMetrics(node: Node, now: number): NodeMetrics | undefined {
  const reported = node.status?.usage;
  const usage = normalizedUsage(reported);
  if (!usage) return undefined;
  const measured = reported?.timestamp ? Date.parse(reported.timestamp) : NaN;
  return {
    kind: 'NodeMetrics',
    apiVersion: METRICS_API_VERSION,
    metadata: meta(node, now),
    timestamp: rfc3339(Number.isNaN(measured) ? now : measured),
    window: METRICS_WINDOW,
    usage,
  };
}

/**
 * The pod's PodMetrics, or undefined when it has no usage or has finished. Agents report one
 * total per pod, not per container, so the whole of it is attributed to the pod's first app
 * container: `kubectl top pod` sums containers, so its numbers are right, and `--containers` shows
 * the total under that one container rather than an invented split. The pod's usage carries no
 * time of its own; `now` stands for it (the dispatcher rewrites it when it moves).
 */
export function podMetrics(pod: Pod, now: number): PodMetrics | undefined {
  if (isPodTerminal(pod)) return undefined;
  const usage = normalizedUsage((pod.status as { usage?: { cpu?: unknown; memory?: unknown } } | undefined)?.usage);
  const first = pod.spec.containers[0];
  if (!usage || !first) return undefined;
  return {
    kind: 'PodMetrics',
    apiVersion: METRICS_API_VERSION,
    metadata: { ...meta(pod, now), namespace: pod.metadata.namespace ?? 'default' },
    timestamp: rfc3339(now),
    window: METRICS_WINDOW,
    containers: [{ name: first.name, usage }],
  };
}

/** NodeMetricsList of the nodes that have usage, in the given order. */
export function nodeMetricsList(nodes: readonly Node[], now: number, resourceVersion?: string): MetricsList<'NodeMetricsList', NodeMetrics> {
  return list('NodeMetricsList', nodes.map((n) => nodeMetrics(n, now)), resourceVersion);
}

/** PodMetricsList of the running pods that have usage, in the given order. */
export function podMetricsList(pods: readonly Pod[], now: number, resourceVersion?: string): MetricsList<'PodMetricsList', PodMetrics> {
  return list('PodMetricsList', pods.map((p) => podMetrics(p, now)), resourceVersion);
}

function list<K extends 'NodeMetricsList' | 'PodMetricsList', T>(kind: K, items: (T | undefined)[], resourceVersion: string | undefined): MetricsList<K, T> {
  return {
    kind,
    apiVersion: METRICS_API_VERSION,
    metadata: resourceVersion ? { resourceVersion } : {},
    items: items.filter((i): i is T => i !== undefined),
  };
}
