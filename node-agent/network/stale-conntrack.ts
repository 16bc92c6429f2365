// UDP has no connection to close: when an endpoint leaves a UDP service, conntrack keeps sending
// the flows it DNATed there (a DNS client re-using its source port would never recover). As
// kube-proxy does, the agent deletes those entries after the rules are applied. Pure: which
// `conntrack -D` argument lists to run, from the service ports before and after a sync.
import type { ServicePortInfo } from './service-ports';

const udpEndpoints = (ports: ServicePortInfo[]) => {
  const out = new Map<string, { sp: ServicePortInfo; ips: Set<string> }>();
  for (const sp of ports) if (sp.protocol === 'UDP') out.set(sp.name, { sp, ips: new Set(sp.endpoints.map((e) => e.ip)) });
  return out;
};

/** `conntrack` arguments deleting flows to endpoints that a UDP service port no longer has. */
export function staleConntrackDeletes(before: ServicePortInfo[], after: ServicePortInfo[], nodeAddresses: string[]): string[][] {
  const now = udpEndpoints(after);
  const out: string[][] = [];
  for (const [name, { sp, ips }] of udpEndpoints(before)) {
    const kept = now.get(name)?.ips ?? new Set<string>();
    for (const ip of ips) {
      if (kept.has(ip)) continue;
      out.push(['-D', '-p', 'udp', '--orig-dst', sp.clusterIP, '--dst-nat', ip]);
      if (sp.nodePort) out.push(['-D', '-p', 'udp', '--orig-port-dst', String(sp.nodePort), '--dst-nat', ip]);
      const external = sp.loadBalancer ? new Set([...sp.loadBalancerIPs, ...nodeAddresses]) : new Set<string>();
      for (const addr of external) out.push(['-D', '-p', 'udp', '--orig-dst', addr, '--orig-port-dst', String(sp.port), '--dst-nat', ip]);
    }
  }
  return out;
}
