// Service: a stable virtual IP and ports in front of the pods its selector matches.
import type { Service, ServicePort } from '../api/types';
import { S, base, err, labelsSchema, port, set, status } from '../manifest/fields';
import { dns1035LabelError, dns1123LabelError } from '../manifest/names';
import { setDefault, specOf } from '../manifest/pod-defaults';
import { probePort, uniqueBy } from '../manifest/pod-fields';
import { isObj, join } from '../manifest/schema';
import { ageOf } from '../print/age';
import { formatLabels } from '../print/labels';
import type { KindDefinition } from './kind';
import { getPath } from './paths';
import { IMMUTABLE } from './immutable';

const serviceSpec = S.obj(
  {
    selector: labelsSchema,
    ports: S.list(
      S.obj(
        { name: S.str(dns1123LabelError), protocol: S.oneOf('TCP', 'UDP'), port, targetPort: probePort, nodePort: S.int(30000, 32767) },
        { required: ['port'], unsupported: set('appProtocol') },
      ),
      false,
      (v, path, ctx) => uniqueBy(v, 'name', path, ctx, 'port name'),
    ),
    type: S.oneOf('ClusterIP', 'NodePort', 'LoadBalancer'),
    clusterIP: S.str((v) => (v === '' || v === 'None' || /^\d{1,3}(\.\d{1,3}){3}$/.test(v) ? undefined : 'must be "None", empty, or an IPv4 address')),
    sessionAffinity: S.oneOf('None', 'ClientIP'),
    publishNotReadyAddresses: S.bool,
    sessionAffinityConfig: S.obj({ clientIP: S.obj({ timeoutSeconds: S.int(1, 86400) }) }),
  },
  {
    unsupported: set(
      'externalTrafficPolicy', 'internalTrafficPolicy', 'ipFamilies', 'ipFamilyPolicy', 'clusterIPs',
      'loadBalancerIP', 'loadBalancerSourceRanges', 'loadBalancerClass', 'externalIPs', 'healthCheckNodePort',
      'allocateLoadBalancerNodePorts', 'externalName', 'trafficDistribution',
    ),
    hook: (o, path, ctx) => {
      const ports = Array.isArray(o.ports) ? o.ports : [];
      if (ports.length === 0 && o.clusterIP !== 'None') err(ctx, join(path, 'ports'), 'must contain at least one port (unless clusterIP is None)');
      if (ports.length > 1) {
        ports.forEach((p, i) => {
          if (isObj(p) && (p.name == null || p.name === '')) err(ctx, `${path}.ports[${i}].name`, 'is required when the service has more than one port');
        });
      }
      const type = o.type ?? 'ClusterIP';
      if (type === 'ClusterIP') {
        ports.forEach((p, i) => {
          if (isObj(p) && p.nodePort != null) err(ctx, `${path}.ports[${i}].nodePort`, 'may not be set when type is ClusterIP');
        });
      }
    },
  },
);

/** "80/TCP,443:30443/TCP", or "<none>". */
export function servicePorts(svc: Service): string {
  const ports = (svc.spec.ports ?? []).map((p) => {
    const proto = p.protocol ?? 'TCP';
    return p.nodePort ? `${p.port}:${p.nodePort}/${proto}` : `${p.port}/${proto}`;
  });
  return ports.length ? ports.join(',') : '<none>';
}

/** NodePort and LoadBalancer services have a node port per port. */
export function usesNodePorts(svc: Service): boolean {
  const type = svc.spec.type ?? 'ClusterIP';
  return type === 'NodePort' || type === 'LoadBalancer';
}

/**
 * The node port an update keeps for a port that names none: the one the same port (number and
 * protocol, kubectl's merge key for service ports) had before, else the one of the same name.
 */
export function previousNodePort(current: Service | undefined, port: ServicePort): number | undefined {
  const before = current && usesNodePorts(current) ? current.spec.ports ?? [] : [];
  const proto = port.protocol ?? 'TCP';
  const same = before.find((p) => p.port === port.port && (p.protocol ?? 'TCP') === proto) ?? (port.name ? before.find((p) => p.name === port.name) : undefined);
  return same?.nodePort ?? undefined;
}

/** A re-apply that leaves out the node ports the system allocated keeps them, as kubectl apply does. */
function keepNodePorts(existing: Service, desired: Service): void {
  if (!usesNodePorts(desired) || !Array.isArray(desired.spec?.ports)) return;
  const requested = new Set(desired.spec.ports.flatMap((p) => (p.nodePort ? [p.nodePort] : [])));
  for (const p of desired.spec.ports) {
    if (p.nodePort) continue;
    const before = previousNodePort(existing, p);
    if (before === undefined || requested.has(before)) continue;
    p.nodePort = before;
    requested.add(before);
  }
}

/** "10.0.0.5,10.0.0.6" from status.loadBalancer.ingress, "<pending>" until there is one; "<none>" for other types. */
export function externalIPs(svc: Service): string {
  if (svc.spec.type !== 'LoadBalancer') return '<none>';
  const ingress = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean);
  return ingress.length ? ingress.join(',') : '<pending>';
}

/** Once allocated, the cluster IP stays; an update leaving it empty keeps it (see systemFields). */
function clusterIPIssues(current: Service, next: Service): { path: string; message: string }[] {
  const before = getPath(current, 'spec.clusterIP');
  const after = getPath(next, 'spec.clusterIP');
  const unset = (v: unknown) => v === undefined || v === null || v === '';
  return unset(before) || unset(after) || before === after ? [] : [{ path: 'spec.clusterIP', message: IMMUTABLE }];
}

export const serviceKind: KindDefinition<Service> = {
  kind: 'Service',
  apiVersion: 'v1',
  plural: 'services',
  singular: 'service',
  shortNames: ['svc'],
  namespaced: true,
  schema: S.obj({ ...base, ...status, spec: serviceSpec }, { required: ['spec'] }),
  nameRule: dns1035LabelError,
  defaults(svc) {
    const spec = specOf(svc);
    if (!spec) return;
    setDefault(spec, 'type', 'ClusterIP');
    if (Array.isArray(spec.ports)) {
      for (const p of spec.ports) {
        if (!isObj(p)) continue;
        setDefault(p, 'protocol', 'TCP');
        setDefault(p, 'targetPort', p.port);
      }
    }
  },
  immutable: clusterIPIssues,
  // Allocated by the controller; node ports are per port, matched by port (keepNodePorts).
  systemFields: ['spec.clusterIP'],
  keepSystemValues: keepNodePorts,
  table: {
    columns: [
      { name: 'NAME' }, { name: 'TYPE' }, { name: 'CLUSTER-IP' }, { name: 'EXTERNAL-IP' }, { name: 'PORT(S)' }, { name: 'AGE' },
      { name: 'SELECTOR', wide: true },
    ],
    cells: (s, now) => [
      s.metadata.name,
      s.spec.type ?? 'ClusterIP',
      s.spec.clusterIP || '<none>',
      externalIPs(s),
      servicePorts(s),
      ageOf(s, now),
      formatLabels(s.spec.selector),
    ],
  },
};
