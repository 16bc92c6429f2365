import assert from 'node:assert/strict';
import { formatLabels, formatSelector, nodeRoles } from '../../../common/print/labels';

describe('formatLabels', () => {
  it('joins labels sorted by key, or says <none>', () => {
    assert.equal(formatLabels({ tier: 'fe', app: 'web' }), 'app=web,tier=fe');
    assert.equal(formatLabels({}), '<none>');
    assert.equal(formatLabels(undefined), '<none>');
  });
});

describe('formatSelector', () => {
  it('prints labels and expressions sorted by key, as kubectl', () => {
    assert.equal(
      formatSelector({
        matchLabels: { tier: 'fe', app: 'web' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'canary'] },
          { key: 'zone', operator: 'NotIn', values: ['b'] },
          { key: 'gpu', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
      'app=web,env in (canary,prod),gpu,!legacy,tier=fe,zone notin (b)',
    );
  });

  it('is empty for a selector that matches everything', () => {
    assert.equal(formatSelector({}), '');
  });
});

describe('nodeRoles', () => {
  it('reads node-role.kubernetes.io/<role> and kubernetes.io/role labels', () => {
    assert.deepEqual(nodeRoles({ 'node-role.kubernetes.io/worker': '', 'kubernetes.io/role': 'edge', 'node-role.kubernetes.io/': 'x', other: 'y' }), ['edge', 'worker']);
    assert.deepEqual(nodeRoles(undefined), []);
  });
});
