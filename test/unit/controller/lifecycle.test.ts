import { strict as assert } from 'node:assert';
import { tolerationSecondsFor } from '../../../controller/nodes/lifecycle';

describe('eviction from an unreachable node', () => {
  const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' as const };

  it('evicts at once without a matching toleration', () => {
    assert.equal(tolerationSecondsFor(taint, undefined), 0);
    assert.equal(tolerationSecondsFor(taint, [{ key: 'other', operator: 'Exists' }]), 0);
  });

  it('waits tolerationSeconds when a toleration matches, forever without a limit', () => {
    assert.equal(tolerationSecondsFor(taint, [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]), 30);
    assert.equal(tolerationSecondsFor(taint, [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }]), Infinity);
    assert.equal(tolerationSecondsFor(taint, [{ operator: 'Exists' }]), Infinity);
  });

  it('ignores a toleration for another effect', () => {
    assert.equal(tolerationSecondsFor(taint, [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }]), 0);
  });
});
