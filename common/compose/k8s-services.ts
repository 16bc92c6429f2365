// The Services of a Compose service: a ClusterIP Service with the service's name (its expose and
// ports targets, so http://db:5432 works), one more per network alias, and a LoadBalancer Service
// <service>-published for `ports` (published on every node, like docker run -p).
import type { Service, ServicePort } from '../api/types';
import { invalid } from '../errors';
import { dnsLabel } from './names';
import { parseExpose, parsePortSpec, type PortMapping } from './ports';
import { type Obj, type ServiceContext, isObj, warn, where } from './service-context';

export interface ServiceObjectsInput {
  ctx: ServiceContext;
  namespace: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
}

const portName = (protocol: string, port: number) => `${protocol.toLowerCase()}-${port}`;

function mappings(ctx: ServiceContext): PortMapping[] {
  const list = Array.isArray(ctx.def.ports) ? ctx.def.ports : [];
  return list.flatMap((p: unknown, i) => {
    try {
      return parsePortSpec(p as string | number | Obj);
    } catch (e) {
      throw invalid(`${where(ctx, `ports[${i}]`)}: ${(e as Error).message}`);
    }
  });
}

function clusterPorts(ctx: ServiceContext, published: PortMapping[]): ServicePort[] {
  const out = new Map<string, ServicePort>();
  const add = (port: number, protocol: 'TCP' | 'UDP') => out.set(`${port}/${protocol}`, { name: portName(protocol, port), protocol, port, targetPort: port });
  (Array.isArray(ctx.def.expose) ? ctx.def.expose : []).forEach((e: unknown, i) => {
    try {
      for (const p of parseExpose(e as string | number)) add(p.port, p.protocol);
    } catch (err) {
      throw invalid(`${where(ctx, `expose[${i}]`)}: ${(err as Error).message}`);
    }
  });
  for (const m of published) add(m.target, m.protocol);
  return [...out.values()];
}

function service(name: string, input: ServiceObjectsInput, spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: input.namespace, labels: { ...input.labels } }, spec: { ...spec, selector: { ...input.selector } } };
}

/** Network aliases of the service (on any of its networks). */
function aliases(ctx: ServiceContext): string[] {
  const networks = ctx.def.networks;
  if (!isObj(networks)) return [];
  return Object.values(networks).flatMap((n) => (isObj(n) && Array.isArray(n.aliases) ? n.aliases.map(String) : []));
}

export function serviceObjects(input: ServiceObjectsInput): Service[] {
  const { ctx } = input;
  const published = mappings(ctx);
  const ports = clusterPorts(ctx, published);
  // No ports: a headless Service still gives the name (resolving to the pods), as on a Compose network.
  const clusterSpec: Service['spec'] = ports.length ? { type: 'ClusterIP', ports } : { clusterIP: 'None' };
  const out = [service(ctx.objectName, input, clusterSpec)];
  for (const alias of new Set(aliases(ctx))) {
    const name = dnsLabel(alias, `services.${ctx.name}.networks aliases: alias`);
    if (name !== ctx.objectName) out.push(service(name, input, clusterSpec));
  }
  if (published.length) {
    const lbPorts = new Map<string, ServicePort>();
    published.forEach((m) => {
      const port = m.published ?? m.target;
      if (m.hostIp && m.hostIp !== '0.0.0.0' && m.hostIp !== '::') warn(ctx, 'ports', `host_ip ${m.hostIp} is ignored: a LoadBalancer Service publishes on every node address`);
      const key = `${port}/${m.protocol}`;
      if (lbPorts.has(key)) throw invalid(`${where(ctx, 'ports')}: port ${key} is published twice`);
      lbPorts.set(key, { name: m.name ?? portName(m.protocol, port), protocol: m.protocol, port, targetPort: m.target });
    });
    out.push(service(`${ctx.objectName}-published`, input, { type: 'LoadBalancer', ports: [...lbPorts.values()] }));
  }
  return out;
}
