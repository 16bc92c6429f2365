// Which path carries traffic to each peer's pod subnet (flannel style): a direct route via the
// peer's address when it sits on our L2 segment (host-gw), VXLAN otherwise or when forced.
import type { NetworkPeer__Output } from '../../common/generated/kite/v1/NetworkPeer';
import { parseCidr } from './cidr';

export type BackendKind = 'host-gw' | 'vxlan';

export interface PeerRoute {
  node: string;
  /** The peer's node address (next hop for host-gw, VXLAN tunnel endpoint). */
  address: string;
  /** The peer's pod subnet, normalised (e.g. 10.244.3.0/24). */
  podCidr: string;
  backend: BackendKind;
  /** The peer's VXLAN device MAC (VXLAN only). */
  vtepMac: string;
}

export interface RoutePlan {
  routes: PeerRoute[];
  /** Peers that cannot be routed, with why (logged by the caller). */
  skipped: { node: string; reason: string }[];
}

export interface PlanInput {
  selfNode: string;
  selfPodCidr: string;
  peers: NetworkPeer__Output[];
  /** Whether a peer address is directly reachable (no gateway on the way); undefined if unknown. */
  sameL2: (address: string) => boolean | undefined;
  forceVxlan: boolean;
}

export function planRoutes(i: PlanInput): RoutePlan {
  const routes: PeerRoute[] = [];
  const skipped: RoutePlan['skipped'] = [];
  const self = i.selfPodCidr ? parseCidr(i.selfPodCidr).text : '';
  const seen = new Set<string>();
  for (const p of [...i.peers].sort((a, b) => a.node.localeCompare(b.node))) {
    if (p.node === i.selfNode) continue;
    if (!p.pod_cidr || !p.address) {
      skipped.push({ node: p.node, reason: !p.pod_cidr ? 'no pod CIDR yet' : 'no address' });
      continue;
    }
    let podCidr: string;
    try {
      podCidr = parseCidr(p.pod_cidr).text;
    } catch {
      skipped.push({ node: p.node, reason: `invalid pod CIDR "${p.pod_cidr}"` });
      continue;
    }
    if (podCidr === self) {
      skipped.push({ node: p.node, reason: `has this node's pod CIDR ${podCidr}` });
      continue;
    }
    if (seen.has(podCidr)) {
      skipped.push({ node: p.node, reason: `pod CIDR ${podCidr} is already another peer's` });
      continue;
    }
    const direct = !i.forceVxlan && i.sameL2(p.address) === true;
    if (!direct && !p.vtep_mac) {
      skipped.push({ node: p.node, reason: i.forceVxlan ? 'VXLAN forced but the peer has no VTEP MAC' : 'not on this L2 segment and the peer has no VTEP MAC' });
      continue;
    }
    seen.add(podCidr);
    routes.push({ node: p.node, address: p.address, podCidr, backend: direct ? 'host-gw' : 'vxlan', vtepMac: direct ? '' : p.vtep_mac.toLowerCase() });
  }
  return { routes, skipped };
}

/** `ip route get` output says whether the address is reached through a gateway. */
export function isDirectRoute(ipRouteGetOutput: string): boolean {
  const first = ipRouteGetOutput.split('\n')[0] ?? '';
  return first.trim() !== '' && !/\svia\s/.test(` ${first} `) && !/^(unreachable|prohibit|blackhole)\b/.test(first.trim());
}
