// A pod's resolver configuration from its dnsPolicy and dnsConfig, as the kubelet builds it:
// ClusterFirst (the default) asks the cluster DNS, except on the host's network where it means
// Default; ClusterFirstWithHostNet asks the cluster DNS even there; Default copies the node's
// resolver; None starts empty. dnsConfig then adds nameservers and searches and sets options.
import { readFileSync } from 'node:fs';
import type { Pod } from '../../common/api/types';

export interface DnsSettings {
  servers: string[];
  search: string[];
  /** resolv.conf options: "ndots:5", "edns0". */
  options: string[];
}

/** The kubelet's limits: glibc reads three nameservers; Kubernetes allows 32 search domains. */
const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;

const unique = (xs: string[]) => [...new Set(xs)];

/** Options by name, later ones replacing earlier ones ("ndots:2" replaces "ndots:5"). */
function mergeOptions(base: string[], extra: { name: string; value?: string }[]): string[] {
  const byName = new Map<string, string>();
  for (const o of base) byName.set(o.split(':')[0]!, o);
  for (const o of extra) byName.set(o.name, o.value !== undefined && o.value !== '' ? `${o.name}:${o.value}` : o.name);
  return [...byName.values()];
}

/**
 * The pod's resolver settings. `cluster` is the cluster DNS for the pod's namespace (undefined
 * without a pod network); `node` reads the node's own resolver. Undefined: leave the engine's
 * default in place (a host-network pod with the plain ClusterFirst/Default policy and no dnsConfig).
 */
export function podDns(pod: Pod, cluster: DnsSettings | undefined, node: () => DnsSettings): DnsSettings | undefined {
  const policy = pod.spec.dnsPolicy ?? 'ClusterFirst';
  const cfg = pod.spec.dnsConfig;
  const host = pod.spec.hostNetwork === true;
  if (host && !cfg && (policy === 'ClusterFirst' || policy === 'Default')) return undefined;
  let base: DnsSettings;
  if (policy === 'None') base = { servers: [], search: [], options: [] };
  else if (policy === 'Default' || (policy === 'ClusterFirst' && host) || !cluster) base = node();
  else base = cluster;
  if (!cfg) return base;
  return {
    servers: unique([...base.servers, ...(cfg.nameservers ?? [])]).slice(0, MAX_NAMESERVERS),
    search: unique([...base.search, ...(cfg.searches ?? [])]).slice(0, MAX_SEARCHES),
    options: mergeOptions(base.options, cfg.options ?? []),
  };
}

/** resolv.conf text -> settings. */
export function parseResolvConf(text: string): DnsSettings {
  const out: DnsSettings = { servers: [], search: [], options: [] };
  for (const raw of text.split('\n')) {
    const [key, ...rest] = raw.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.servers.push(rest[0]);
    else if (key === 'search' || key === 'domain') out.search = rest;
    else if (key === 'options') out.options.push(...rest);
  }
  return out;
}

const isLoopback = (ip: string) => ip.startsWith('127.') || ip === '::1';

/**
 * The node's resolver as a pod can use it. A nameserver on the host's loopback (systemd-resolved's
 * 127.0.0.53) is unreachable from a pod's namespace, so, as the kubelet recommends, the upstream
 * list systemd-resolved keeps is used instead when there is one.
 */
export function nodeResolver(files = ['/etc/resolv.conf', '/run/systemd/resolve/resolv.conf']): DnsSettings {
  let first: DnsSettings | undefined;
  for (const f of files) {
    let s: DnsSettings;
    try {
      s = parseResolvConf(readFileSync(f, 'utf8'));
    } catch {
      continue;
    }
    first ??= s;
    if (s.servers.some((ip) => !isLoopback(ip))) return { ...s, servers: s.servers.filter((ip) => !isLoopback(ip)) };
  }
  return first ?? { servers: [], search: [], options: [] };
}
