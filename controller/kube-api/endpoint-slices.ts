// discovery.k8s.io/v1 EndpointSlices, read-only, projected from Kite's Endpoints: `kubectl
// describe service` reads a Service's pods from its slices (and shows "<none>" without them).
// One slice per Endpoints subset, named after the Service, labelled as Kubernetes labels them.
import type { EndpointAddress, Endpoints } from '../../common/api/types';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export function endpointSlicesOf(ep: Endpoints): Record<string, unknown>[] {
  const service = ep.metadata.name;
  return (ep.subsets ?? []).map((subset, i) => ({
    kind: 'EndpointSlice',
    apiVersion: 'discovery.k8s.io/v1',
    metadata: {
      name: `${service}-${i}`,
      namespace: ep.metadata.namespace,
      uid: ep.metadata.uid ? `${ep.metadata.uid}-${i}` : undefined,
      resourceVersion: ep.metadata.resourceVersion,
      creationTimestamp: ep.metadata.creationTimestamp,
      labels: { [SERVICE_NAME_LABEL]: service, 'endpointslice.kubernetes.io/managed-by': 'kite' },
    },
    addressType: 'IPv4',
    endpoints: [...(subset.addresses ?? []).map((a) => endpoint(a, true)), ...(subset.notReadyAddresses ?? []).map((a) => endpoint(a, false))],
    // Kubernetes always writes the name ("" for an unnamed port); kubectl describe dereferences it.
    ports: (subset.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
  }));
}

function endpoint(a: EndpointAddress, ready: boolean): Record<string, unknown> {
  return {
    addresses: [a.ip],
    conditions: { ready, serving: ready, terminating: false },
    ...(a.hostname ? { hostname: a.hostname } : {}),
    ...(a.nodeName ? { nodeName: a.nodeName } : {}),
    ...(a.targetRef ? { targetRef: a.targetRef } : {}),
  };
}

/** The Service a `kubernetes.io/service-name=NAME` selector asks for, if that is what it asks. */
export function serviceNameSelected(labelSelector: string | null): string | undefined {
  const m = /^kubernetes\.io\/service-name\s*==?\s*([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/.exec((labelSelector ?? '').trim());
  return m?.[1];
}
