// Endpoints: the pod addresses behind a Service. Kept by the controller for services with a
// selector; written by users for services without one (to point a service at something else).
import type { Endpoints } from '../api/types';
import { S, base, port } from '../manifest/fields';
import { dns1123LabelError, dns1123SubdomainError } from '../manifest/names';
import { ageOf } from '../print/age';
import type { KindDefinition } from './kind';

const ipv4 = S.nonEmpty((v) => (/^\d{1,3}(\.\d{1,3}){3}$/.test(v) && v.split('.').every((o) => Number(o) <= 255) ? undefined : 'must be an IPv4 address'));

const address = S.obj(
  {
    ip: ipv4,
    nodeName: S.str(),
    hostname: S.str(dns1123LabelError),
    targetRef: S.obj({ kind: S.str(), name: S.str(), namespace: S.str(), uid: S.str(), apiVersion: S.str(), resourceVersion: S.str() }),
  },
  { required: ['ip'] },
);

const subset = S.obj({
  addresses: S.list(address),
  notReadyAddresses: S.list(address),
  ports: S.list(S.obj({ name: S.str(dns1123LabelError), port, protocol: S.oneOf('TCP', 'UDP'), appProtocol: S.str() }, { required: ['port'] })),
});

const MAX_SHOWN = 3;

/** kubectl's way of listing endpoints: the first three, then "+ N more...", or "<none>" for none. */
export function formatEndpointList(addrs: readonly string[]): string {
  if (addrs.length === 0) return '<none>';
  const shown = addrs.slice(0, MAX_SHOWN).join(',');
  return addrs.length > MAX_SHOWN ? `${shown} + ${addrs.length - MAX_SHOWN} more...` : shown;
}

/** kubectl's ENDPOINTS cell: "10.244.1.5:80,10.244.2.7:80 + 1 more...", "<none>" when there are no ready addresses. */
export function formatEndpoints(ep: Endpoints): string {
  const list: string[] = [];
  for (const ss of ep.subsets ?? []) {
    const addrs = ss.addresses ?? [];
    const ports = ss.ports?.length ? ss.ports.map((p) => `:${p.port}`) : [''];
    for (const p of ports) for (const a of addrs) list.push(a.ip + p);
  }
  return formatEndpointList(list);
}

export const endpointsKind: KindDefinition<Endpoints> = {
  kind: 'Endpoints',
  apiVersion: 'v1',
  plural: 'endpoints',
  singular: 'endpoints',
  shortNames: ['ep'],
  namespaced: true,
  systemOwned: true,
  schema: S.obj({ ...base, subsets: S.list(subset) }),
  nameRule: dns1123SubdomainError,
  table: {
    columns: [{ name: 'NAME' }, { name: 'ENDPOINTS' }, { name: 'AGE' }],
    cells: (ep, now) => [ep.metadata.name, formatEndpoints(ep), ageOf(ep, now)],
  },
};
