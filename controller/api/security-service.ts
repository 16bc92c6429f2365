// The security API, transport-neutral like ApiService: join tokens, users and "who am I". Only
// cluster admins manage tokens and users (resources "tokens" and "users" in the authorizer).
import { forbidden } from '../../common/errors';
import { readCertificateRequest } from '../../common/pki/certs';
import { describeIdentity, type Identity } from '../../common/pki/identity';
import type { Authorizer, Verb } from '../security/authorize';
import type { ClusterCa } from '../security/cluster-ca';
import type { TokenInfo, TokenStore } from '../security/tokens';
import type { UserRecord, UserStore } from '../security/users';

export interface SecurityServiceDeps {
  tokens: TokenStore;
  users: UserStore;
  ca: ClusterCa;
  authorizer: Pick<Authorizer, 'check'>;
  /** How long a user's certificate is valid. */
  userCertValidityMs: number;
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

  async deleteUser(caller: Identity, name: string): Promise<void> {
    this.authorize(caller, 'delete', 'users');
    await this.deps.users.delete(name);
  }

  whoAmI(caller: Identity): WhoAmI {
    if (caller.kind !== 'user') return { kind: caller.kind, name: caller.kind === 'node' ? caller.name : 'system:controller' };
    const u = this.deps.users.get(caller.name);
    return { kind: 'user', name: caller.name, ...(u ? { role: u.role, ...(u.namespace ? { namespace: u.namespace } : {}) } : {}) };
  }

  private authorize(caller: Identity, verb: Verb, resource: 'tokens' | 'users'): void {
    this.deps.authorizer.check(caller, { verb, resource, namespaced: false });
  }
}
