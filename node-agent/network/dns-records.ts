// Answers to DNS questions about Services, from the agent's ServiceCache only, as CoreDNS's
// kubernetes plugin gives them (one function per record kind):
//   <svc>.<ns>.svc.<domain>             A: the virtual IP, or the ready pod IPs of a headless service
//   <ip-dashed>.<svc>.<ns>.svc.<domain> A: one ready pod of a headless service
//   <hostname>.<svc>.<ns>.svc.<domain>  A: the ready pod whose address has that hostname (a StatefulSet
//                                        pod NAME-i whose subdomain is the service; set by the Endpoints controller)
//   _<port>._<proto>.<svc>.<ns>.svc.<domain>  SRV: a named port (one per pod for headless services)
//   <svc>.<ns> and <svc>.<ns>.svc        the same, when such a service exists (else forwarded)
// Unknown names inside the cluster domain get NXDOMAIN; names that exist but have no record of
// the asked type get an empty NOERROR (so an AAAA lookup does not make the A answer vanish);
// every other name is forwarded (dns-server.ts).
import type { Answer, Question, SrvAnswer, StringAnswer } from 'dns-packet';
import type { EndpointAddress, Endpoints, Service } from '../../common/api/types';
import { isHeadless, isIPv4, subsetPortFor } from './service-ports';

/** CoreDNS's default TTL for service records. */
export const DNS_TTL = 5;

export interface ServiceLookup {
  service(namespace: string, name: string): Service | undefined;
  endpoints(namespace: string, name: string): Endpoints | undefined;
}

export type Resolution =
  | { kind: 'answer'; rcode: 'NOERROR' | 'NXDOMAIN'; answers: Answer[]; additionals: Answer[] }
  | { kind: 'forward' };

const answer = (answers: Answer[] = [], additionals: Answer[] = []): Resolution => ({ kind: 'answer', rcode: 'NOERROR', answers, additionals });
const nxdomain: Resolution = { kind: 'answer', rcode: 'NXDOMAIN', answers: [], additionals: [] };
const forward: Resolution = { kind: 'forward' };

const aRecord = (name: string, ip: string): StringAnswer => ({ type: 'A', name, ttl: DNS_TTL, class: 'IN', data: ip });
const dashed = (ip: string) => ip.replace(/\./g, '-');

/** Ready addresses (any subset) with an IPv4 address, in the order the Endpoints list them. */
function readyAddresses(ep: Endpoints | undefined): EndpointAddress[] {
  return (ep?.subsets ?? []).flatMap((s) => s.addresses ?? []).filter((a) => isIPv4(a.ip));
}

/** Ready pod addresses of a service (any subset), in the order the Endpoints list them, once each. */
function readyIPs(ep: Endpoints | undefined): string[] {
  const ips = (ep?.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).filter(isIPv4);
  return [...new Set(ips)];
}

/** A records of a service name. */
export function serviceA(name: string, svc: Service, ep: Endpoints | undefined): Resolution {
  if (!isHeadless(svc)) return isIPv4(svc.spec.clusterIP) ? answer([aRecord(name, svc.spec.clusterIP)]) : answer();
  const ips = readyIPs(ep);
  // CoreDNS: a headless service without ready pods has no records at all.
  return ips.length ? answer(ips.map((ip) => aRecord(name, ip))) : nxdomain;
}

/** The A records of one pod of a headless service, by its hostname (as CoreDNS, first) or its dashed address. */
export function endpointA(name: string, host: string, svc: Service, ep: Endpoints | undefined): Resolution {
  if (!isHeadless(svc)) return nxdomain;
  const addresses = readyAddresses(ep);
  const named = addresses.filter((a) => a.hostname?.toLowerCase() === host);
  const ips = [...new Set((named.length ? named : addresses.filter((a) => dashed(a.ip) === host)).map((a) => a.ip))];
  return ips.length ? answer(ips.map((ip) => aRecord(name, ip))) : nxdomain;
}

/** SRV records of a named port: `_http._tcp.<svc>.<ns>.svc.<domain>`. */
export function serviceSRV(name: string, portName: string, protocol: string, svcFqdn: string, svc: Service, ep: Endpoints | undefined): Resolution {
  const sp = (svc.spec.ports ?? []).find((p) => p.name === portName && (p.protocol ?? 'TCP').toLowerCase() === protocol);
  if (!sp) return nxdomain;
  const srv = (target: string, port: number): SrvAnswer => ({ type: 'SRV', name, ttl: DNS_TTL, class: 'IN', data: { priority: 0, weight: 100, port, target } });
  if (!isHeadless(svc)) return isIPv4(svc.spec.clusterIP) ? answer([srv(svcFqdn, sp.port)], [aRecord(svcFqdn, svc.spec.clusterIP)]) : answer();
  const answers: Answer[] = [];
  const additionals: Answer[] = [];
  const seen = new Set<string>();
  for (const subset of ep?.subsets ?? []) {
    const port = subsetPortFor(sp, subset.ports ?? []);
    if (port === undefined) continue;
    for (const a of subset.addresses ?? []) {
      if (!isIPv4(a.ip) || seen.has(a.ip)) continue;
      seen.add(a.ip);
      const target = `${a.hostname ?? dashed(a.ip)}.${svcFqdn}`;
      answers.push(srv(target, port));
      additionals.push(aRecord(target, a.ip));
    }
  }
  return answers.length ? answer(answers, additionals) : nxdomain;
}

/** Records for a name that names a service (labels below "svc"): `[svc, ns]` plus an optional prefix. */
function serviceRecords(q: Question, prefix: string[], svcName: string, ns: string, domain: string, lookup: ServiceLookup): Resolution | undefined {
  const svc = lookup.service(ns, svcName);
  if (!svc) return undefined;
  const ep = lookup.endpoints(ns, svcName);
  const svcFqdn = `${svcName}.${ns}.svc.${domain}`;
  if (prefix.length === 0) return q.type === 'A' ? serviceA(q.name, svc, ep) : answer();
  if (prefix.length === 1) return q.type === 'A' ? endpointA(q.name, prefix[0]!, svc, ep) : answer();
  if (prefix.length === 2 && prefix[0]!.startsWith('_') && prefix[1]!.startsWith('_')) {
    return q.type === 'SRV' ? serviceSRV(q.name, prefix[0]!.slice(1), prefix[1]!.slice(1), svcFqdn, svc, ep) : answer();
  }
  return undefined;
}

/** What to do with one question. `domain` is the cluster domain (e.g. cluster.local). */
export function resolveQuestion(q: Question, domain: string, lookup: ServiceLookup): Resolution {
  const name = q.name.toLowerCase().replace(/\.$/, '');
  const zone = domain.toLowerCase().replace(/\.$/, '');
  if (name === zone || name.endsWith('.' + zone)) {
    const labels = name === zone ? [] : name.slice(0, -(zone.length + 1)).split('.');
    // The zone's own structure (cluster.local, svc.cluster.local, ns.svc.cluster.local) exists.
    if (labels.length === 0 || (labels.at(-1) === 'svc' && labels.length <= 2)) return answer();
    if (labels.length >= 3 && labels.at(-1) === 'svc') {
      const found = serviceRecords({ ...q, name: q.name.replace(/\.$/, '') }, labels.slice(0, -3), labels.at(-3)!, labels.at(-2)!, zone, lookup);
      if (found) return found;
    }
    return nxdomain;
  }
  // Short forms that reach us without the search path: <svc>.<ns> and <svc>.<ns>.svc.
  const labels = name.split('.');
  if (labels.length === 2 || (labels.length === 3 && labels[2] === 'svc')) {
    return serviceRecords({ ...q, name: q.name.replace(/\.$/, '') }, [], labels[0]!, labels[1]!, zone, lookup) ?? forward;
  }
  return forward;
}
