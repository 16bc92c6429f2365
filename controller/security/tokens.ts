// Join tokens, as kubeadm's bootstrap tokens: "ID.SECRET" (6 and 16 characters of [a-z0-9]). etcd
// keeps the ID, a SHA-256 of the secret, the description and the expiry; the token itself is
// shown once, when created, and never stored, listed or logged.
import { timingSafeEqual } from 'node:crypto';
import { randomTokenText, sha256 } from './token-secrets';
import type { Etcd3 } from 'etcd3';
import { invalid, notFound, unauthenticated } from '../../common/errors';
import { systemClock, type Clock } from '../../common/clock';
import type { KeyLayout } from '../store/keys';

export interface TokenRecord {
  id: string;
  description: string;
  /** RFC 3339; absent: never expires. */
  expires?: string;
  created: string;
  secretSha256: string;
}

/** What `kite token list` shows. */
export type TokenInfo = Omit<TokenRecord, 'secretSha256'>;

const TOKEN_RE = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;

/** A refusal that says nothing about which part of the token was wrong. */
const INVALID_TOKEN = 'the join token is not valid (unknown, deleted or mistyped); create one with `kite token create`';

export class TokenStore {
  constructor(
    private readonly client: Etcd3,
    private readonly keys: KeyLayout,
    private readonly clock: Clock = systemClock,
  ) {}

  /** A new token; `ttlMs` 0 means it never expires. Returns the token (shown once) and its record. */
  async create(ttlMs: number, description = ''): Promise<{ token: string; info: TokenInfo }> {
    if (!Number.isFinite(ttlMs) || ttlMs < 0) throw invalid('--ttl must be a positive duration, or 0 for a token that never expires');
    if (description.length > 256) throw invalid('--description must be at most 256 characters');
    for (;;) {
      const id = randomTokenText(6);
      const secret = randomTokenText(16);
      const now = this.clock.now();
      const record: TokenRecord = {
        id,
        description,
        created: new Date(now).toISOString(),
        ...(ttlMs > 0 ? { expires: new Date(now + ttlMs).toISOString() } : {}),
        secretSha256: sha256(secret).toString('hex'),
      };
      const key = this.keys.tokens + id;
      const res = await this.client.if(key, 'Create', '==', 0).then(this.client.put(key).value(JSON.stringify(record))).commit();
      if (!res.succeeded) continue; // an ID collision: draw again
      const { secretSha256: _s, ...info } = record;
      return { token: `${id}.${secret}`, info };
    }
  }

  /** Every token that has not expired (expired ones are removed on the way). */
  async list(): Promise<TokenInfo[]> {
    const all = await this.client.getAll().prefix(this.keys.tokens).strings();
    const out: TokenInfo[] = [];
    const expired: string[] = [];
    for (const [key, text] of Object.entries(all)) {
      const r = parseRecord(text);
      if (!r) continue;
      if (this.expired(r)) {
        expired.push(key);
        continue;
      }
      const { secretSha256: _s, ...info } = r;
      out.push(info);
    }
    await Promise.all(expired.map((key) => this.client.delete().key(key)));
    return out.sort((a, b) => a.created.localeCompare(b.created));
  }

  async delete(id: string): Promise<void> {
    if (!/^[a-z0-9]{6}$/.test(id)) throw invalid(`"${id}" is not a token ID (6 characters of a-z, 0-9: the part before the dot)`);
    const res = await this.client.delete().key(this.keys.tokens + id).exec();
    if (Number(res.deleted) === 0) throw notFound(`token "${id}" not found`);
  }

  /** Checks a presented token: its ID exists, the secret matches, it has not expired. */
  async authenticate(token: string): Promise<TokenInfo> {
    const m = TOKEN_RE.exec(token);
    if (!m) throw unauthenticated('the join token is malformed (expected ID.SECRET, as printed by `kite token create`)');
    const text = await this.client.get(this.keys.tokens + m[1]).string();
    const record = text === null ? undefined : parseRecord(text);
    const presented = sha256(m[2]!);
    if (!record || !timingSafeEqual(presented, Buffer.from(record.secretSha256, 'hex'))) throw unauthenticated(INVALID_TOKEN);
    if (this.expired(record)) throw unauthenticated(`the join token ${record.id} expired at ${record.expires}; create a new one with \`kite token create\``);
    const { secretSha256: _s, ...info } = record;
    return info;
  }

  private expired(r: TokenRecord): boolean {
    return r.expires !== undefined && Date.parse(r.expires) <= this.clock.now();
  }
}

function parseRecord(text: string): TokenRecord | undefined {
  try {
    const r = JSON.parse(text) as TokenRecord;
    return typeof r.id === 'string' && typeof r.secretSha256 === 'string' && r.secretSha256.length === 64 ? r : undefined;
  } catch {
    return undefined;
  }
}
