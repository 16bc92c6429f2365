import { strict as assert } from 'node:assert';
import { Authorizer, type Access } from '../../../controller/security/authorize';
import type { UserRecord } from '../../../controller/security/users';
import { isKiteError } from '../../../common/errors';
import type { Identity } from '../../../common/pki/identity';

const users = new Map<string, UserRecord>(
  (
    [
      { name: 'root', role: 'admin' },
      { name: 'dev', role: 'edit' },
      { name: 'ro', role: 'view' },
      { name: 'team-admin', role: 'admin', namespace: 'team' },
      { name: 'team-dev', role: 'edit', namespace: 'team' },
      { name: 'team-ro', role: 'view', namespace: 'team' },
    ] as const
  ).map((u) => [u.name, { ...u, created: '2026-01-01T00:00:00Z' }]),
);
const authz = new Authorizer({ get: (n) => users.get(n) });

const user = (name: string): Identity => ({ kind: 'user', name });
const ns = (verb: Access['verb'], resource: string, namespace?: string): Access => ({ verb, resource, namespaced: true, ...(namespace !== undefined ? { namespace } : {}) });
const cluster = (verb: Access['verb'], resource: string): Access => ({ verb, resource, namespaced: false });

function allowed(who: Identity, a: Access): boolean {
  try {
    authz.check(who, a);
    return true;
  } catch (e) {
    assert.ok(isKiteError(e, 'Forbidden') || isKiteError(e, 'Unauthenticated'), String(e));
    return false;
  }
}

describe('authorization', () => {
  const cases: [string, Identity, Access, boolean][] = [
    ['admin deletes nodes', user('root'), cluster('delete', 'nodes'), true],
    ['admin creates tokens', user('root'), cluster('create', 'tokens'), true],
    ['edit applies deployments anywhere', user('dev'), ns('create', 'deployments', 'default'), true],
    ['edit reads secrets', user('dev'), ns('get', 'secrets', 'default'), true],
    ['edit execs', user('dev'), ns('exec', 'pods', 'default'), true],
    ['edit forwards ports', user('dev'), ns('portforward', 'pods', 'default'), true],
    ['edit lists nodes', user('dev'), cluster('list', 'nodes'), true],
    ['edit cannot cordon a node', user('dev'), cluster('update', 'nodes'), false],
    ['edit cannot create namespaces', user('dev'), cluster('create', 'namespaces'), false],
    ['edit cannot create tokens', user('dev'), cluster('create', 'tokens'), false],
    ['edit cannot create users', user('dev'), cluster('create', 'users'), false],
    ['view lists pods in all namespaces', user('ro'), ns('list', 'pods'), true],
    ['view reads logs', user('ro'), ns('logs', 'pods', 'default'), true],
    ['view cannot read secrets', user('ro'), ns('get', 'secrets', 'default'), false],
    ['view cannot list secrets', user('ro'), ns('list', 'secrets'), false],
    ['view cannot watch secrets', user('ro'), ns('watch', 'secrets', 'default'), false],
    ['view cannot apply', user('ro'), ns('create', 'configmaps', 'default'), false],
    ['view cannot exec', user('ro'), ns('exec', 'pods', 'default'), false],
    ['view cannot forward ports', user('ro'), ns('portforward', 'pods', 'default'), false],
    ['view cannot delete', user('ro'), ns('delete', 'pods', 'default'), false],
    ['namespaced admin manages its namespace', user('team-admin'), ns('delete', 'secrets', 'team'), true],
    ['namespaced admin is not a cluster admin', user('team-admin'), cluster('create', 'tokens'), false],
    ['namespaced admin cannot touch nodes', user('team-admin'), cluster('get', 'nodes'), false],
    ['namespaced edit writes in its namespace', user('team-dev'), ns('update', 'deployments', 'team'), true],
    ['namespaced edit cannot write elsewhere', user('team-dev'), ns('update', 'deployments', 'default'), false],
    ['namespaced view cannot list all namespaces', user('team-ro'), ns('list', 'pods'), false],
    ['namespaced view reads its namespace', user('team-ro'), ns('list', 'pods', 'team'), true],
    ['a node cannot use the user API', { kind: 'node', name: 'n1' }, ns('get', 'pods', 'default'), false],
    ['a user without an account is refused', user('ghost'), ns('get', 'pods', 'default'), false],
    ['the controller may', { kind: 'controller' }, cluster('delete', 'nodes'), true],
  ];
  for (const [what, who, access, expected] of cases) {
    it(what, () => assert.equal(allowed(who, access), expected));
  }

  it('names the user, its role, the verb, the resource and the namespace when it refuses', () => {
    assert.throws(
      () => authz.check(user('ro'), ns('create', 'deployments', 'default')),
      (e: unknown) => isKiteError(e, 'Forbidden') && e.message === 'user "ro" (role view) cannot create deployments in namespace "default"',
    );
    assert.throws(
      () => authz.check(user('team-dev'), ns('list', 'pods')),
      (e: unknown) => isKiteError(e, 'Forbidden') && e.message === 'user "team-dev" (role edit in namespace "team") cannot list pods in all namespaces',
    );
  });

  it('answers Unauthenticated, not Forbidden, for a user whose account was deleted', () => {
    assert.throws(() => authz.check(user('ghost'), ns('get', 'pods', 'default')), (e: unknown) => isKiteError(e, 'Unauthenticated') && /ghost/.test(e.message));
  });
});
