// SecurityService.createKubeconfig and deleteUser with in-memory stand-ins: who gets what, who may
// mint a token for another user, and a deleted user's tokens going with it.
import { strict as assert } from 'node:assert';
import { isKiteError, notFound, type ErrorCode } from '../../../common/errors';
import type { Identity } from '../../../common/pki/identity';
import { SecurityService, type SecurityServiceDeps } from '../../../controller/api/security-service';
import { Authorizer } from '../../../controller/security/authorize';
import type { ClusterCa } from '../../../controller/security/cluster-ca';
import type { TokenStore } from '../../../controller/security/tokens';
import { DEFAULT_USER_TOKEN_TTL_MS } from '../../../controller/security/user-tokens';
import type { UserRecord, UserStore } from '../../../controller/security/users';

const CA = '-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n';
const URL = 'https://127.0.0.1:6443';
const user = (name: string): Identity => ({ kind: 'user', name });

function setup(kubeApiUrl = URL) {
  const users = new Map<string, UserRecord>(
    (
      [
        { name: 'admin', role: 'admin' },
        { name: 'bob', role: 'view' },
        { name: 'dev', role: 'edit' },
        { name: 'team-admin', role: 'admin', namespace: 'team' },
      ] as const
    ).map((u) => [u.name, { ...u, created: '2026-01-01T00:00:00Z' }]),
  );
  const created: { user: string; ttlMs: number; createdBy: string }[] = [];
  const calls: string[] = [];
  const userStore = {
    get: (n: string) => users.get(n),
    delete: async (n: string) => {
      calls.push(`users.delete ${n}`);
      if (!users.delete(n)) throw notFound(`user "${n}" not found`);
    },
  };
  const deps: SecurityServiceDeps = {
    tokens: {} as TokenStore,
    users: userStore as unknown as UserStore,
    ca: { certificate: CA } as ClusterCa,
    authorizer: new Authorizer(userStore),
    userCertValidityMs: 1000,
    userTokens: {
      create: async (u, ttlMs, createdBy) => {
        created.push({ user: u, ttlMs, createdBy });
        return { token: `kite-aaaaaaaa.${'s'.repeat(32)}`, info: { id: 'aaaaaaaa', user: u, createdBy, created: '' } };
      },
      deleteForUser: async (u) => {
        calls.push(`tokens.deleteForUser ${u}`);
        return 0;
      },
    },
    kubeApiUrl: () => kubeApiUrl,
  };
  return { service: new SecurityService(deps), users, created, calls };
}

function rejectsWith(code: ErrorCode, pattern: RegExp) {
  return (e: unknown) => isKiteError(e, code) && pattern.test(e.message);
}

describe('CreateKubeconfig', () => {
  it('for the caller itself: the API URL and CA, no token', async () => {
    const { service, created } = setup();
    for (const [name, asked] of [
      ['bob', undefined],
      ['bob', 'bob'],
      ['admin', ''],
    ] as const) {
      assert.deepEqual(await service.createKubeconfig(user(name), asked, 0), { server: URL, ca: CA, user: name });
    }
    assert.deepEqual(await service.createKubeconfig({ kind: 'controller' }, undefined, 0), { server: URL, ca: CA, user: '' });
    assert.deepEqual(created, []);
  });

  it('an admin gets a token for another user: default TTL for 0, the given one otherwise', async () => {
    const { service, created } = setup();
    const k = await service.createKubeconfig(user('admin'), 'bob', 0);
    assert.deepEqual(k, { server: URL, ca: CA, token: `kite-aaaaaaaa.${'s'.repeat(32)}`, user: 'bob' });
    await service.createKubeconfig(user('admin'), 'dev', 3_600_000);
    assert.deepEqual(created, [
      { user: 'bob', ttlMs: DEFAULT_USER_TOKEN_TTL_MS, createdBy: 'user "admin"' },
      { user: 'dev', ttlMs: 3_600_000, createdBy: 'user "admin"' },
    ]);
  });

  const refusals: [string, Identity, string | undefined, ErrorCode, RegExp][] = [
    ['a view user for another user', user('bob'), 'dev', 'Forbidden', /user "bob" \(role view\) cannot create users/],
    ['an edit user for another user', user('dev'), 'bob', 'Forbidden', /cannot create users/],
    ['a namespace admin for another user', user('team-admin'), 'bob', 'Forbidden', /cannot create users/],
    ['an admin for a user that does not exist', user('admin'), 'ghost', 'NotFound', /user "ghost" not found/],
    ['a node, even for itself', { kind: 'node', name: 'n1' }, undefined, 'Forbidden', /node "n1" cannot get a kubeconfig/],
    ['a deleted user for itself', user('gone'), undefined, 'Unauthenticated', /user "gone" has no account/],
  ];
  for (const [what, caller, asked, code, pattern] of refusals) {
    it(`refuses ${what} (${code}), minting nothing`, async () => {
      const { service, created } = setup();
      await assert.rejects(service.createKubeconfig(caller, asked, 0), rejectsWith(code, pattern));
      assert.deepEqual(created, []);
    });
  }

  it('answers Unavailable when the controller serves no Kubernetes API, before minting', async () => {
    const { service, created } = setup('');
    await assert.rejects(service.createKubeconfig(user('admin'), undefined, 0), rejectsWith('Unavailable', /does not serve the Kubernetes API/));
    await assert.rejects(service.createKubeconfig(user('admin'), 'bob', 0), rejectsWith('Unavailable', /does not serve the Kubernetes API/));
    assert.deepEqual(created, []);
  });
});

describe('deleting a user deletes its tokens', () => {
  it('tokens before the user (a failure leaves none behind) and once more after', async () => {
    const { service, calls } = setup();
    await service.deleteUser(user('admin'), 'bob');
    assert.deepEqual(calls, ['tokens.deleteForUser bob', 'users.delete bob', 'tokens.deleteForUser bob']);
  });

  it('a non-admin deletes nothing', async () => {
    const { service, calls } = setup();
    await assert.rejects(service.deleteUser(user('dev'), 'bob'), rejectsWith('Forbidden', /cannot delete users/));
    assert.deepEqual(calls, []);
  });
});
