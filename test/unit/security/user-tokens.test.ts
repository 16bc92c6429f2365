// User API tokens without etcd: minting, the in-memory check a bearer header goes through, expiry,
// and a deleted user's token meeting the authorizer.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { isKiteError } from '../../../common/errors';
import { Authorizer } from '../../../controller/security/authorize';
import type { UserRecord } from '../../../controller/security/users';
import {
  bearerToken,
  identityOfBearer,
  mintUserToken,
  MAX_USER_TOKEN_TTL_MS,
  parseUserToken,
  parseUserTokenRecord,
  UserTokenIndex,
} from '../../../controller/security/user-tokens';

const NOW = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

/** An index holding one freshly minted token for `user`. */
function indexWith(user: string, ttlMs: number) {
  const index = new UserTokenIndex();
  const { token, record } = mintUserToken(user, ttlMs, 'user "admin"', NOW);
  index.put(record);
  return { index, token, record };
}

describe('user API tokens', () => {
  describe('minting', () => {
    it('makes kite-ID.SECRET and a record holding only the SHA-256 of the secret', () => {
      const { token, record } = mintUserToken('bob', 24 * HOUR, 'user "admin"', NOW);
      const parts = parseUserToken(token);
      assert.ok(parts, token);
      assert.match(token, /^kite-[a-z0-9]{8}\.[a-z0-9]{32}$/);
      assert.equal(record.id, parts.id);
      assert.equal(record.secretSha256, createHash('sha256').update(parts.secret).digest('hex'));
      assert.ok(!JSON.stringify(record).includes(parts.secret), 'the record holds the secret');
      assert.deepEqual(
        { user: record.user, createdBy: record.createdBy, created: record.created, expires: record.expires },
        { user: 'bob', createdBy: 'user "admin"', created: '2026-01-01T00:00:00.000Z', expires: '2026-01-02T00:00:00.000Z' },
      );
    });

    it('ttl 0 never expires; no expires field', () => {
      assert.equal(mintUserToken('bob', 0, 'x', NOW).record.expires, undefined);
    });

    it('two tokens never share an ID or secret', () => {
      const a = mintUserToken('bob', HOUR, 'x', NOW).token;
      const b = mintUserToken('bob', HOUR, 'x', NOW).token;
      assert.notEqual(parseUserToken(a)!.id, parseUserToken(b)!.id);
      assert.notEqual(parseUserToken(a)!.secret, parseUserToken(b)!.secret);
    });

    for (const ttl of [-1, Number.NaN, Number.POSITIVE_INFINITY, MAX_USER_TOKEN_TTL_MS + 1]) {
      it(`refuses ttl ${ttl} as Invalid`, () => {
        assert.throws(() => mintUserToken('bob', ttl, 'x', NOW), (e: unknown) => isKiteError(e, 'Invalid') && /--ttl/.test(e.message));
      });
    }

    it('a stored record parses back; damaged ones do not', () => {
      const { record } = mintUserToken('bob', HOUR, 'x', NOW);
      assert.deepEqual(parseUserTokenRecord(JSON.stringify(record)), record);
      const damaged: [string, unknown][] = [
        ['not JSON', '{'],
        ['no user', { ...record, user: '' }],
        ['short hash', { ...record, secretSha256: 'ab' }],
        ['bad id', { ...record, id: 'UPPER123' }],
        ['bad expiry', { ...record, expires: 'soon' }],
      ];
      for (const [what, value] of damaged) {
        assert.equal(parseUserTokenRecord(typeof value === 'string' ? value : JSON.stringify(value)), undefined, what);
      }
    });
  });

  describe('authenticating', () => {
    it('the token authenticates to its user', () => {
      const { index, token } = indexWith('bob', HOUR);
      assert.equal(index.authenticate(token, NOW), 'bob');
    });

    it('a wrong secret, an unknown ID and malformed tokens do not', () => {
      const { index, token, record } = indexWith('bob', HOUR);
      const secret = parseUserToken(token)!.secret;
      const wrongSecret = `kite-${record.id}.${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
      const unknownId = `kite-${record.id === 'aaaaaaaa' ? 'bbbbbbbb' : 'aaaaaaaa'}.${secret}`;
      for (const t of [wrongSecret, unknownId, `${record.id}.${secret}`, token.toUpperCase(), `${token} `, '', 'kite-.']) {
        assert.equal(index.authenticate(t, NOW), undefined, t);
      }
    });

    it('expires at its expiry, not before', () => {
      const { index, token } = indexWith('bob', HOUR);
      assert.equal(index.authenticate(token, NOW + HOUR - 1), 'bob');
      assert.equal(index.authenticate(token, NOW + HOUR), undefined);
      assert.deepEqual(index.expired(NOW + HOUR - 1), []);
      assert.equal(index.expired(NOW + HOUR).length, 1);
    });

    it('a removed token (deleted in etcd, seen by the watch) no longer authenticates', () => {
      const { index, token, record } = indexWith('bob', 0);
      index.remove(record.id);
      assert.equal(index.authenticate(token, NOW), undefined);
      assert.equal(index.size, 0);
    });
  });

  describe('the Authorization header', () => {
    const cases: [string | undefined, string | undefined][] = [
      [undefined, undefined],
      ['', undefined],
      ['Bearer abc', 'abc'],
      ['bearer abc', 'abc'],
      ['BEARER  abc ', 'abc'],
      ['Basic YWRtaW46eA==', undefined],
      ['Bearer', undefined],
      ['Bearer a b', undefined],
    ];
    for (const [header, token] of cases) {
      it(`${JSON.stringify(header)} -> ${JSON.stringify(token)}`, () => assert.equal(bearerToken(header), token));
    }

    it('names the user of a known token; undefined for an unknown one or no header', () => {
      const { index, token } = indexWith('bob', HOUR);
      const authenticate = (t: string) => index.authenticate(t, NOW);
      assert.deepEqual(identityOfBearer(`Bearer ${token}`, authenticate), { kind: 'user', name: 'bob' });
      // Another last character (the token's own might be an x).
      assert.equal(identityOfBearer(`Bearer ${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}`, authenticate), undefined);
      assert.equal(identityOfBearer(undefined, authenticate), undefined);
      assert.equal(identityOfBearer(`Basic ${token}`, authenticate), undefined);
    });

    it("a deleted user's token still names the user, and the authorizer refuses it as Unauthenticated", () => {
      const users = new Map<string, UserRecord>([['bob', { name: 'bob', role: 'edit', created: '2026-01-01T00:00:00Z' }]]);
      const authz = new Authorizer({ get: (n) => users.get(n) });
      const { index, token } = indexWith('bob', HOUR);
      const caller = identityOfBearer(`Bearer ${token}`, (t) => index.authenticate(t, NOW))!;
      const access = { verb: 'list', resource: 'pods', namespaced: true, namespace: 'default' } as const;
      authz.check(caller, access);
      users.delete('bob');
      assert.throws(() => authz.check(caller, access), (e: unknown) => isKiteError(e, 'Unauthenticated') && /user "bob" has no account/.test(e.message));
    });
  });
});
