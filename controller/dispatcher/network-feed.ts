// What agents need to know about the cluster's network, kept current on every session: the
// other nodes' pod subnets and how to reach them (for routes), and every Service and its
// Endpoints (for the service proxy and DNS). Agents never read the store; this is their view.
// Peers go out as a complete list (small); services as a full set at session start, then
// sequenced increments coalesced per event-loop turn, like pod assignments.
import type { Endpoints, KObject, Node, Service } from '../../common/api/types';
import type { NetworkPeer } from '../../common/generated/kite/v1/NetworkPeer';
import type { SharedInformers } from '../informers';
import type { Informer } from '../informer';
import type { AgentSession } from './session';

/** Where a node's VXLAN device MAC is published for its peers (flannel keeps it in an annotation too). */
export const VTEP_MAC_ANNOTATION = 'kite.io/vtep-mac';

const key = (o: KObject) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;

export class NetworkFeed {
  private readonly nodes: Informer<Node>;
  private readonly services: Informer<Service>;
  private readonly endpoints: Informer<Endpoints>;
  private readonly sequences = new WeakMap<AgentSession, number>();
  private readonly pending = { services: new Map<string, Service | undefined>(), endpoints: new Map<string, Endpoints | undefined>() };
  private flushScheduled = false;
  private peersScheduled = false;
  private lastPeers = '';

  constructor(
    informers: SharedInformers,
    private readonly sessions: () => Iterable<AgentSession>,
  ) {
    // Node status changes with every heartbeat's usage; only a change of how to reach its pods matters.
    this.nodes = informers.get<Node>('Node').on((type, node, old) => {
      if (type !== 'MODIFIED' || !old || JSON.stringify(peerOf(old)) !== JSON.stringify(peerOf(node))) this.schedulePeers();
    });
    this.services = informers.get<Service>('Service').on((type, svc) => this.note('services', key(svc), type === 'DELETED' ? undefined : svc));
    this.endpoints = informers.get<Endpoints>('Endpoints').on((type, ep) => this.note('endpoints', key(ep), type === 'DELETED' ? undefined : ep));
    this.services.onResync(() => this.sendFullToAll());
    this.endpoints.onResync(() => this.sendFullToAll());
  }

  /** A new session: everything it needs, before any increment. */
  welcome(session: AgentSession): void {
    session.send({ peers: { peers: othersThan(this.allPeers(), session.nodeName) } });
    this.sendFull(session);
  }

  /** Every node with a pod subnet and an address, as its peers see it, by name. */
  private allPeers(): NetworkPeer[] {
    const out: NetworkPeer[] = [];
    for (const n of this.nodes.list()) {
      const p = peerOf(n);
      if (p) out.push(p);
    }
    return out.sort((a, b) => a.node!.localeCompare(b.node!));
  }

  private schedulePeers(): void {
    if (this.peersScheduled) return;
    this.peersScheduled = true;
    setImmediate(() => {
      this.peersScheduled = false;
      // Listed once for every session: each gets it without its own node.
      const peers = this.allPeers();
      const all = JSON.stringify(peers);
      if (all === this.lastPeers) return;
      this.lastPeers = all;
      for (const s of this.sessions()) s.send({ peers: { peers: othersThan(peers, s.nodeName) } });
    });
  }

  private note(kind: 'services' | 'endpoints', k: string, obj: Service | Endpoints | undefined): void {
    (this.pending[kind] as Map<string, KObject | undefined>).set(k, obj);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const services = [...this.pending.services];
    const endpoints = [...this.pending.endpoints];
    this.pending.services.clear();
    this.pending.endpoints.clear();
    if (!services.length && !endpoints.length) return;
    const update = {
      full: false,
      services_json: services.flatMap(([, s]) => (s ? [JSON.stringify(s)] : [])),
      endpoints_json: endpoints.flatMap(([, e]) => (e ? [JSON.stringify(e)] : [])),
      removed_services: services.flatMap(([k, s]) => (s ? [] : [k])),
      removed_endpoints: endpoints.flatMap(([k, e]) => (e ? [] : [k])),
    };
    for (const s of this.sessions()) {
      const seq = this.sequences.get(s);
      if (seq === undefined) continue; // not welcomed yet: its full set will include this
      this.sequences.set(s, seq + 1);
      s.send({ services: { ...update, sequence: String(seq + 1) } });
    }
  }

  private sendFull(session: AgentSession): void {
    const seq = (this.sequences.get(session) ?? 0) + 1;
    this.sequences.set(session, seq);
    session.send({
      services: {
        sequence: String(seq),
        full: true,
        services_json: [...this.services.list()].map((s) => JSON.stringify(s)),
        endpoints_json: [...this.endpoints.list()].map((e) => JSON.stringify(e)),
        removed_services: [],
        removed_endpoints: [],
      },
    });
  }

  private sendFullToAll(): void {
    for (const s of this.sessions()) this.sendFull(s);
  }
}

function othersThan(peers: readonly NetworkPeer[], self: string): NetworkPeer[] {
  return peers.filter((p) => p.node !== self);
}

/** How peers reach a node's pods, or undefined while it has no pod subnet or address yet. */
export function peerOf(node: Node): NetworkPeer | undefined {
  const podCIDR = node.spec.podCIDR;
  const address = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  if (!podCIDR || !address) return undefined;
  return { node: node.metadata.name, address, pod_cidr: podCIDR, vtep_mac: node.metadata.annotations?.[VTEP_MAC_ANNOTATION] ?? '' };
}
