// The Service `kite expose` makes, as kubectl expose: it selects what the exposed object selects
// (a deployment's pod selector, a pod's labels, a service's selector); the port defaults to the
// first container port the pods declare (a service's: its first port).
import type { Deployment, KObject, Pod, PodSpec, Service } from '../../common/api/types';
import { invalid } from '../../common/errors';

export interface ExposeFlags {
  port?: string;
  targetPort?: string;
  type?: string;
  name?: string;
  protocol?: string;
}

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'] as const;

function portNumber(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw invalid(`${flag} ${v}: must be a port number (1-65535)`);
  return n;
}

/** The selector and default port of what is exposed. */
export function exposedShape(obj: KObject): { selector: Record<string, string>; port?: number; targetPort?: number | string } {
  const firstContainerPort = (spec: PodSpec | undefined) => spec?.containers.flatMap((c) => c.ports ?? [])[0]?.containerPort;
  switch (obj.kind) {
    case 'Deployment': {
      const d = obj as Deployment;
      const selector = d.spec.selector.matchLabels;
      if (!selector || !Object.keys(selector).length || d.spec.selector.matchExpressions?.length) {
        throw invalid(`deployment ${d.metadata.name}: only a selector of matchLabels can be exposed`);
      }
      return { selector, port: firstContainerPort(d.spec.template.spec) };
    }
    case 'Pod': {
      const p = obj as Pod;
      const labels = p.metadata.labels ?? {};
      if (!Object.keys(labels).length) throw invalid(`pod ${p.metadata.name} has no labels: a service could not select it`);
      return { selector: labels, port: firstContainerPort(p.spec) };
    }
    case 'Service': {
      const s = obj as Service;
      if (!s.spec.selector || !Object.keys(s.spec.selector).length) throw invalid(`service ${s.metadata.name} has no selector to copy`);
      const first = s.spec.ports?.[0];
      return { selector: s.spec.selector, port: first?.port, targetPort: first?.targetPort };
    }
    default:
      throw invalid(`cannot expose a ${obj.kind}: kite expose takes deployment/NAME, pod/NAME or svc/NAME`);
  }
}

export function buildExposedService(obj: KObject, namespace: string, flags: ExposeFlags): Service {
  const type = flags.type ?? 'ClusterIP';
  if (!(TYPES as readonly string[]).includes(type)) throw invalid(`--type ${type}: must be one of ${TYPES.join(', ')}`);
  const protocol = (flags.protocol ?? 'TCP').toUpperCase();
  if (protocol !== 'TCP' && protocol !== 'UDP') throw invalid(`--protocol ${flags.protocol}: must be TCP or UDP`);
  const shape = exposedShape(obj);
  const port = flags.port !== undefined ? portNumber(flags.port, '--port') : shape.port;
  if (port === undefined) throw invalid(`couldn't find port via --port flag or introspection: ${obj.kind.toLowerCase()} ${obj.metadata.name} declares no container port`);
  // As kubectl: the target port is --target-port, else a copied service's own, else the port.
  let targetPort: number | string = shape.targetPort ?? port;
  if (flags.targetPort !== undefined) targetPort = /^\d+$/.test(flags.targetPort) ? portNumber(flags.targetPort, '--target-port') : flags.targetPort;
  const name = flags.name ?? obj.metadata.name;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: obj.metadata.labels && obj.kind !== 'Pod' ? obj.metadata.labels : { ...shape.selector } },
    spec: { type: type as Service['spec']['type'], selector: shape.selector, ports: [{ protocol: protocol as 'TCP' | 'UDP', port, targetPort }] },
  };
}
