// Node liveness, in one place: when a node counts as gone, and why.
//
// - Every controller relays its agents' registrations and heartbeats here (the dispatcher).
// - A node not heard from, through any controller, for the grace period (--node-grace) has lapsed.
// - The node lifecycle (leader only) asks which Ready nodes lapsed and marks them NotReady with the
//   lapse's reason, taints them unreachable and evicts their pods (see lifecycle.ts).
// - A heartbeat from a node already marked NotReady ends its session, so the agent registers again
//   (registering is what makes a node Ready: see mustReregister).
// Implementations: EtcdNodeLiveness (per-node etcd leases, shared by every controller) and
// FakeNodeLiveness (a fake clock, for unit tests).
import type { Condition, Node } from '../../common/api/types';
import { isNodeReady } from '../../common/api/node';

/** A node that has not been heard from within the grace period. */
export interface Lapse {
  node: string;
  /** For the Ready condition's reason (CamelCase, as Kubernetes). */
  reason: string;
  /** For people: what was not heard, for how long. */
  message: string;
}

export interface NodeLiveness {
  /** The node's agent (re)registered through this controller: a fresh grace period starts now. */
  registered(node: string): Promise<void>;
  /** A heartbeat relayed by this controller: the node is alive for another grace period. */
  heartbeat(node: string): Promise<void>;
  /**
   * This controller stops vouching for the node (its session ended). The node stays alive until
   * its grace runs out, so an agent that reconnects to another controller never goes NotReady.
   */
  forget(node: string): void;
  /**
   * Which of these nodes have lapsed, each with why. Reads the shared state at the time of the
   * call, so pass nodes read BEFORE calling: registration records liveness before the node turns
   * Ready, hence a node Ready in that earlier view is reported only if it really went quiet.
   */
  lapsed(nodes: Iterable<string>): Promise<Lapse[]>;
  close(): void;
}

export const NODE_STATUS_UNKNOWN = 'NodeStatusUnknown';

export function lapseMessage(graceSeconds: number): string {
  return `Kite agent stopped posting node status: no heartbeat within the ${graceSeconds}s grace period.`;
}

/** The node's Ready condition once it lapsed: Unknown (the node may be fine, we cannot tell), with why. */
export function lapsedReadyCondition(previous: Condition | undefined, lapse: Lapse, nowRfc3339: string): Condition {
  return { ...previous, type: 'Ready', status: 'Unknown', reason: lapse.reason, message: lapse.message, lastTransitionTime: nowRfc3339 };
}

/**
 * Heartbeats right after a registration may still see the node NotReady (or not at all) in this
 * controller's informer: the Ready write has not come back through the watch yet.
 */
export const REGISTRATION_SETTLE_MS = 3000;

/**
 * Whether a heartbeat must end the session so the agent registers again: the node was marked
 * NotReady while the session stayed open (a partition shorter than TCP's patience), or it was
 * deleted. Only registering makes a node Ready again (and resends the full assignment set).
 */
export function mustReregister(node: Node | undefined, sessionAgeMs: number): boolean {
  return sessionAgeMs > REGISTRATION_SETTLE_MS && !(node && isNodeReady(node));
}
