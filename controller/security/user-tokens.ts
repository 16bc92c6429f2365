// User API tokens: what a kubeconfig's `token:` carries to the controller's Kubernetes API
// (`Authorization: Bearer kite-ID.SECRET`). They are the bearer form of a user's certificate: the
// token names a user, and that user's role decides what it may do, looked up on every call, so
// deleting the user refuses its tokens at once (and deletes them).
//
// Like join tokens (tokens.ts), etcd keeps only the ID, a SHA-256 of the secret, the user, who made
// it and when it expires; the token itself is shown once. The secret is 32 random characters
// (~165 bits), so a plain SHA-256 is enough: there is nothing to brute-force that a slow hash would
// protect. Every record is watched into memory (as UserStore does), so authenticating a request
// is a map lookup and a constant-time compare, with no etcd round trip.
import { timingSafeEqual } from 'node:crypto';
import { randomTokenText, sha256 } from './token-secrets';
import type { Etcd3, Watcher } from 'etcd3';
import { invalid } from '../../common/errors';
import { systemClock, type Clock } from '../../common/clock';
import type { Logger } from '../../common/log';
import type { Identity } from '../../common/pki/identity';
import type { KeyLayout } from '../store/keys';

export interface UserTokenRecord {
  id: string;
  /** The user the token acts as. */
  user: string;
  /** Who asked for it (for whoever reads etcd later): `user "admin"`. */
  createdBy: string;
  created: string;
  /** RFC 3339; absent: never expires. */
  expires?: string;
  secretSha256: string;
}

export type UserTokenInfo = Omit<UserTokenRecord, 'secretSha256'>;

/** `kite kubeconfig --user NAME` without --ttl: one year, as users' certificates. */
export const DEFAULT_USER_TOKEN_TTL_MS = 365 * 24 * 3600_000;
/** No token outlives the cluster CA (10 years). */
export const MAX_USER_TOKEN_TTL_MS = 10 * 365 * 24 * 3600_000;

const ID_LENGTH = 8;
const SECRET_LENGTH = 32;
/** The fixed `kite-` prefix lets secret scanners and people tell a Kite token at a glance. */
const TOKEN_RE = new RegExp(`^kite-([a-z0-9]{${ID_LENGTH}})\\.([a-z0-9]{${SECRET_LENGTH}})$`);
const ID_RE = new RegExp(`^[a-z0-9]{${ID_LENGTH}}$`);

/** `kite-ID.SECRET` split into its parts, or undefined when it is not shaped like one. */
export function parseUserToken(token: string): { id: string; secret: string } | undefined {
  const m = TOKEN_RE.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

/**
 * The token of an `Authorization` header value: "Bearer TOKEN" (the scheme is case-insensitive,
 * RFC 7235). Undefined for no header, another scheme, or an empty token.
 */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return m?.[1];
}

/**
 * The caller an `Authorization` header names through a user token, or undefined (no header, not
 * Bearer, or a token `authenticate` does not know). Whether the user still exists is the
 * authorizer's business, as it is for certificates.
 */
export function identityOfBearer(header: string | undefined, authenticate: (token: string) => string | undefined): Identity | undefined {
  const token = bearerToken(header);
  const user = token === undefined ? undefined : authenticate(token);
  return user === undefined ? undefined : { kind: 'user', name: user };
}

/** A new token for `user`, and the record to store (the secret only as its hash); `ttlMs` 0: never expires. */
export function mintUserToken(user: string, ttlMs: number, createdBy: string, now: number): { token: string; record: UserTokenRecord } {
  if (!Number.isFinite(ttlMs) || ttlMs < 0 || ttlMs > MAX_USER_TOKEN_TTL_MS) {
    throw invalid(`--ttl must be a positive duration of at most ${MAX_USER_TOKEN_TTL_MS / 3600_000}h (the cluster CA's lifetime)`);
  }
  const id = randomTokenText(ID_LENGTH);
  const secret = randomTokenText(SECRET_LENGTH);
  const record: UserTokenRecord = {
    id,
    user,
    createdBy,
    created: new Date(now).toISOString(),
    ...(ttlMs > 0 ? { expires: new Date(now + ttlMs).toISOString() } : {}),
    secretSha256: sha256(secret).toString('hex'),
  };
  return { token: `kite-${id}.${secret}`, record };
}

/** A stored record, or undefined when the text is not one (a foreign or damaged key). */
export function parseUserTokenRecord(text: string): UserTokenRecord | undefined {
  try {
    const r = JSON.parse(text) as Partial<UserTokenRecord>;
    const ok =
      typeof r.id === 'string' &&
      ID_RE.test(r.id) &&
      typeof r.user === 'string' &&
      r.user !== '' &&
      typeof r.secretSha256 === 'string' &&
      /^[0-9a-f]{64}$/.test(r.secretSha256) &&
      (r.expires === undefined || !Number.isNaN(Date.parse(r.expires)));
    return ok ? (r as UserTokenRecord) : undefined;
  } catch {
    return undefined;
  }
}

function isExpired(r: UserTokenRecord, now: number): boolean {
  return r.expires !== undefined && Date.parse(r.expires) <= now;
}

/** The in-memory copy of every user token, and the check of a presented one. No I/O. */
export class UserTokenIndex {
  private readonly byId = new Map<string, { record: UserTokenRecord; hash: Buffer }>();

  put(record: UserTokenRecord): void {
    this.byId.set(record.id, { record, hash: Buffer.from(record.secretSha256, 'hex') });
  }

  remove(id: string): void {
    this.byId.delete(id);
  }

  /** The user a token acts as; undefined when it is malformed, unknown, wrong or expired. */
  authenticate(token: string, now: number): string | undefined {
    const parsed = parseUserToken(token);
    if (!parsed) return undefined;
    const entry = this.byId.get(parsed.id);
    // Always hash and compare, so an unknown ID takes as long as a wrong secret.
    const presented = sha256(parsed.secret);
    const matches = timingSafeEqual(presented, entry?.hash ?? Buffer.alloc(presented.length));
    if (!entry || !matches || isExpired(entry.record, now)) return undefined;
    return entry.record.user;
  }

  /** IDs of the tokens that expired by `now` (to remove from etcd). */
  expired(now: number): string[] {
    return [...this.byId.values()].filter((e) => isExpired(e.record, now)).map((e) => e.record.id);
  }

  get size(): number {
    return this.byId.size;
  }
}

/** User tokens in etcd (`<prefix>/security/user-tokens/ID`), watched into a UserTokenIndex. */
export class UserTokenStore {
  private readonly index = new UserTokenIndex();
  private watcher: Watcher | undefined;

  constructor(
    private readonly client: Etcd3,
    private readonly keys: KeyLayout,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Loads every token and follows changes (tokens made or deleted by any controller). */
  async start(): Promise<void> {
    const prefix = this.keys.userTokens;
    const w = await this.client.watch().prefix(prefix).create();
    w.on('put', (kv) => this.remember(kv.key.toString('utf8'), kv.value.toString('utf8')));
    w.on('delete', (kv) => this.index.remove(kv.key.toString('utf8').slice(prefix.length)));
    w.on('error', (e) => this.log.warn({ component: 'user-tokens', err: String(e) }, 'user tokens watch failed; reconnecting'));
    this.watcher = w;
    const all = await this.client.getAll().prefix(prefix).strings();
    for (const [key, text] of Object.entries(all)) this.remember(key, text);
  }

  async stop(): Promise<void> {
    await this.watcher?.cancel();
  }

  /** The user a presented token acts as, or undefined. Synchronous: from the watched copy. */
  authenticate(token: string): string | undefined {
    return this.index.authenticate(token, this.clock.now());
  }

  /**
   * A new token for `user` (who must exist: the caller checks); `ttlMs` 0: never expires. Returns
   * the token, shown once. Expired tokens are removed on the way, so they do not pile up in etcd.
   */
  async create(user: string, ttlMs: number, createdBy: string): Promise<{ token: string; info: UserTokenInfo }> {
    await this.removeExpired();
    for (;;) {
      const { token, record } = mintUserToken(user, ttlMs, createdBy, this.clock.now());
      const key = this.keys.userTokens + record.id;
      const res = await this.client.if(key, 'Create', '==', 0).then(this.client.put(key).value(JSON.stringify(record))).commit();
      if (!res.succeeded) continue; // an ID collision: draw again
      // Usable on this controller at once, before the watch brings it back.
      this.index.put(record);
      const { secretSha256: _s, ...info } = record;
      this.log.info({ component: 'user-tokens', id: record.id, user, createdBy, expires: record.expires }, 'created a user token');
      return { token, info };
    }
  }

  /**
   * Deletes every token of `user` (read from etcd, not the watched copy, so a token another
   * controller has just made is included). Returns how many.
   */
  async deleteForUser(user: string): Promise<number> {
    const all = await this.client.getAll().prefix(this.keys.userTokens).strings();
    const keys = Object.entries(all)
      .filter(([, text]) => parseUserTokenRecord(text)?.user === user)
      .map(([key]) => key);
    await Promise.all(keys.map((key) => this.client.delete().key(key).exec()));
    for (const key of keys) this.index.remove(key.slice(this.keys.userTokens.length));
    if (keys.length) this.log.info({ component: 'user-tokens', user, count: keys.length }, "deleted the user's tokens");
    return keys.length;
  }

  private async removeExpired(): Promise<void> {
    const ids = this.index.expired(this.clock.now());
    await Promise.all(ids.map((id) => this.client.delete().key(this.keys.userTokens + id).exec()));
    for (const id of ids) this.index.remove(id);
  }

  private remember(key: string, text: string): void {
    const record = parseUserTokenRecord(text);
    // A record must sit under its own ID: one copied to another key would let it be deleted by
    // the wrong ID and never by its own.
    if (record && key === this.keys.userTokens + record.id) this.index.put(record);
    else this.log.warn({ component: 'user-tokens', key }, 'ignoring a malformed user token record in etcd');
  }
}
