// Node lifecycle (leader only): a Ready node whose liveness lapsed (see liveness.ts: no heartbeat
// for the grace period) becomes NotReady and gets the unreachable NoExecute taint; its pods are
// evicted at once, or after the tolerationSeconds of a matching toleration, so their owners
// replace them.
import type { Node, Pod, Toleration, Taint } from '../../common/api/types';
import { isNodeReady, nodeReadyCondition } from '../../common/api/node';
import { tolerates } from '../../common/api/toleration';
import type { Logger } from '../../common/log';
import { errorMessage, isKiteError } from '../../common/errors';
import type { Clock } from '../../common/clock';
import { systemClock } from '../../common/clock';
import type { ObjectStore } from '../store/types';
import type { SharedInformers } from '../informers';
import type { EventRecorderLike } from '../events';
import { UNREACHABLE_TAINT } from '../dispatcher/node-object';
import { rfc3339 } from '../store/etcd-store';
import { lapsedReadyCondition, type Lapse, type NodeLiveness } from './liveness';

const TICK_MS = 500;

/** Seconds a pod may stay on a node with this NoExecute taint: 0 = evict now, Infinity = never. */
export function tolerationSecondsFor(taint: Taint, tolerations: Toleration[] | undefined): number {
  let best = 0;
  for (const t of tolerations ?? []) {
    if (tolerates(t, taint)) best = Math.max(best, t.tolerationSeconds ?? Infinity);
  }
  return best;
}

export interface NodeLifecycleOptions {
  store: ObjectStore;
  liveness: NodeLiveness;
  informers: SharedInformers;
  events: EventRecorderLike;
  log: Logger;
  clock?: Clock;
}

export class NodeLifecycle {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  private readonly clock: Clock;
  private fullDisruption = false;

  constructor(private readonly opts: NodeLifecycleOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  start(): void {
    this.stopped = false;
    const loop = async () => {
      if (this.stopped) return;
      try {
        await this.tick();
      } catch (e) {
        this.opts.log.warn({ err: errorMessage(e) }, 'node lifecycle pass failed');
      }
      if (!this.stopped) this.timer = setTimeout(loop, TICK_MS);
    };
    void loop();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** One pass; exported for tests. */
  async tick(): Promise<void> {
    const nodes = this.opts.informers.get<Node>('Node');
    await nodes.synced;
    // Nodes before liveness: see NodeLiveness.lapsed.
    const ready = new Map([...nodes.list()].filter(isNodeReady).map((n) => [n.metadata.name, n]));
    for (const lapse of await this.opts.liveness.lapsed(ready.keys())) await this.markUnreachable(ready.get(lapse.node)!, lapse);
    await this.evict(nodes);
  }

  private async markUnreachable(node: Node, lapse: Lapse): Promise<void> {
    const now = rfc3339(this.clock.now());
    const taints = (node.spec.taints ?? []).filter((t) => t.key !== UNREACHABLE_TAINT);
    taints.push({ key: UNREACHABLE_TAINT, effect: 'NoExecute', timeAdded: now });
    try {
      const updated = await this.opts.store.update<Node>({ ...node, spec: { ...node.spec, taints } });
      const readyCondition = nodeReadyCondition(node);
      const conditions = (node.status?.conditions ?? []).map((c) => (c === readyCondition ? lapsedReadyCondition(c, lapse, now) : c));
      await this.opts.store.updateStatus<Node>({ ...updated, status: { ...node.status, conditions } });
      this.opts.log.warn({ node: node.metadata.name, reason: lapse.reason, why: lapse.message }, 'node is NotReady');
      this.opts.events.record(node, 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`);
    } catch (e) {
      if (!isKiteError(e, 'Conflict') && !isKiteError(e, 'NotFound')) throw e;
    }
  }

  private async evict(nodes: { list(): IterableIterator<Node> }): Promise<void> {
    const unreachable = new Map<string, Taint>();
    let total = 0;
    for (const n of nodes.list()) {
      total++;
      const t = n.spec.taints?.find((t) => t.key === UNREACHABLE_TAINT && t.effect === 'NoExecute');
      if (t && !isNodeReady(n)) unreachable.set(n.metadata.name, t);
    }
    if (!unreachable.size) return;
    // Every node unreachable at once is far likelier to be this controller's own problem (its
    // network, etcd) than a cluster-wide outage: evicting would only move nothing nowhere and kill
    // everything once the nodes are back. Kubernetes calls this full disruption and stops evicting.
    if (unreachable.size === total) {
      if (!this.fullDisruption) this.opts.log.warn({ nodes: total }, 'every node is unreachable: not evicting any pod until one is back');
      this.fullDisruption = true;
      return;
    }
    this.fullDisruption = false;
    const now = this.clock.now();
    for (const pod of this.opts.informers.get<Pod>('Pod').list()) {
      const taint = pod.spec.nodeName ? unreachable.get(pod.spec.nodeName) : undefined;
      // Already Terminating: evicted before (or deleted); the pod GC finishes it.
      if (!taint || pod.metadata.deletionTimestamp) continue;
      const seconds = tolerationSecondsFor(taint, pod.spec.tolerations);
      const since = taint.timeAdded ? Date.parse(taint.timeAdded) : now;
      if (seconds !== Infinity && now >= since + seconds * 1000) {
        try {
          await this.opts.store.delete('Pod', pod.metadata.namespace ?? 'default', pod.metadata.name, { resourceVersion: pod.metadata.resourceVersion });
          this.opts.events.record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}: node ${pod.spec.nodeName} is unreachable`);
        } catch (e) {
          if (!isKiteError(e, 'NotFound') && !isKiteError(e, 'Conflict')) throw e;
        }
      }
    }
  }
}
