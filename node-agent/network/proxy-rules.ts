// The service proxy's rules, kube-proxy's iptables mode as a pure function: from the service
// ports (with their ready endpoints) and this node's addresses to every KITE-* service chain of
// the nat and filter tables. proxy-restore.ts makes the restore input; iptables-proxier.ts applies it.
//
// nat:   PREROUTING, OUTPUT -> KITE-SERVICES -> KITE-SVC-x (virtual IP) | KITE-EXT-x (LB address)
//                                            -> KITE-NODEPORTS (local destinations) -> KITE-EXT-x
//        KITE-EXT-x -> KITE-MARK-MASQ, KITE-SVC-x;  KITE-SVC-x -> KITE-SEP-y (random) -> DNAT
//        POSTROUTING -> KITE-POSTROUTING: masquerade what KITE-MARK-MASQ marked
// filter: INPUT, FORWARD, OUTPUT (new connections) -> KITE-SERVICES: REJECT ports with no endpoint
//         FORWARD -> KITE-FORWARD: accept marked (service) traffic and its replies
import type { ServicePortInfo } from './service-ports';
import { endpointChain, externalChain, serviceChain } from './proxy-chain-names';

export const SERVICES_CHAIN = 'KITE-SERVICES';
export const NODEPORTS_CHAIN = 'KITE-NODEPORTS';
export const MARK_MASQ_CHAIN = 'KITE-MARK-MASQ';
export const POSTROUTING_CHAIN = 'KITE-POSTROUTING';
export const FORWARD_CHAIN = 'KITE-FORWARD';
/** The packet mark that asks KITE-POSTROUTING to masquerade (kube-proxy's bit). */
export const MASQ_MARK = '0x4000';

export interface ProxyRulesInput {
  ports: ServicePortInfo[];
  /** This node's own addresses: a LoadBalancer's port answers on each of them. */
  nodeAddresses: string[];
  /**
   * Sources that are this node's pods (its pod CIDR): they keep their address when they reach a
   * virtual IP; anything else (the node itself, other hosts) is masqueraded so replies come back.
   */
  localPodCIDR: string;
}

export interface TableRules {
  /** Every chain this table needs, in order of declaration. */
  chains: string[];
  /** "-A CHAIN ..." lines, in order. */
  rules: string[];
}

export interface ProxyRules {
  nat: TableRules;
  filter: TableRules;
}

/** A jump from a built-in chain into ours, kept first in that chain (see iptables-proxier.ts). */
export interface Jump {
  table: 'nat' | 'filter';
  from: string;
  /** Only where the chain exists already (Docker's DOCKER-USER): never created by us. */
  ifExists?: boolean;
  /** The rule without "-A FROM", as iptables-save prints it. */
  spec: string;
  target: string;
}

const jump = (table: Jump['table'], from: string, target: string, match: string, comment: string, ifExists = false): Jump => ({
  table,
  from,
  ifExists,
  target,
  spec: `${match ? match + ' ' : ''}-m comment --comment "${comment}" -j ${target}`,
});

export const JUMPS: Jump[] = [
  jump('nat', 'PREROUTING', SERVICES_CHAIN, '', 'kite service portals'),
  jump('nat', 'OUTPUT', SERVICES_CHAIN, '', 'kite service portals'),
  jump('nat', 'POSTROUTING', POSTROUTING_CHAIN, '', 'kite postrouting rules'),
  jump('filter', 'INPUT', SERVICES_CHAIN, '-m conntrack --ctstate NEW', 'kite service portals'),
  jump('filter', 'FORWARD', SERVICES_CHAIN, '-m conntrack --ctstate NEW', 'kite service portals'),
  jump('filter', 'OUTPUT', SERVICES_CHAIN, '-m conntrack --ctstate NEW', 'kite service portals'),
  jump('filter', 'FORWARD', FORWARD_CHAIN, '', 'kite forwarding rules'),
  // Docker inserts its per-network FORWARD rules (which accept pod traffic) above ours whenever it
  // creates a network, but always moves DOCKER-USER back to the top: a REJECT there is seen first.
  jump('filter', 'DOCKER-USER', SERVICES_CHAIN, '-m conntrack --ctstate NEW', 'kite service portals', true),
];

/** The chains that exist whatever the services are. */
export const FIXED_CHAINS = {
  nat: [SERVICES_CHAIN, NODEPORTS_CHAIN, MARK_MASQ_CHAIN, POSTROUTING_CHAIN],
  filter: [SERVICES_CHAIN, FORWARD_CHAIN],
};

/** `1/n` as kube-proxy writes it (10 decimals). */
export const probability = (n: number) => (1 / n).toFixed(10);

const proto = (p: string) => p.toLowerCase();
const portMatch = (p: string, port: number) => `-p ${proto(p)} -m ${proto(p)} --dport ${port}`;

export function buildProxyRules(input: ProxyRulesInput): ProxyRules {
  const nat: TableRules = { chains: [...FIXED_CHAINS.nat], rules: [] };
  const filter: TableRules = { chains: [...FIXED_CHAINS.filter], rules: [] };
  const n = nat.rules;
  const f = filter.rules;

  n.push(`-A ${POSTROUTING_CHAIN} -m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`);
  // Clear the mark so a packet that is re-routed (e.g. over VXLAN) is not masqueraded twice.
  n.push(`-A ${POSTROUTING_CHAIN} -j MARK --xor-mark ${MASQ_MARK}`);
  n.push(`-A ${POSTROUTING_CHAIN} -m comment --comment "kite service traffic requiring SNAT" -j MASQUERADE --random-fully`);
  n.push(`-A ${MARK_MASQ_CHAIN} -j MARK --or-mark ${MASQ_MARK}`);

  f.push(`-A ${FORWARD_CHAIN} -m mark --mark ${MASQ_MARK}/${MASQ_MARK} -m comment --comment "kite service traffic" -j ACCEPT`);
  f.push(`-A ${FORWARD_CHAIN} -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "kite service replies" -j ACCEPT`);

  const nodeAddresses = [...new Set(input.nodeAddresses)];
  const nodePortRules: string[] = [];
  for (const sp of input.ports) {
    const comment = `-m comment --comment "${sp.name}"`;
    const match = portMatch(sp.protocol, sp.port);
    const externalIPs = sp.loadBalancer ? [...new Set([...sp.loadBalancerIPs, ...nodeAddresses])] : [];

    if (sp.endpoints.length === 0) {
      // Nothing to DNAT to: refuse at once instead of letting connections hang.
      const reject = `${comment} -j REJECT --reject-with icmp-port-unreachable`;
      f.push(`-A ${SERVICES_CHAIN} -d ${sp.clusterIP}/32 ${match} ${reject}`);
      for (const ip of externalIPs) f.push(`-A ${SERVICES_CHAIN} -d ${ip}/32 ${match} ${reject}`);
      if (sp.nodePort) f.push(`-A ${SERVICES_CHAIN} -m addrtype --dst-type LOCAL ${portMatch(sp.protocol, sp.nodePort)} ${reject}`);
      continue;
    }

    const svc = serviceChain(sp.name, sp.protocol);
    nat.chains.push(svc);
    n.push(`-A ${SERVICES_CHAIN} -d ${sp.clusterIP}/32 ${match} ${comment} -j ${svc}`);

    if (externalIPs.length || sp.nodePort) {
      const ext = externalChain(sp.name, sp.protocol);
      nat.chains.push(ext);
      n.push(`-A ${ext} -j ${MARK_MASQ_CHAIN}`);
      n.push(`-A ${ext} -j ${svc}`);
      for (const ip of externalIPs) n.push(`-A ${SERVICES_CHAIN} -d ${ip}/32 ${match} ${comment} -j ${ext}`);
      if (sp.nodePort) nodePortRules.push(`-A ${NODEPORTS_CHAIN} ${portMatch(sp.protocol, sp.nodePort)} ${comment} -j ${ext}`);
    }

    // Reaching the virtual IP from anything but this node's pods: masquerade, so replies return here.
    n.push(`-A ${svc} ! -s ${input.localPodCIDR} -d ${sp.clusterIP}/32 ${match} -j ${MARK_MASQ_CHAIN}`);
    const endpoints = sp.endpoints.map((e) => ({ ...e, chain: endpointChain(sp.name, sp.protocol, `${e.ip}:${e.port}`) }));
    if (sp.affinitySeconds !== undefined) {
      // A client seen recently goes back to the endpoint it used (kube-proxy's ClientIP affinity).
      for (const e of endpoints) n.push(`-A ${svc} -m recent --name ${e.chain} --rcheck --seconds ${sp.affinitySeconds} --reap -j ${e.chain}`);
    }
    endpoints.forEach((e, i) => {
      const left = endpoints.length - i;
      // Each rule takes 1/left of what the rules before it let through: an even spread overall.
      n.push(left > 1 ? `-A ${svc} -m statistic --mode random --probability ${probability(left)} -j ${e.chain}` : `-A ${svc} -j ${e.chain}`);
    });
    for (const e of endpoints) {
      nat.chains.push(e.chain);
      // Hairpin: a pod reaching itself through its service must be SNATed or the reply short-cuts.
      n.push(`-A ${e.chain} -s ${e.ip}/32 -j ${MARK_MASQ_CHAIN}`);
      const affinity = sp.affinitySeconds !== undefined ? ` -m recent --name ${e.chain} --set` : '';
      n.push(`-A ${e.chain} -p ${proto(sp.protocol)} -m ${proto(sp.protocol)}${affinity} -j DNAT --to-destination ${e.ip}:${e.port}`);
    }
  }
  // Node ports match any local address, so they come after every more specific destination.
  n.push(...nodePortRules);
  n.push(`-A ${SERVICES_CHAIN} -m addrtype --dst-type LOCAL -m comment --comment "kite service nodeports" -j ${NODEPORTS_CHAIN}`);
  return { nat, filter };
}
