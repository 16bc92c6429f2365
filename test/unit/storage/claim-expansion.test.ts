import assert from 'node:assert/strict';
import type { PersistentVolumeClaim, StorageClass } from '../../../common/api/types';
import { FakeClock } from '../../../common/clock';
import { PLAIN_WRITES } from '../../../controller/api/write-hooks';
import { EXPANSION_FORBIDDEN, withClaimExpansionCheck } from '../../../controller/storage/claim-expansion';
import { MemoryStore } from '../../../controller/store/memory-store';
import { claim } from './harness';

const sc = (name: string, allowVolumeExpansion?: boolean): StorageClass => ({
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner: 'rancher.io/local-path', ...(allowVolumeExpansion !== undefined ? { allowVolumeExpansion } : {}),
});
const grown = (pvc: PersistentVolumeClaim, storage: string): PersistentVolumeClaim => ({ ...pvc, spec: { ...pvc.spec, resources: { requests: { storage } } } });

describe('claim expansion (PersistentVolumeClaimResize)', () => {
  const store = new MemoryStore({ clock: new FakeClock() });
  const hooks = withClaimExpansionCheck(PLAIN_WRITES, store);
  before(async () => {
    await store.create(sc('growable', true));
    await store.create(sc('fixed'));
  });

  it('lets a claim grow only when its class allows volume expansion', async () => {
    const growable = claim('a', { storageClassName: 'growable' });
    assert.deepEqual(await hooks.check(growable, grown(growable, '2Gi')), []);
    const fixed = claim('b', { storageClassName: 'fixed' });
    assert.deepEqual(await hooks.check(fixed, grown(fixed, '2Gi')), [EXPANSION_FORBIDDEN]);
    const missing = claim('c', { storageClassName: 'gone' });
    assert.deepEqual(await hooks.check(missing, grown(missing, '2Gi')), [EXPANSION_FORBIDDEN]);
  });

  it('leaves creates, unchanged sizes and other kinds alone', async () => {
    const fixed = claim('b', { storageClassName: 'fixed' });
    assert.deepEqual(await hooks.check(undefined, fixed), []);
    assert.deepEqual(await hooks.check(fixed, { ...fixed, metadata: { ...fixed.metadata, labels: { a: 'b' } } }), []);
    assert.deepEqual(await hooks.check(sc('x'), sc('x', true)), []);
  });
});
