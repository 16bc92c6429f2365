// Cluster-state gauges (kite_pods, kite_nodes, kite_deployment_replicas), computed at scrape time
// from the shared informers' caches, so they are never stale and cost nothing between scrapes.
// Only the leader reports them: every controller has the same caches, and several controllers
// reporting the same cluster would double every sum() in dashboards and alerts.
import type { Gauge } from 'prom-client';
import type { Deployment, Node, Pod } from '../common/api/types';
import { nodeReadyCondition } from '../common/api/node';
import { POD_PHASES } from '../common/api/pod';
import type { ControllerMetrics } from './metrics';

/** What the gauges read: the informer caches (see SharedInformers.get(kind).list()). */
export interface ClusterState {
  pods(): Iterable<Pod>;
  nodes(): Iterable<Node>;
  deployments(): Iterable<Deployment>;
  isLeader(): boolean;
}

export const READY_VALUES = ['True', 'False', 'Unknown'] as const;
export const REPLICA_TYPES = ['desired', 'updated', 'available', 'unavailable'] as const;

export function countPodsByPhase(pods: Iterable<Pod>): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(POD_PHASES.map((p) => [p, 0]));
  for (const pod of pods) {
    const phase = pod.status?.phase ?? 'Pending';
    // An unexpected phase is folded into Unknown, to keep the label set bounded.
    const key = phase in counts ? phase : 'Unknown';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export function countNodesByReady(nodes: Iterable<Node>): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(READY_VALUES.map((r) => [r, 0]));
  for (const node of nodes) {
    const status = nodeReadyCondition(node)?.status ?? 'Unknown';
    const key = status in counts ? status : 'Unknown';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export function deploymentReplicaCounts(d: Deployment): Record<(typeof REPLICA_TYPES)[number], number> {
  const desired = d.spec.replicas ?? 1;
  const s = d.status ?? {};
  const available = s.availableReplicas ?? 0;
  return {
    desired,
    updated: s.updatedReplicas ?? 0,
    available,
    unavailable: s.unavailableReplicas ?? Math.max(0, desired - available),
  };
}

/** Sets a gauge's scrape-time collect function (prom-client calls it with the gauge as `this`). */
function onCollect(gauge: Gauge, fn: (g: Gauge) => void): void {
  Object.assign(gauge, { collect: () => fn(gauge) });
}

/** Makes the cluster gauges of `metrics` report `state` at each scrape. */
export function bindClusterMetrics(metrics: ControllerMetrics, state: ClusterState): void {
  onCollect(metrics.podsByPhase, (g) => {
    g.reset();
    if (!state.isLeader()) return;
    for (const [phase, n] of Object.entries(countPodsByPhase(state.pods()))) g.set({ phase }, n);
  });
  onCollect(metrics.nodesByCondition, (g) => {
    g.reset();
    if (!state.isLeader()) return;
    for (const [ready, n] of Object.entries(countNodesByReady(state.nodes()))) g.set({ ready }, n);
  });
  onCollect(metrics.deploymentReplicas, (g) => {
    g.reset();
    if (!state.isLeader()) return;
    for (const d of state.deployments()) {
      const labels = { namespace: d.metadata.namespace ?? 'default', deployment: d.metadata.name };
      for (const [type, n] of Object.entries(deploymentReplicaCounts(d))) g.set({ ...labels, type }, n);
    }
  });
}
