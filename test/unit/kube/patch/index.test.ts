// The PATCH entry point: the Content-Type picks the format, an unknown one is refused as the
// HTTP edge's 415, and no format may change which object this is.
import { strict as assert } from 'node:assert';
import type { KObject } from '../../../../common/api/types';
import { isKiteError } from '../../../../common/errors';
import { applyPatch, isApplyPatch, isUnsupportedPatchType, PATCH_CONTENT_TYPES, UnsupportedPatchType } from '../../../../common/kube/patch';

const DEPLOYMENT: KObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }, { name: 'log', image: 'busybox' }] } } },
};
const NODE: KObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {} };

const containersOf = (o: KObject) => (o.spec as { template: { spec: { containers: { name: string; image: string }[] } } }).template.spec.containers;

describe('applyPatch', () => {
  it('takes the three patch formats', () => {
    assert.deepEqual([...PATCH_CONTENT_TYPES].sort(), ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']);
  });

  it('strategic merge patch merges the containers by name', () => {
    const patched = applyPatch('application/strategic-merge-patch+json', 'Deployment', DEPLOYMENT, { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } });
    assert.deepEqual(containersOf(patched), [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }]);
  });

  it('JSON merge patch replaces the containers list whole', () => {
    const patched = applyPatch('application/merge-patch+json', 'Deployment', DEPLOYMENT, { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } });
    assert.deepEqual(containersOf(patched), [{ name: 'web', image: 'nginx:1.27' }]);
  });

  it('JSON patch applies operations', () => {
    const patched = applyPatch('application/json-patch+json', 'Deployment', DEPLOYMENT, [{ op: 'replace', path: '/spec/replicas', value: 4 }]);
    assert.equal((patched.spec as { replicas: number }).replicas, 4);
  });

  it('ignores parameters and case in the Content-Type', () => {
    const patched = applyPatch('Application/Merge-Patch+JSON; charset=utf-8', 'Deployment', DEPLOYMENT, { metadata: { labels: { tier: 'front' } } });
    assert.deepEqual(patched.metadata.labels, { app: 'web', tier: 'front' });
  });

  it('never changes the object it is given', () => {
    const original = structuredClone(DEPLOYMENT);
    applyPatch('application/strategic-merge-patch+json', 'Deployment', original, { metadata: { labels: null }, spec: { replicas: 5 } });
    assert.deepEqual(original, DEPLOYMENT);
  });

  describe('refuses an unsupported Content-Type as 415', () => {
    for (const contentType of ['application/json', 'text/plain', '', 'application/apply-patch+yaml']) {
      it(JSON.stringify(contentType), () => {
        assert.throws(
          () => applyPatch(contentType, 'Deployment', DEPLOYMENT, {}),
          (e: unknown) => e instanceof UnsupportedPatchType && isUnsupportedPatchType(e) && e.unsupportedMediaType && isKiteError(e, 'Invalid') && e.contentType === contentType,
        );
      });
    }
  });

  it('knows server-side apply by its Content-Type', () => {
    assert.equal(isApplyPatch('application/apply-patch+yaml'), true);
    assert.equal(isApplyPatch('application/apply-patch+yaml; charset=utf-8'), true);
    assert.equal(isApplyPatch('application/merge-patch+json'), false);
  });

  describe('refuses a patch that changes which object this is', () => {
    const cases: { name: string; contentType: string; original?: KObject; patch: unknown; field: string }[] = [
      { name: 'kind', contentType: 'application/merge-patch+json', patch: { kind: 'StatefulSet' }, field: 'kind' },
      { name: 'apiVersion', contentType: 'application/strategic-merge-patch+json', patch: { apiVersion: 'apps/v2' }, field: 'apiVersion' },
      { name: 'metadata.name', contentType: 'application/json-patch+json', patch: [{ op: 'replace', path: '/metadata/name', value: 'api' }], field: 'metadata.name' },
      { name: 'metadata.name deleted', contentType: 'application/merge-patch+json', patch: { metadata: { name: null } }, field: 'metadata.name' },
      { name: 'metadata.namespace', contentType: 'application/merge-patch+json', patch: { metadata: { namespace: 'kube-system' } }, field: 'metadata.namespace' },
      { name: 'metadata as a whole', contentType: 'application/strategic-merge-patch+json', patch: { metadata: null }, field: 'metadata.name' },
      { name: 'a namespace given to a cluster-scoped object', contentType: 'application/merge-patch+json', original: NODE, patch: { metadata: { namespace: 'default' } }, field: 'metadata.namespace' },
      { name: 'everything, by $patch: replace', contentType: 'application/strategic-merge-patch+json', patch: { $patch: 'replace', spec: {} }, field: 'kind' },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const original = c.original ?? DEPLOYMENT;
        assert.throws(
          () => applyPatch(c.contentType, original.kind, original, c.patch),
          (e: unknown) => isKiteError(e, 'Invalid') && e.message.includes(`may not change ${c.field}`),
        );
      });
    }

    it('an empty namespace on a cluster-scoped object is no change', () => {
      const patched = applyPatch('application/merge-patch+json', 'Node', NODE, { metadata: { namespace: '', labels: { a: 'b' } } });
      assert.deepEqual(patched.metadata.labels, { a: 'b' });
    });

    it('a document that is no longer an object', () => {
      assert.throws(
        () => applyPatch('application/json-patch+json', 'Deployment', DEPLOYMENT, [{ op: 'replace', path: '', value: [1] }]),
        (e: unknown) => isKiteError(e, 'Invalid') && /not a JSON object/.test(e.message),
      );
    });
  });
});
