// Services and Endpoints flattened into what the proxy programs: one entry per service port
// (kube-proxy's ServicePortName "ns/name:port") with its virtual IP, node port, load-balancer
// addresses and the ready endpoints behind it. Headless services and services without an
// allocated virtual IP get no entry: nothing to route.
import type { Endpoints, Service, ServicePort } from '../../common/api/types';
import { serviceKey } from './service-cache';

export type Protocol = 'TCP' | 'UDP';

export interface Endpoint {
  ip: string;
  port: number;
}

export interface ServicePortInfo {
  /** "ns/name:portName", or "ns/name" for an unnamed port: the input of chain-name hashes. */
  name: string;
  protocol: Protocol;
  clusterIP: string;
  port: number;
  nodePort?: number;
  /** Addresses a LoadBalancer service's port answers on (ingress IPs; node addresses are added by the proxy). */
  loadBalancer: boolean;
  loadBalancerIPs: string[];
  /** ClientIP session affinity timeout in seconds, or undefined without affinity. */
  affinitySeconds?: number;
  /** Ready endpoints, sorted by address so rules do not churn when the controller reorders them. */
  endpoints: Endpoint[];
}

/** Kubernetes' default ClientIP affinity timeout (3 hours). */
export const DEFAULT_AFFINITY_SECONDS = 10_800;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** Only well-formed IPv4 addresses reach iptables text or DNS answers. */
export const isIPv4 = (s: string | undefined): s is string => !!s && IPV4.test(s);

export const isHeadless = (s: Service) => s.spec.clusterIP === 'None';

/** The endpoint port of a subset that serves a service port: same name (or the only port) and protocol. */
export function subsetPortFor(sp: ServicePort, ports: { name?: string; port: number; protocol?: string }[]): number | undefined {
  const protocol = sp.protocol ?? 'TCP';
  const match = ports.find((p) => (p.name ?? '') === (sp.name ?? '') && (p.protocol ?? 'TCP') === protocol);
  return match?.port;
}

/** Ready endpoints of one service port. */
export function readyEndpoints(sp: ServicePort, ep: Endpoints | undefined): Endpoint[] {
  const seen = new Set<string>();
  const out: Endpoint[] = [];
  for (const subset of ep?.subsets ?? []) {
    const port = subsetPortFor(sp, subset.ports ?? []);
    if (port === undefined) continue;
    for (const a of subset.addresses ?? []) {
      const key = `${a.ip}:${port}`;
      if (!isIPv4(a.ip) || seen.has(key)) continue;
      seen.add(key);
      out.push({ ip: a.ip, port });
    }
  }
  return out.sort((x, y) => compareIPv4(x.ip, y.ip) || x.port - y.port);
}

function compareIPv4(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  return 0;
}

export function servicePorts(services: Iterable<Service>, endpoints: ReadonlyMap<string, Endpoints>): ServicePortInfo[] {
  const out: ServicePortInfo[] = [];
  for (const s of services) {
    const clusterIP = s.spec.clusterIP;
    if (isHeadless(s) || !isIPv4(clusterIP)) continue;
    const key = serviceKey(s);
    const ep = endpoints.get(key);
    const type = s.spec.type ?? 'ClusterIP';
    const loadBalancer = type === 'LoadBalancer';
    const lbIPs = loadBalancer ? (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter(isIPv4) : [];
    for (const sp of s.spec.ports ?? []) {
      out.push({
        name: sp.name ? `${key}:${sp.name}` : key,
        protocol: sp.protocol ?? 'TCP',
        clusterIP,
        port: sp.port,
        nodePort: type !== 'ClusterIP' && sp.nodePort ? sp.nodePort : undefined,
        loadBalancer,
        loadBalancerIPs: lbIPs,
        affinitySeconds: s.spec.sessionAffinity === 'ClientIP' ? (s.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) : undefined,
        endpoints: readyEndpoints(sp, ep),
      });
    }
  }
  return out;
}
