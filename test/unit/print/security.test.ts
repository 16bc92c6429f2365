import assert from 'node:assert/strict';
import { tokenTable, userTable, whoAmITable } from '../../../cli/print/security';
import { shortHumanDuration } from '../../../common/print/age';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const HOUR = 3_600_000;

describe('security tables', () => {
  it('shortHumanDuration rounds down to one unit, as kubeadm token list', () => {
    assert.equal(shortHumanDuration(45_000), '45s');
    assert.equal(shortHumanDuration(59 * 60_000 + 59_000), '59m');
    assert.equal(shortHumanDuration(24 * HOUR - 1), '23h');
    assert.equal(shortHumanDuration(24 * HOUR), '1d');
    assert.equal(shortHumanDuration(400 * 24 * HOUR), '1y');
    assert.equal(shortHumanDuration(-500), '0s');
    assert.equal(shortHumanDuration(-5000), '<invalid>');
  });

  it('token list: TTL left, expiry, description; <forever>/<never> without expiry, <expired> after', () => {
    const out = tokenTable(
      [
        { id: 'abc123', description: 'rack 4', expires: new Date(NOW + 24 * HOUR - 5000).toISOString() },
        { id: 'def456', description: '', expires: '' },
        { id: 'ghi789', description: 'old', expires: new Date(NOW - 1000).toISOString() },
      ],
      NOW,
    );
    assert.equal(
      out,
      'TOKEN ID   TTL         EXPIRES                    DESCRIPTION\n' +
        'abc123     23h         2025-03-02T11:59:55.000Z   rack 4\n' +
        'def456     <forever>   <never>                    <none>\n' +
        'ghi789     <expired>   2025-03-01T11:59:59.000Z   old\n',
    );
    assert.equal(tokenTable([], NOW), '');
  });

  it('user list: a cluster-wide role shows <all> namespaces', () => {
    const out = userTable(
      [
        { name: 'admin', role: 'admin', namespace: '', created: new Date(NOW - 3 * HOUR).toISOString() },
        { name: 'bob', role: 'view', namespace: 'team', created: new Date(NOW - 30_000).toISOString() },
      ],
      NOW,
    );
    assert.equal(out, 'NAME    ROLE    NAMESPACE   AGE\nadmin   admin   <all>       3h\nbob     view    team        30s\n');
  });

  it('whoami: users by name, nodes as system:node:NAME, a deleted user without role', () => {
    assert.equal(whoAmITable({ kind: 'user', name: 'bob', role: 'edit', namespace: 'team' }), 'USERNAME   ROLE   NAMESPACE\nbob        edit   team\n');
    assert.match(whoAmITable({ kind: 'user', name: 'root', role: 'admin', namespace: '' }), /^root\s+admin\s+<all>$/m);
    assert.match(whoAmITable({ kind: 'node', name: 'n1', role: '', namespace: '' }), /^system:node:n1\s+<node>\s+<none>$/m);
    assert.match(whoAmITable({ kind: 'user', name: 'gone', role: '', namespace: '' }), /^gone\s+<none>\s+<none>$/m);
  });
});
