// etcd key layout. Every object lives at
//   <prefix>/registry/<plural>/<namespace>/<name>   (namespaced kinds)
//   <prefix>/registry/<plural>/<name>               (cluster-scoped kinds)
// so one range read lists a kind in a namespace, and one prefix watch follows everything.
import { kindInfo, type KindInfo } from '../../common/kinds/registry';
import { invalid } from '../../common/errors';

export interface ObjectKey {
  kind: string;
  namespace: string;
  name: string;
}

export class KeyLayout {
  readonly registry: string;
  readonly leases: string;
  readonly election: string;
  /** Address allocations, one key per allocated item: <prefix>/allocations/<pool>/<item>. */
  readonly allocations: string;
  /** The cluster CA, join tokens and users: <prefix>/security/{ca/cert,ca/key,tokens/ID,users/NAME}. */
  readonly security: string;

  constructor(readonly prefix = '/kite') {
    this.registry = `${prefix}/registry/`;
    this.leases = `${prefix}/leases/`;
    this.election = `${prefix}/leader`;
    this.allocations = `${prefix}/allocations/`;
    this.security = `${prefix}/security/`;
  }

  /** The cluster CA's certificate (PEM) and its private key (a sealed envelope). */
  get clusterCaCert(): string {
    return `${this.security}ca/cert`;
  }

  get clusterCaKey(): string {
    return `${this.security}ca/key`;
  }

  get tokens(): string {
    return `${this.security}tokens/`;
  }

  get users(): string {
    return `${this.security}users/`;
  }

  /** Users' API tokens (bearer tokens for the Kubernetes API): <prefix>/security/user-tokens/ID. */
  get userTokens(): string {
    return `${this.security}user-tokens/`;
  }

  /** The serial of the one certificate a node may currently use. */
  nodeCertificate(node: string): string {
    return `${this.security}nodes/${node}`;
  }

  /** Prefix of one allocation pool (podcidrs, serviceips, nodeports). Ends with '/'. */
  allocationPool(pool: string): string {
    return `${this.allocations}${pool}/`;
  }

  object(kind: string, namespace: string, name: string): string {
    const info = requireKind(kind);
    return info.namespaced ? `${this.registry}${info.plural}/${namespace}/${name}` : `${this.registry}${info.plural}/${name}`;
  }

  /** Prefix for a whole kind, or one namespace of it. Always ends with '/'. */
  kindPrefix(kind: string, namespace?: string): string {
    const info = requireKind(kind);
    return info.namespaced && namespace ? `${this.registry}${info.plural}/${namespace}/` : `${this.registry}${info.plural}/`;
  }

  nodeLease(node: string): string {
    return `${this.leases}nodes/${node}`;
  }

  /** The inverse of object(); undefined for keys outside the registry. */
  parse(key: string): ObjectKey | undefined {
    if (!key.startsWith(this.registry)) return undefined;
    const parts = key.slice(this.registry.length).split('/');
    const info = PLURALS.get(parts[0] ?? '');
    if (!info) return undefined;
    if (info.namespaced && parts.length === 3) return { kind: info.kind, namespace: parts[1]!, name: parts[2]! };
    if (!info.namespaced && parts.length === 2) return { kind: info.kind, namespace: '', name: parts[1]! };
    return undefined;
  }
}

import { KINDS } from '../../common/kinds/registry';
const PLURALS = new Map(KINDS.map((k) => [k.plural, k]));

function requireKind(kind: string): KindInfo {
  const info = kindInfo(kind);
  if (!info) throw invalid(`unknown kind "${kind}"`);
  return info;
}
