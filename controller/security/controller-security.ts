// Everything security one controller process holds: the cluster CA (loaded or created), its own
// certificate (renewed before expiry, no restart), users and their API tokens, join tokens, the
// authorizer, node certificates, and the TLS settings of its servers and of its dials to agents.
import type { Etcd3 } from 'etcd3';
import type { Node } from '../../common/api/types';
import { writeClientConfig, readClientConfig } from '../../common/client-config';
import { unavailable, errorMessage, isKiteError } from '../../common/errors';
import type { Logger } from '../../common/log';
import { certificateFacts, renewalTime, signedBy } from '../../common/pki/certs';
import { CertificateSource } from '../../common/pki/certificate-source';
import { nodeServerName, type Identity } from '../../common/pki/identity';
import { PLAINTEXT, type TransportSecurity } from '../../common/transport';
import type { KeyLayout } from '../store/keys';
import { Authorizer } from './authorize';
import { ClusterCa, type Sealer } from './cluster-ca';
import { NodeCertificateRecords, NodeCertificates } from './node-certificates';
import { identifyAsAdmin, identifyByCertificate, type IdentifyCaller } from './peer-identity';
import { TokenStore } from './tokens';
import { identityOfBearer, UserTokenStore } from './user-tokens';
import { ADMIN_USER, UserStore } from './users';

export const DEFAULT_CERT_VALIDITY_MS = 24 * 3600_000;
export const DEFAULT_USER_CERT_VALIDITY_MS = 365 * 24 * 3600_000;

export interface ControllerSecurityOptions {
  client: Etcd3;
  keys: KeyLayout;
  sealer: Sealer;
  /** The node object by name (a live node's name cannot be taken by a join). */
  node(name: string): Node | undefined;
  /** The controller's own and nodes' certificates (default 24 h). */
  certValidityMs?: number;
  userCertValidityMs?: number;
  /** Write the admin's credential here, naming this server address. */
  adminConfig?: { file: string; server: string };
  /** Benchmarks' baseline: no TLS, every caller acts as the admin. */
  plaintext?: boolean;
  log: Logger;
}

export class ControllerSecurity {
  readonly users: UserStore;
  readonly tokens: TokenStore;
  /** Users' bearer tokens for the Kubernetes API (`kite kubeconfig --user NAME`). */
  readonly userTokens: UserTokenStore;
  readonly authorizer: Authorizer;
  readonly nodeCertificates: NodeCertificates;
  /** Which certificate each node may use; deleting a node revokes its certificate. */
  readonly nodeCertificateRecords: NodeCertificateRecords;
  readonly identify: IdentifyCaller;
  private clusterCa: ClusterCa | undefined;
  private source: CertificateSource | undefined;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly opts: ControllerSecurityOptions) {
    this.users = new UserStore(opts.client, opts.keys, opts.log);
    this.tokens = new TokenStore(opts.client, opts.keys);
    this.userTokens = new UserTokenStore(opts.client, opts.keys, opts.log);
    this.authorizer = new Authorizer(this.users);
    this.identify = opts.plaintext ? identifyAsAdmin : identifyByCertificate;
    this.nodeCertificateRecords = new NodeCertificateRecords(opts.client, opts.keys);
    this.nodeCertificates = new NodeCertificates({
      ca: () => this.ca,
      tokens: this.tokens,
      node: opts.node,
      records: this.nodeCertificateRecords,
      validityMs: this.certValidityMs,
      log: opts.log,
    });
  }

  get plaintext(): boolean {
    return this.opts.plaintext ?? false;
  }

  get ca(): ClusterCa {
    if (!this.clusterCa) throw unavailable('the controller is still loading the cluster CA');
    return this.clusterCa;
  }

  private get certValidityMs(): number {
    return this.opts.certValidityMs ?? DEFAULT_CERT_VALIDITY_MS;
  }

  /**
   * Loads (or creates) the CA, retrying until etcd answers; issues this controller's certificate;
   * loads users and makes sure the admin exists; writes the admin credential if asked.
   */
  async start(): Promise<void> {
    const { log } = this.opts;
    for (let attempt = 0; !this.clusterCa; attempt++) {
      try {
        this.clusterCa = await ClusterCa.loadOrCreate(this.opts.client, this.opts.keys, this.opts.sealer, log);
      } catch (e) {
        // Only etcd being unreachable is worth waiting out; a key the keys file lacks, or a CA
        // that does not decrypt, will not fix itself: stop and say so.
        if (this.stopped || isKiteError(e)) throw e;
        if (attempt % 10 === 0) log.warn({ component: 'cluster-ca', err: errorMessage(e) }, 'cannot load the cluster CA from etcd yet; retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    await this.users.start();
    await this.users.ensure(ADMIN_USER, 'admin');
    await this.userTokens.start();
    if (!this.plaintext) {
      this.source = new CertificateSource(this.clusterCa.certificate, await this.clusterCa.issue({ kind: 'controller' }, this.certValidityMs));
      this.scheduleRenewal();
    }
    if (this.opts.adminConfig) await this.writeAdminConfig(this.opts.adminConfig.file, this.opts.adminConfig.server);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.renewTimer) clearTimeout(this.renewTimer);
    await this.users.stop();
    await this.userTokens.stop();
  }

  /**
   * The caller an `Authorization: Bearer TOKEN` header names, or undefined (no header, another
   * scheme, an unknown, wrong or expired token): the Kubernetes API answers 401 then. A token of
   * a deleted user still names the user here; the authorizer refuses it (Unauthenticated), as it
   * refuses that user's certificate. Synchronous: a lookup in the watched copy of the tokens.
   */
  authenticateBearer(header: string | undefined): Identity | undefined {
    return identityOfBearer(header, (token) => this.userTokens.authenticate(token));
  }

  /** The controller's port: TLS, client certificates requested (agents without one may only join). */
  serverSecurity(): TransportSecurity {
    if (this.plaintext) return PLAINTEXT;
    return { mode: 'tls', certs: this.requireSource(), clientCertificates: 'request' };
  }

  /** Dialing a node's agent: present the controller's certificate, expect the node's. */
  agentDialSecurity(node: string): TransportSecurity {
    if (this.plaintext) return PLAINTEXT;
    return { mode: 'tls', certs: this.requireSource(), serverName: nodeServerName(node) };
  }

  private requireSource(): CertificateSource {
    if (!this.source) throw unavailable('the controller has no certificate yet');
    return this.source;
  }

  private scheduleRenewal(): void {
    const source = this.requireSource();
    const at = renewalTime(certificateFacts(source.identity!.cert)).getTime();
    this.renewTimer = setTimeout(() => {
      this.ca
        .issue({ kind: 'controller' }, this.certValidityMs)
        .then((kc) => {
          source.setIdentity(kc);
          this.opts.log.info({ component: 'cluster-ca', notAfter: certificateFacts(kc.cert).notAfter.toISOString() }, 'renewed the controller certificate');
        })
        .catch((e: unknown) => this.opts.log.error({ component: 'cluster-ca', err: errorMessage(e) }, 'renewing the controller certificate failed; retrying'))
        .finally(() => {
          if (!this.stopped) this.scheduleRenewal();
        });
    }, Math.max(1000, at - Date.now()));
    this.renewTimer.unref();
  }

  /**
   * Writes the admin's credential (as k3s writes its kubeconfig) unless the file already holds a
   * working one: signed by this CA, for the admin, a third of its life left, naming this server.
   */
  private async writeAdminConfig(file: string, server: string): Promise<void> {
    const existing = (() => {
      try {
        return readClientConfig(file);
      } catch {
        return {};
      }
    })();
    const ca = this.ca.certificate;
    if (existing.cert && existing.ca === ca && existing.server === server && signedBy(existing.cert, ca)) {
      const facts = certificateFacts(existing.cert);
      if (facts.identity?.kind === 'user' && facts.identity.name === ADMIN_USER && renewalTime(facts).getTime() > Date.now()) return;
    }
    const kc = await this.ca.issue({ kind: 'user', name: ADMIN_USER }, this.opts.userCertValidityMs ?? DEFAULT_USER_CERT_VALIDITY_MS);
    writeClientConfig(file, { server, ...(existing.namespace ? { namespace: existing.namespace } : {}), user: ADMIN_USER, ca, cert: kc.cert, key: kc.key });
    this.opts.log.info({ component: 'cluster-ca', file }, 'wrote the admin credential');
  }
}
