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
import type { ClusterCa } from './cluster-ca';
import type { TokenStore } from './tokens';

export interface NodeCertificatesDeps {
  /** Read on each use: the CA is loaded after construction. */
  readonly ca: ClusterCa;
  tokens: Pick<TokenStore, 'authenticate'>;
  /** The node object, if the cluster has one by that name. */
  node(name: string): Node | undefined;
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
    return { certificate, ca: this.deps.ca.certificate };
  }

  /** A caller renews only its own certificate. */
  async renew(caller: Identity, csrPem: string): Promise<IssuedCertificate> {
    if (caller.kind !== 'node') throw forbidden(`${describeIdentity(caller)} cannot renew a node certificate`);
    return { certificate: await this.sign(caller, csrPem), ca: this.deps.ca.certificate };
  }

  private async sign(identity: Identity & { kind: 'node' }, csrPem: string): Promise<string> {
    const req = await readCertificateRequest(csrPem);
    if (req.identity?.kind !== 'node' || req.identity.name !== identity.name) {
      throw forbidden(`the certificate request names ${req.identity ? describeIdentity(req.identity) : 'no Kite identity'}, not node "${identity.name}"`);
    }
    return (await this.deps.ca.sign(identity, req.publicKey, this.deps.validityMs)) + this.deps.ca.certificate;
  }
}
