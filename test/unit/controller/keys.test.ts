import { strict as assert } from 'node:assert';
import { KeyLayout } from '../../../controller/store/keys';
import { isKiteError } from '../../../common/errors';

describe('etcd key layout', () => {
  const keys = new KeyLayout('/kite');

  it('puts namespaced objects under plural/namespace/name and cluster objects under plural/name', () => {
    assert.equal(keys.object('Deployment', 'prod', 'web'), '/kite/registry/deployments/prod/web');
    assert.equal(keys.object('Node', '', 'node-1'), '/kite/registry/nodes/node-1');
    assert.equal(keys.kindPrefix('Pod', 'prod'), '/kite/registry/pods/prod/');
    assert.equal(keys.kindPrefix('Pod'), '/kite/registry/pods/');
  });

  it('keeps one namespace from matching the prefix of another', () => {
    assert.ok(!keys.object('Pod', 'prod-2', 'x').startsWith(keys.kindPrefix('Pod', 'prod')));
  });

  it('parses keys back, and ignores keys outside the registry or of unknown kinds', () => {
    assert.deepEqual(keys.parse('/kite/registry/pods/prod/web-1'), { kind: 'Pod', namespace: 'prod', name: 'web-1' });
    assert.deepEqual(keys.parse('/kite/registry/nodes/n1'), { kind: 'Node', namespace: '', name: 'n1' });
    assert.equal(keys.parse('/kite/leases/nodes/n1'), undefined);
    assert.equal(keys.parse('/kite/registry/widgets/a/b'), undefined);
    assert.equal(keys.parse('/kite/registry/pods/only-one-part'), undefined);
  });

  it('separates clusters that share an etcd by prefix', () => {
    assert.notEqual(new KeyLayout('/a').object('Pod', 'd', 'p'), new KeyLayout('/b').object('Pod', 'd', 'p'));
  });

  it('refuses unknown kinds', () => {
    assert.throws(() => keys.object('Widget', 'd', 'x'), (e: unknown) => isKiteError(e, 'Invalid'));
  });
});
