// Tables for join tokens, users and "who am I", as kubeadm and kubectl print them.
import { formatAge, parseTime, shortHumanDuration } from '../../common/print/age';
import { renderTable } from './table';

export interface TokenRow {
  id: string;
  description: string;
  /** RFC 3339; empty: never expires. */
  expires: string;
}

/** `kite token list`: never the secret (the API does not return it either). */
export function tokenTable(tokens: readonly TokenRow[], nowMs: number): string {
  const rows = tokens.map((t) => {
    const expires = parseTime(t.expires);
    if (expires === undefined) return [t.id, '<forever>', '<never>', t.description || '<none>'];
    return [t.id, expires <= nowMs ? '<expired>' : shortHumanDuration(expires - nowMs), t.expires, t.description || '<none>'];
  });
  return renderTable(['TOKEN ID', 'TTL', 'EXPIRES', 'DESCRIPTION'], rows);
}

export interface UserRow {
  name: string;
  role: string;
  /** Empty: the role applies in every namespace. */
  namespace: string;
  created: string;
}

/** What a user's NAMESPACE column says when the role is cluster-wide. */
export const ALL_NAMESPACES = '<all>';

export function userTable(users: readonly UserRow[], nowMs: number): string {
  return renderTable(
    ['NAME', 'ROLE', 'NAMESPACE', 'AGE'],
    users.map((u) => [u.name, u.role, u.namespace || ALL_NAMESPACES, formatAge(u.created, nowMs)]),
  );
}

export interface WhoAmIRow {
  /** "user", "node" or "controller". */
  kind: string;
  name: string;
  role: string;
  namespace: string;
}

/** The name a caller has in refusals and logs: users by name, nodes as system:node:NAME. */
export function usernameOf(w: Pick<WhoAmIRow, 'kind' | 'name'>): string {
  if (w.kind === 'node') return `system:node:${w.name}`;
  return w.name;
}

export function whoAmITable(w: WhoAmIRow): string {
  // A user without a role has been deleted since its certificate was issued.
  const role = w.role || (w.kind === 'user' ? '<none>' : `<${w.kind}>`);
  const namespace = w.namespace || (w.role ? ALL_NAMESPACES : '<none>');
  return renderTable(['USERNAME', 'ROLE', 'NAMESPACE'], [[usernameOf(w), role, namespace]]);
}
