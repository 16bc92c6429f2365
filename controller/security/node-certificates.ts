// Certificates for nodes: issued on join (a valid token and a request naming the node) and on
// renewal (the node's own certificate, for its own name only). The name in the certificate is
// what the dispatcher trusts from then on.
import { forbidden, invalid } from '../../common/errors';
import type { Logger } from '../../common/log';
import { dns1123SubdomainError } from '../../common/manifest/names';
import { readCertificateRequest } from '../../common/pki/certs';
import { describeIdentity, type Identity } from '../../common/pki/identity';
import { isNodeReady } from '../../common/api/node';
import type { Node } from '../../common/api/types';
import type { Etcd3 } from 'etcd3';
import { certificateFacts } from '../../common/pki/certs';
import type { KeyLayout } from '../store/keys';
import type { ClusterCa } from './cluster-ca';
import type { TokenStore } from './tokens';

/**
 * The one certificate serial each node may use, kept in etcd: written when a node joins or
 * renews, marked revoked when the Node is deleted. A certificate that is not its node's current one
 * (stolen before a re-join, or of a deleted node) can no longer register nor renew — the
 * revocation that X.509 expiry alone would leave open for the rest of its life.
 */
export class NodeCertificateRecords {
  constructor(
    private readonly client: Etcd3,
    private readonly keys: KeyLayout,
  ) {}

  async record(node: string, serial: string): Promise<void> {
    await this.client.put(this.keys.nodeCertificate(node)).value(normalizeSerial(serial));
  }

  async isCurrent(node: string, serial: string): Promise<boolean> {
    return (await this.client.get(this.keys.nodeCertificate(node)).string()) === normalizeSerial(serial);
  }

  /** Records `serial` only if the node has no record at all; true when it did (or it was already this one). */
  async adopt(node: string, serial: string): Promise<boolean> {
    const key = this.keys.nodeCertificate(node);
    const value = normalizeSerial(serial);
    const r = await this.client.if(key, 'Create', '==', 0).then(this.client.put(key).value(value)).else(this.client.get(key)).commit();
    if (r.succeeded) return true;
    return r.responses[0]?.response_range?.kvs[0]?.value.toString() === value;
  }

  /** Keeps a tombstone rather than deleting the record: adopt() must never take a revoked node's certificate. */
  async revoke(node: string): Promise<void> {
    await this.client.put(this.keys.nodeCertificate(node)).value(REVOKED);
  }
}

/** A record no serial equals (serials are hex). */
const REVOKED = 'revoked';

/** Serials as Node's X509Certificate and TLS peer certificates print them: upper-case hex, no leading zeros. */
function normalizeSerial(serial: string): string {
  return serial.toUpperCase().replace(/^0+(?=.)/, '');
}

export function revokedMessage(node: string): string {
  return `the certificate of node "${node}" is no longer valid (the node was deleted or joined again with another certificate); join again with a token from \`kite token create\``;
}

export interface NodeCertificatesDeps {
  /** Read on each use: the CA is loaded after construction. */
  ca: () => ClusterCa;
  tokens: Pick<TokenStore, 'authenticate'>;
  /** The node object, if the cluster has one by that name. */
  node(name: string): Node | undefined;
  records: Pick<NodeCertificateRecords, 'record' | 'isCurrent' | 'adopt'>;
  validityMs: number;
  log: Logger;
}

export interface IssuedCertificate {
  certificate: string;
  ca: string;
}

export class NodeCertificates {
  constructor(private readonly deps: NodeCertificatesDeps) {}

  async join(token: string, nodeName: string, csrPem: string): Promise<IssuedCertificate> {
    const nameProblem = dns1123SubdomainError(nodeName);
    if (nameProblem) throw invalid(`node name "${nodeName}": ${nameProblem}`);
    const tokenInfo = await this.deps.tokens.authenticate(token);
    // A token must not let anyone take over a live node's name (and so its pods and Secrets).
    const existing = this.deps.node(nodeName);
    if (existing && isNodeReady(existing)) {
      throw forbidden(`node "${nodeName}" is registered and Ready; a second host cannot join under its name (run \`kite delete node ${nodeName}\` first to replace it)`);
    }
    const certificate = await this.sign({ kind: 'node', name: nodeName }, csrPem);
    this.deps.log.info({ component: 'node-certificates', node: nodeName, token: tokenInfo.id }, 'node joined');
    return { certificate, ca: this.deps.ca().certificate };
  }

  /** A caller renews only its own, current certificate. */
  async renew(caller: Identity, callerSerial: string | undefined, csrPem: string): Promise<IssuedCertificate> {
    if (caller.kind !== 'node') throw forbidden(`${describeIdentity(caller)} cannot renew a node certificate`);
    await this.requireCurrent(caller.name, callerSerial);
    return { certificate: await this.sign(caller, csrPem), ca: this.deps.ca().certificate };
  }

  /** Refuses a node certificate that is not its node's current one (see NodeCertificateRecords). */
  async requireCurrent(node: string, serial: string | undefined): Promise<void> {
    if (!serial) throw forbidden(revokedMessage(node));
    if (await this.deps.records.isCurrent(node, serial)) return;
    // A node registered before certificate records existed (an upgraded cluster) has a Node and no
    // record: its certificate becomes the current one. A deleted node has neither, so its old
    // certificate stays refused.
    if (this.deps.node(node) && (await this.deps.records.adopt(node, serial))) {
      this.deps.log.info({ component: 'node-certificates', node }, 'recorded the certificate of a node registered before certificate records');
      return;
    }
    throw forbidden(revokedMessage(node));
  }

  private async sign(identity: Identity & { kind: 'node' }, csrPem: string): Promise<string> {
    const req = await readCertificateRequest(csrPem);
    if (req.identity?.kind !== 'node' || req.identity.name !== identity.name) {
      throw forbidden(`the certificate request names ${req.identity ? describeIdentity(req.identity) : 'no Kite identity'}, not node "${identity.name}"`);
    }
    const certificate = await this.deps.ca().sign(identity, req.publicKey, this.deps.validityMs);
    await this.deps.records.record(identity.name, certificateFacts(certificate).serial);
    return certificate + this.deps.ca().certificate;
  }
}
