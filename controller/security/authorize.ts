// Who may do what. Callers are identified by their certificate (common/pki/identity.ts); users'
// roles come from the user store. Roles, as Kubernetes' default ClusterRoles:
//   view  — read everything except Secrets; pod logs.
//   edit  — view, plus create/update/delete of namespaced objects, Secrets, exec, port-forward.
//   admin — everything, including nodes, namespaces, join tokens and users.
// Pushing images to nodes (`create images`, cluster scope) is admin only: see PUSH_IMAGES in
// controller/api/image-push.ts for why; `kite image ls` only lists Nodes.
// A user created with a namespace has its role in that namespace only (admin then manages the
// namespace, not the cluster). Nodes and controllers never use the user API.
import { forbidden, unauthenticated } from '../../common/errors';
import { describeIdentity, type Identity } from '../../common/pki/identity';
import type { UserRecord } from './users';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'delete' | 'logs' | 'exec' | 'portforward';

export interface Access {
  verb: Verb;
  /** Plural resource: "pods", "secrets", "nodes", or "tokens" / "users" for the security API. */
  resource: string;
  namespaced: boolean;
  /** The namespace acted in; undefined with namespaced: every namespace. */
  namespace?: string;
}

const READ: ReadonlySet<Verb> = new Set(['get', 'list', 'watch']);
/** Only cluster admins touch these, whatever the verb. */
const ADMIN_ONLY = new Set(['tokens', 'users']);

export interface UserDirectory {
  get(name: string): UserRecord | undefined;
}

export class Authorizer {
  constructor(private readonly users: UserDirectory) {}

  /** Throws Unauthenticated (no account) or Forbidden (naming caller, verb and resource). */
  check(caller: Identity, access: Access): void {
    if (caller.kind === 'controller') return;
    if (caller.kind === 'node') throw forbidden(`${describeIdentity(caller)} cannot ${access.verb} ${access.resource}: node credentials may only run the node's own agent session`);
    const user = this.users.get(caller.name);
    if (!user) throw unauthenticated(`user "${caller.name}" has no account on this cluster (deleted?); ask an admin for a new credential`);
    if (!allowed(user, access)) throw forbidden(`${who(user)} cannot ${access.verb} ${access.resource}${where(access)}`);
  }
}

function allowed(user: UserRecord, a: Access): boolean {
  if (ADMIN_ONLY.has(a.resource)) return user.role === 'admin' && !user.namespace;
  if (user.namespace) {
    // Only inside its namespace: no cluster-scoped objects, no "all namespaces".
    if (!a.namespaced || a.namespace !== user.namespace) return false;
  } else if (!a.namespaced) {
    return user.role === 'admin' || READ.has(a.verb);
  }
  switch (user.role) {
    case 'admin':
      return true;
    case 'edit':
      return true;
    case 'view':
      return (READ.has(a.verb) || a.verb === 'logs') && a.resource !== 'secrets';
  }
}

function who(u: UserRecord): string {
  return `user "${u.name}" (role ${u.role}${u.namespace ? ` in namespace "${u.namespace}"` : ''})`;
}

function where(a: Access): string {
  if (!a.namespaced) return ' at the cluster scope';
  return a.namespace === undefined ? ' in all namespaces' : ` in namespace "${a.namespace}"`;
}
