// Services and Endpoints for the service proxy, DNS and env-var tests.
import type { EndpointAddress, Endpoints, Service, ServicePort } from '../../../common/api/types';

export function service(name: string, spec: Partial<Service['spec']> & { ports?: ServicePort[] }, namespace = 'default', status?: Service['status']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { type: 'ClusterIP', ...spec }, ...(status ? { status } : {}) };
}

const addr = (ip: string): EndpointAddress => ({ ip });

export function endpoints(
  name: string,
  ready: string[],
  ports: { name?: string; port: number; protocol?: 'TCP' | 'UDP' }[],
  opts: { namespace?: string; notReady?: string[] } = {},
): Endpoints {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name, namespace: opts.namespace ?? 'default' },
    subsets: [{ addresses: ready.map(addr), notReadyAddresses: (opts.notReady ?? []).map(addr), ports }],
  };
}

export const byKey = (list: Endpoints[]) => new Map(list.map((e) => [`${e.metadata.namespace ?? 'default'}/${e.metadata.name}`, e]));
