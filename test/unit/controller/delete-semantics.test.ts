import assert from 'node:assert/strict';
import type { KObject, Pod } from '../../../common/api/types';
import { planDelete, removeAfterUpdate, DEFAULT_POD_GRACE_SECONDS } from '../../../controller/store/semantics';

const NOW = '2026-11-29T12:00:00Z';

function pod(patch: { nodeName?: string; phase?: string; grace?: number; finalizers?: string[]; deletion?: { at: string; grace: number } } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      namespace: 'default',
      resourceVersion: '7',
      ...(patch.finalizers ? { finalizers: patch.finalizers } : {}),
      ...(patch.deletion ? { deletionTimestamp: patch.deletion.at, deletionGracePeriodSeconds: patch.deletion.grace } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'busybox' }], nodeName: patch.nodeName, terminationGracePeriodSeconds: patch.grace },
    status: patch.phase ? { phase: patch.phase as 'Running' } : undefined,
  } as Pod;
}

const configMap = (finalizers?: string[], deletionTimestamp?: string): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cm', namespace: 'default', finalizers, deletionTimestamp },
});

describe('graceful deletion (planDelete)', () => {
  const cases: { name: string; obj: KObject; opts?: Parameters<typeof planDelete>[1]; expect: 'remove' | 'unchanged' | { deletionTimestamp: string; grace?: number } }[] = [
    { name: 'a running pod is marked with its own grace', obj: pod({ nodeName: 'n1', phase: 'Running', grace: 12 }), expect: { deletionTimestamp: NOW, grace: 12 } },
    { name: 'a pod without a grace gets the default', obj: pod({ nodeName: 'n1', phase: 'Running' }), expect: { deletionTimestamp: NOW, grace: DEFAULT_POD_GRACE_SECONDS } },
    { name: 'the delete may name the grace', obj: pod({ nodeName: 'n1', grace: 12 }), opts: { gracePeriodSeconds: 3 }, expect: { deletionTimestamp: NOW, grace: 3 } },
    { name: 'grace 0 removes at once', obj: pod({ nodeName: 'n1', phase: 'Running' }), opts: { gracePeriodSeconds: 0 }, expect: 'remove' },
    { name: 'a negative grace means the pod\'s own', obj: pod({ nodeName: 'n1', grace: 5 }), opts: { gracePeriodSeconds: -1 }, expect: { deletionTimestamp: NOW, grace: 5 } },
    { name: 'an unbound pod runs nowhere: removed at once', obj: pod(), expect: 'remove' },
    { name: 'a finished pod is removed at once', obj: pod({ nodeName: 'n1', phase: 'Succeeded' }), expect: 'remove' },
    { name: 'finalize removes a marked pod', obj: pod({ nodeName: 'n1', deletion: { at: NOW, grace: 30 } }), opts: { finalize: true }, expect: 'remove' },
    { name: 'a second delete of a marked pod changes nothing', obj: pod({ nodeName: 'n1', deletion: { at: '2026-11-29T11:00:00Z', grace: 30 } }), expect: 'unchanged' },
    { name: 'a second delete may shorten the grace', obj: pod({ nodeName: 'n1', deletion: { at: '2026-11-29T11:00:00Z', grace: 30 } }), opts: { gracePeriodSeconds: 2 }, expect: { deletionTimestamp: '2026-11-29T11:00:00Z', grace: 2 } },
    { name: 'finalizers hold even a finalized pod', obj: pod({ nodeName: 'n1', finalizers: ['x/y'], deletion: { at: NOW, grace: 30 } }), opts: { finalize: true }, expect: 'unchanged' },
    { name: 'finalizers hold an unbound pod', obj: pod({ finalizers: ['x/y'] }), expect: { deletionTimestamp: NOW, grace: DEFAULT_POD_GRACE_SECONDS } },
    { name: 'a plain object goes at once', obj: configMap(), expect: 'remove' },
    { name: 'an object with finalizers is marked', obj: configMap(['example.com/keep']), expect: { deletionTimestamp: NOW } },
    {
      name: 'a namespace waits for its contents',
      obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
      expect: { deletionTimestamp: NOW },
    },
    { name: 'a namespace is removed when finalized', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', deletionTimestamp: NOW } }, opts: { finalize: true }, expect: 'remove' },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const plan = planDelete(c.obj, c.opts ?? {}, NOW);
      if (c.expect === 'remove') return assert.deepEqual(plan, { remove: true });
      assert.equal(plan.remove, false);
      if (plan.remove) return;
      if (c.expect === 'unchanged') return assert.equal(plan.changed, false);
      assert.equal(plan.changed, true);
      assert.equal(plan.object.metadata.deletionTimestamp, c.expect.deletionTimestamp);
      assert.equal(plan.object.metadata.deletionGracePeriodSeconds, c.expect.grace);
      assert.equal(plan.object.metadata.resourceVersion, c.obj.metadata.resourceVersion, 'the write is guarded by the revision read');
    });
  }

  it('an update that removes the last finalizer of a marked object removes it, unless the kind waits for the system', () => {
    assert.equal(removeAfterUpdate(configMap([], NOW)), true);
    assert.equal(removeAfterUpdate(configMap(['a/b'], NOW)), false);
    assert.equal(removeAfterUpdate(configMap([])), false, 'not marked');
    assert.equal(removeAfterUpdate(pod({ nodeName: 'n1', deletion: { at: NOW, grace: 1 } })), false, 'a pod waits for its agent or the pod GC');
  });
});
