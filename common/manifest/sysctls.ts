// The sysctls a pod may set: Kubernetes' safe set (allowed by the kubelet without
// --allowed-unsafe-sysctls, and by the Pod Security baseline level). Each is namespaced, so it
// changes the pod's own network or IPC namespace and never the node's.

export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ping_group_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_fin_timeout',
]);

/** A sysctl name in its dotted form: Kubernetes also accepts "/" as the separator (net/ipv4/tcp_syncookies). */
export function canonicalSysctl(name: string): string {
  return name.includes('/') ? name.replace(/\//g, '.') : name;
}

/** Which namespace a safe sysctl belongs to: the pod's network or its IPC namespace. */
export function sysctlNamespace(name: string): 'network' | 'ipc' {
  return canonicalSysctl(name).startsWith('net.') ? 'network' : 'ipc';
}
