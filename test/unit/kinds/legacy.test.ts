import assert from 'node:assert/strict';
import { isKiteError } from '../../../common/errors';
import { parseManifests } from '../../../common/manifest/parse';
import { validateManifests, validateObject } from '../../../common/manifest/validate';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } };
const errorsOf = (apiVersion: string, kind: string) =>
  validateObject({ apiVersion, kind, metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template } }).errors.map((e) => `${e.path}: ${e.message}`);

describe('legacy kinds and apiVersions', () => {
  for (const apiVersion of ['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2']) {
    for (const kind of ['Deployment', 'DaemonSet', 'ReplicaSet']) {
      it(`refuses ${apiVersion} ${kind}, naming apps/v1 ${kind}`, () => {
        assert.deepEqual(errorsOf(apiVersion, kind), [`apiVersion: ${apiVersion} ${kind} is no longer served; use apps/v1 ${kind}`]);
      });
    }
  }

  for (const apiVersion of ['batch/v1beta1', 'batch/v2alpha1']) {
    it(`refuses ${apiVersion} CronJob, naming batch/v1 CronJob`, () => {
      assert.deepEqual(errorsOf(apiVersion, 'CronJob'), [`apiVersion: ${apiVersion} CronJob is no longer served; use batch/v1 CronJob`]);
    });
  }

  it('refuses a ReplicationController, naming apps/v1 Deployment', () => {
    assert.deepEqual(errorsOf('v1', 'ReplicationController'), ['kind: ReplicationController is a legacy kind Kite does not serve; use apps/v1 Deployment']);
  });

  it('leaves current apiVersions and other unknown kinds to the usual checks', () => {
    assert.deepEqual(errorsOf('apps/v1', 'Deployment'), []);
    assert.match(errorsOf('apps/v2', 'Deployment').join('\n'), /"apps\/v2" is not supported for kind Deployment: use "apps\/v1"/);
    assert.match(errorsOf('v1', 'Ingress').join('\n'), /unknown kind "Ingress"/);
  });

  it('names the document and the field when a manifest file is applied', () => {
    const docs = parseManifests('apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: web\nspec: {}\n', 'deploy.yaml');
    assert.throws(() => validateManifests(docs), (e: unknown) =>
      isKiteError(e, 'Invalid') && e.message === 'deploy.yaml: document 1 (Deployment web): apiVersion: extensions/v1beta1 Deployment is no longer served; use apps/v1 Deployment');
  });
});
