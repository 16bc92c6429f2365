// NodeLiveness on a fake clock, for unit tests: a node lapses once `graceSeconds` pass without a
// registration or heartbeat, exactly as the etcd leases expire.
import type { Clock } from '../../common/clock';
import { NODE_STATUS_UNKNOWN, lapseMessage, type Lapse, type NodeLiveness } from './liveness';

export class FakeNodeLiveness implements NodeLiveness {
  private readonly lastHeard = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly graceSeconds: number,
  ) {}

  registered(node: string): Promise<void> {
    return this.heartbeat(node);
  }

  heartbeat(node: string): Promise<void> {
    this.lastHeard.set(node, this.clock.now());
    return Promise.resolve();
  }

  /** As with leases, forgetting stops nothing at once: the node lapses when its grace runs out. */
  forget(_node: string): void {}

  lapsed(nodes: Iterable<string>): Promise<Lapse[]> {
    const now = this.clock.now();
    const out: Lapse[] = [];
    for (const node of nodes) {
      const heard = this.lastHeard.get(node);
      if (heard === undefined || now - heard >= this.graceSeconds * 1000) out.push({ node, reason: NODE_STATUS_UNKNOWN, message: lapseMessage(this.graceSeconds) });
    }
    return Promise.resolve(out);
  }

  close(): void {}
}
