// The security API, transport-neutral like ApiService: join tokens, users, "who am I" and what a
// kubeconfig needs. Only cluster admins manage tokens and users (resources "tokens" and "users" in
// the authorizer), and only they mint API tokens for other users.
import { forbidden, notFound, unauthenticated, unavailable } from '../../common/errors';
import { readCertificateRequest } from '../../common/pki/certs';
import { describeIdentity, type Identity } from '../../common/pki/identity';
import type { Authorizer, Verb } from '../security/authorize';
import type { ClusterCa } from '../security/cluster-ca';
import type { TokenInfo, TokenStore } from '../security/tokens';
import type { UserRecord, UserStore } from '../security/users';
import { DEFAULT_USER_TOKEN_TTL_MS, type UserTokenStore } from '../security/user-tokens';

export interface SecurityServiceDeps {
  tokens: TokenStore;
  users: UserStore;
  ca: ClusterCa;
  authorizer: Pick<Authorizer, 'check'>;
  /** How long a user's certificate is valid. */
  userCertValidityMs: number;
  userTokens: Pick<UserTokenStore, 'create' | 'deleteForUser'>;
  /** The Kubernetes API's URL for kubeconfigs (https://HOST:PORT); empty when it is not served. */
  kubeApiUrl: () => string;
}

/** What `kite kubeconfig` writes into a kubeconfig. */
export interface KubeconfigAnswer {
  /** https://HOST:PORT of the Kubernetes API. */
  server: string;
  /** The cluster CA (PEM) to trust. */
  ca: string;
  /** Set when a token was made for another user; absent: use your own certificate. */
  token?: string;
  /** The user the kubeconfig acts as ('' for the controller's own identity). */
  user: string;
}

export interface WhoAmI {
  kind: Identity['kind'];
  name: string;
  role?: string;
  namespace?: string;
}

export class SecurityService {
  constructor(private readonly deps: SecurityServiceDeps) {}

  async createToken(caller: Identity, ttlMs: number, description: string): Promise<{ token: string; info: TokenInfo; caHash: string }> {
    this.authorize(caller, 'create', 'tokens');
    const { token, info } = await this.deps.tokens.create(ttlMs, description);
    return { token, info, caHash: this.deps.ca.pin };
  }

  listTokens(caller: Identity): Promise<TokenInfo[]> {
    this.authorize(caller, 'list', 'tokens');
    return this.deps.tokens.list();
  }

  async deleteToken(caller: Identity, id: string): Promise<void> {
    this.authorize(caller, 'delete', 'tokens');
    await this.deps.tokens.delete(id);
  }

  /** Records the user and signs the caller's request for its certificate. */
  async createUser(caller: Identity, name: string, role: string, namespace: string | undefined, csrPem: string): Promise<{ user: UserRecord; certificate: string; ca: string }> {
    this.authorize(caller, 'create', 'users');
    const req = await readCertificateRequest(csrPem);
    if (req.identity?.kind !== 'user' || req.identity.name !== name) {
      throw forbidden(`the certificate request names ${req.identity ? describeIdentity(req.identity) : 'no Kite identity'}, not user "${name}"`);
    }
    const user = await this.deps.users.create(name, role, namespace);
    const certificate = await this.deps.ca.sign({ kind: 'user', name }, req.publicKey, this.deps.userCertValidityMs);
    return { user, certificate, ca: this.deps.ca.certificate };
  }

  listUsers(caller: Identity): UserRecord[] {
    this.authorize(caller, 'list', 'users');
    return this.deps.users.list();
  }

  /**
   * Deletes the user and its API tokens. Tokens go first, so a failure leaves no token behind a
   * user that is gone (a retry finishes the job); a second sweep after the user is gone takes a
   * token a concurrent `kite kubeconfig --user` made in between.
   */
  async deleteUser(caller: Identity, name: string): Promise<void> {
    this.authorize(caller, 'delete', 'users');
    await this.deps.userTokens.deleteForUser(name);
    await this.deps.users.delete(name);
    await this.deps.userTokens.deleteForUser(name);
  }

  /**
   * The Kubernetes API's address and CA for a kubeconfig. For the caller itself (`user` empty or
   * its own name) that is all: its kubeconfig carries its own certificate. For another user
   * (cluster admins only, as creating users) a new API token acting as that user; `ttlMs` 0: the
   * default (one year).
   */
  async createKubeconfig(caller: Identity, user: string | undefined, ttlMs: number): Promise<KubeconfigAnswer> {
    const self = caller.kind === 'user' ? caller.name : undefined;
    if (!user || user === self) {
      if (caller.kind === 'node') throw forbidden(`${describeIdentity(caller)} cannot get a kubeconfig: node credentials may only run the node's own agent session`);
      if (self !== undefined && !this.deps.users.get(self)) throw unauthenticated(`user "${self}" has no account on this cluster (deleted?); ask an admin for a new credential`);
      return { ...this.kubeApi(), user: self ?? '' };
    }
    this.authorize(caller, 'create', 'users');
    if (!this.deps.users.get(user)) throw notFound(`user "${user}" not found (create it first: kite user create ${user} --role ROLE)`);
    const api = this.kubeApi();
    const { token } = await this.deps.userTokens.create(user, ttlMs || DEFAULT_USER_TOKEN_TTL_MS, describeIdentity(caller));
    return { ...api, token, user };
  }

  whoAmI(caller: Identity): WhoAmI {
    if (caller.kind !== 'user') return { kind: caller.kind, name: caller.kind === 'node' ? caller.name : 'system:controller' };
    const u = this.deps.users.get(caller.name);
    return { kind: 'user', name: caller.name, ...(u ? { role: u.role, ...(u.namespace ? { namespace: u.namespace } : {}) } : {}) };
  }

  private kubeApi(): { server: string; ca: string } {
    const server = this.deps.kubeApiUrl();
    if (!server) throw unavailable('this controller does not serve the Kubernetes API (see --kube-api-listen)');
    return { server, ca: this.deps.ca.certificate };
  }

  private authorize(caller: Identity, verb: Verb, resource: 'tokens' | 'users'): void {
    this.deps.authorizer.check(caller, { verb, resource, namespaced: false });
  }
}
