// Who a certificate says its holder is. Every certificate the cluster CA issues carries one of
// three identities in its subject (CN and O, as Kubernetes does), and servers certificates carry
// a DNS name clients check, so a node's certificate can never pass for the controller's.
import type { PeerCertificate } from 'node:tls';

export type Identity = { kind: 'controller' } | { kind: 'node'; name: string } | { kind: 'user'; name: string };

/** The name in every controller's serving certificate; clients dial with it as the TLS server name. */
export const CONTROLLER_SERVER_NAME = 'controller.kite';

/** The name in a node's serving certificate (the agent's logs/exec server). */
export function nodeServerName(node: string): string {
  return `${node}.node.kite`;
}

const NODE_PREFIX = 'system:node:';
const NODES_GROUP = 'system:nodes';
const CONTROLLER_CN = 'system:controller';
const CONTROLLERS_GROUP = 'system:controllers';
const USERS_GROUP = 'kite:users';

export interface Subject {
  commonName: string;
  organization: string;
}

export function subjectOf(identity: Identity): Subject {
  switch (identity.kind) {
    case 'controller':
      return { commonName: CONTROLLER_CN, organization: CONTROLLERS_GROUP };
    case 'node':
      return { commonName: NODE_PREFIX + identity.name, organization: NODES_GROUP };
    case 'user':
      return { commonName: identity.name, organization: USERS_GROUP };
  }
}

/** The identity a subject names, or undefined when it names none of Kite's. */
export function identityOfSubject(s: Subject): Identity | undefined {
  if (s.organization === CONTROLLERS_GROUP && s.commonName === CONTROLLER_CN) return { kind: 'controller' };
  if (s.organization === NODES_GROUP && s.commonName.startsWith(NODE_PREFIX) && s.commonName.length > NODE_PREFIX.length) {
    return { kind: 'node', name: s.commonName.slice(NODE_PREFIX.length) };
  }
  if (s.organization === USERS_GROUP && s.commonName && !s.commonName.startsWith('system:')) return { kind: 'user', name: s.commonName };
  return undefined;
}

/** What a grpc-js server call tells of its peer's TLS (grpc-js's AuthContext). */
export interface PeerCall {
  getAuthContext(): { sslPeerCertificate?: PeerCertificate } | null;
}

/** The identity of a TLS peer whose certificate the handshake already verified against the CA. */
export function identityOfPeer(cert: PeerCertificate | undefined): Identity | undefined {
  if (!cert?.subject) return undefined;
  const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v.length === 1 ? v[0]! : '') : (v ?? ''));
  return identityOfSubject({ commonName: one(cert.subject.CN), organization: one(cert.subject.O) });
}

export function describeIdentity(i: Identity): string {
  switch (i.kind) {
    case 'controller':
      return 'the controller';
    case 'node':
      return `node "${i.name}"`;
    case 'user':
      return `user "${i.name}"`;
  }
}
