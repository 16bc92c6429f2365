// The Endpoints of a Service as a pure function of the service and the pods, as Kubernetes'
// endpoints controller computes them: pods the selector matches, with an IP, not Terminating and
// not finished; Ready ones in addresses, the others in notReadyAddresses; each service port's
// targetPort resolved per pod (a number as is, a name through the pod's container port of that
// name); pods with the same resolved ports grouped into one subset.
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints, Pod, Service, ServicePort } from '../../common/api/types';
import { hasReadyCondition, isBeingDeleted, isPodTerminal } from '../../common/api/pod';
import { canonicalJson } from '../../common/canonical';

/** Marks Endpoints this controller keeps (a selector-less service's Endpoints are the user's). */
export const ENDPOINTS_MANAGED_BY_LABEL = 'kite.io/managed-by';
export const ENDPOINTS_CONTROLLER_NAME = 'endpoints-controller';

/** A pod left out of a port because it has no container port of the targetPort's name. */
export interface UnresolvedPort {
  pod: string;
  targetPort: string;
}

export interface ComputedEndpoints {
  subsets: EndpointSubset[];
  unresolved: UnresolvedPort[];
}

/** Does the selector (a plain label map, as Services have) match these labels? An empty selector matches nothing here: services without one are skipped before. */
export function selectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** Whether a pod belongs in a service's Endpoints at all (ready or not). */
export function isEndpointCandidate(pod: Pod): boolean {
  return !!pod.status?.podIP && !isBeingDeleted(pod) && !isPodTerminal(pod);
}

/** The container port a service port sends to on this pod, or undefined when a named targetPort is not there. */
export function resolveTargetPort(port: ServicePort, pod: Pod): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const proto = port.protocol ?? 'TCP';
  for (const c of pod.spec.containers) {
    const named = c.ports?.find((p) => p.name === target && (p.protocol ?? 'TCP') === proto);
    if (named) return named.containerPort;
  }
  return undefined;
}

/**
 * A pod's address in a service's Endpoints. As Kubernetes: it carries the pod's hostname when the
 * pod names this service as its subdomain, so DNS answers <hostname>.<svc>.<ns>.svc (StatefulSets).
 */
function addressOf(pod: Pod, svc: Service): EndpointAddress {
  const named = !!pod.spec.hostname && pod.spec.subdomain === svc.metadata.name;
  return {
    ip: pod.status!.podIP!,
    ...(named ? { hostname: pod.spec.hostname } : {}),
    ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace ?? 'default', uid: pod.metadata.uid ?? '' },
  };
}

const byIp = (a: EndpointAddress, b: EndpointAddress) => compareIPs(a.ip, b.ip) || a.targetRef!.name.localeCompare(b.targetRef!.name);

function compareIPs(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The subsets of a selector service's Endpoints, and the pods a named targetPort missed. */
export function computeEndpoints(svc: Service, pods: Iterable<Pod>): ComputedEndpoints {
  const ns = svc.metadata.namespace ?? 'default';
  const servicePorts = svc.spec.ports ?? [];
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  const unresolved: UnresolvedPort[] = [];
  for (const pod of pods) {
    if ((pod.metadata.namespace ?? 'default') !== ns || !selectorMatches(svc.spec.selector, pod.metadata.labels) || !isEndpointCandidate(pod)) continue;
    const ports: EndpointPort[] = [];
    for (const sp of servicePorts) {
      const target = resolveTargetPort(sp, pod);
      if (target === undefined) {
        unresolved.push({ pod: pod.metadata.name, targetPort: String(sp.targetPort) });
        continue;
      }
      ports.push({ ...(sp.name ? { name: sp.name } : {}), port: target, protocol: sp.protocol ?? 'TCP' });
    }
    // A pod that resolves none of several ports serves nothing through this service.
    if (servicePorts.length > 0 && ports.length === 0) continue;
    const key = canonicalJson(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: [], notReady: [] }));
    // publishNotReadyAddresses: peers find each other before they are ready (StatefulSet clusters).
    (svc.spec.publishNotReadyAddresses === true || hasReadyCondition(pod) ? g.ready : g.notReady).push(addressOf(pod, svc));
  }
  const subsets = [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, g]) => ({
      ...(g.ready.length ? { addresses: g.ready.sort(byIp) } : {}),
      ...(g.notReady.length ? { notReadyAddresses: g.notReady.sort(byIp) } : {}),
      ...(g.ports.length ? { ports: g.ports } : {}),
    }));
  return { subsets, unresolved };
}

/** The Endpoints object the controller keeps for a service. */
export function desiredEndpoints(svc: Service, subsets: EndpointSubset[]): Endpoints {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: svc.metadata.name,
      namespace: svc.metadata.namespace ?? 'default',
      labels: { ...(svc.metadata.labels ?? {}), [ENDPOINTS_MANAGED_BY_LABEL]: ENDPOINTS_CONTROLLER_NAME },
    },
    subsets,
  };
}

/** Whether the stored Endpoints already say what `desired` says (labels and subsets). */
export function sameEndpoints(stored: Endpoints, desired: Endpoints): boolean {
  return canonicalJson([stored.subsets ?? [], stored.metadata.labels ?? {}]) === canonicalJson([desired.subsets ?? [], desired.metadata.labels ?? {}]);
}
