// The Docker-links-style service variables Kubernetes gives every container (kubelet's
// envvars.FromServices): for each service of the pod's namespace with a virtual IP,
//   WEB_SERVICE_HOST=10.96.0.5  WEB_SERVICE_PORT=80  WEB_SERVICE_PORT_HTTP=80
//   WEB_PORT=tcp://10.96.0.5:80  WEB_PORT_80_TCP=tcp://10.96.0.5:80  WEB_PORT_80_TCP_PROTO=tcp
//   WEB_PORT_80_TCP_PORT=80  WEB_PORT_80_TCP_ADDR=10.96.0.5
// Headless services and services without an address get none. Pure.
import type { Service } from '../../common/api/types';
import { isHeadless, isIPv4 } from './service-ports';

const envName = (s: string) => s.toUpperCase().replace(/-/g, '_');

export function serviceEnvVars(services: Service[]): Record<string, string> {
  const env: Record<string, string> = {};
  // Sorted by name so the result does not depend on the cache's order.
  const sorted = [...services].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  for (const s of sorted) {
    const host = s.spec.clusterIP;
    if (isHeadless(s) || !isIPv4(host)) continue;
    const prefix = envName(s.metadata.name);
    const ports = s.spec.ports ?? [];
    env[`${prefix}_SERVICE_HOST`] = host;
    if (ports[0]) env[`${prefix}_SERVICE_PORT`] = String(ports[0].port);
    for (const p of ports) if (p.name) env[`${prefix}_SERVICE_PORT_${envName(p.name)}`] = String(p.port);
    ports.forEach((p, i) => {
      const proto = (p.protocol ?? 'TCP').toLowerCase();
      const url = `${proto}://${host}:${p.port}`;
      const portPrefix = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
      if (i === 0) env[`${prefix}_PORT`] = url;
      env[portPrefix] = url;
      env[`${portPrefix}_PROTO`] = proto;
      env[`${portPrefix}_PORT`] = String(p.port);
      env[`${portPrefix}_ADDR`] = host;
    });
  }
  return env;
}
