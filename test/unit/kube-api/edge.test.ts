// The HTTP edge's pure parts: API paths, JSON error positions, Kite errors as Statuses, and the
// write parameters (dryRun, fieldValidation, fieldManager).
import assert from 'node:assert/strict';
import { parseApiPath } from '../../../controller/kube-api/paths';
import { firstSyntaxError, parseJson } from '../../../controller/kube-api/body';
import { HttpError, statusFromError } from '../../../controller/kube-api/status';
import { writeQuery } from '../../../controller/kube-api/write-options';
import { validateObject, withoutUnknownFields } from '../../../common/manifest';
import { prepareObjects } from '../../../controller/api/apply';
import { KiteError, invalid, notFound } from '../../../common/errors';

describe('kube-api edge', () => {
  describe('parseApiPath', () => {
    const cases: [string, unknown][] = [
      ['/version', { type: 'version' }],
      ['/api', { type: 'api' }],
      ['/api/v1', { type: 'groupVersion', group: '', version: 'v1' }],
      ['/apis/apps', { type: 'group', group: 'apps' }],
      ['/apis/apps/v1', { type: 'groupVersion', group: 'apps', version: 'v1' }],
      ['/openapi/v3', { type: 'openapiV3' }],
      ['/openapi/v3/apis/apps/v1', { type: 'openapiV3Document', groupVersion: 'apis/apps/v1' }],
      ['/api/v1/pods', { type: 'resource', group: '', version: 'v1', resource: 'pods' }],
      ['/api/v1/namespaces', { type: 'resource', group: '', version: 'v1', resource: 'namespaces' }],
      ['/api/v1/namespaces/team', { type: 'resource', group: '', version: 'v1', resource: 'namespaces', name: 'team' }],
      ['/api/v1/namespaces/team/pods', { type: 'resource', group: '', version: 'v1', resource: 'pods', namespace: 'team' }],
      ['/api/v1/namespaces/team/pods/web-1/log', { type: 'resource', group: '', version: 'v1', resource: 'pods', namespace: 'team', name: 'web-1', subresource: 'log' }],
      ['/apis/apps/v1/namespaces/d/deployments/web/scale', { type: 'resource', group: 'apps', version: 'v1', resource: 'deployments', namespace: 'd', name: 'web', subresource: 'scale' }],
      ['/api/v1/nodes/n1/status', { type: 'resource', group: '', version: 'v1', resource: 'nodes', name: 'n1', subresource: 'status' }],
      ['/api/v1/namespaces/d/pods/a/b/c', undefined],
      ['/api/v1/namespaces/%2e%2e/pods', undefined],
      ['/api/v1/pods/%E0%A4%A', undefined],
      ['/metrics', undefined],
    ];
    for (const [path, want] of cases) it(path, () => assert.deepEqual(parseApiPath(path), want));
  });

  describe('JSON syntax errors name the position', () => {
    const cases: [string, number | undefined][] = [
      ['{"a": }', 6],
      ['{"a":1,}', 7],
      ['[1 2]', 3],
      ['{"a": tru}', 6],
      ['"open', 5],
      ['{} x', 3],
      ['{"a": [1, {"b": null}]}', undefined],
    ];
    for (const [text, at] of cases) it(JSON.stringify(text), () => assert.equal(firstSyntaxError(text), at));
    it('parseJson says line and column in a 400', () => {
      assert.throws(() => parseJson(Buffer.from('{\n  "a": \n}')), (e: unknown) => e instanceof HttpError && e.code === 400 && /line 3, column 1/.test(e.message));
    });
  });

  describe('statusFromError', () => {
    it('maps each Kite error code to its HTTP code and reason', () => {
      const table: [KiteError['code'], number, string][] = [
        ['Invalid', 422, 'Invalid'],
        ['NotFound', 404, 'NotFound'],
        ['AlreadyExists', 409, 'AlreadyExists'],
        ['Conflict', 409, 'Conflict'],
        ['Gone', 410, 'Expired'],
        ['Forbidden', 403, 'Forbidden'],
        ['Unauthenticated', 401, 'Unauthorized'],
        ['ResourceExhausted', 429, 'TooManyRequests'],
        ['Unavailable', 503, 'ServiceUnavailable'],
      ];
      for (const [code, http, reason] of table) {
        const s = statusFromError(new KiteError(code, 'why'));
        assert.deepEqual([s.code, s.reason, s.kind, s.status], [http, reason, 'Status', 'Failure'], code);
      }
    });
    it('says NotFound in Kubernetes words for the object named', () => {
      assert.equal(statusFromError(notFound('x'), { resource: 'deployments', group: 'apps', name: 'web' }).message, 'deployments.apps "web" not found');
    });
    it('turns Invalid details into field causes', () => {
      const s = statusFromError(invalid('Deployment "web" is invalid: spec.replicas: must be >= 0', ['spec.replicas: must be >= 0']), { kind: 'Deployment', resource: 'deployments', name: 'web' });
      assert.deepEqual(s.details, { name: 'web', kind: 'Deployment', causes: [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: 'must be >= 0' }] });
    });
    it('hides unexpected errors', () => {
      const s = statusFromError(new TypeError('x is undefined at /secret/path.ts:3'));
      assert.equal(s.code, 500);
      assert.doesNotMatch(s.message, /secret/);
    });
  });

  describe('write parameters', () => {
    it('defaults: Warn, the client name as field manager, no dry run', () => {
      assert.deepEqual(writeQuery(new URLSearchParams(''), 'kubectl/v1.32.5 (linux/amd64) kubernetes/abc'), { dryRun: false, fieldValidation: 'Warn', fieldManager: 'kubectl', force: false });
    });
    it('refuses unknown values by name', () => {
      assert.throws(() => writeQuery(new URLSearchParams('dryRun=Some'), ''), /dryRun/);
      assert.throws(() => writeQuery(new URLSearchParams('fieldValidation=Loose'), ''), /fieldValidation/);
      assert.throws(() => writeQuery(new URLSearchParams('force=maybe'), ''), /force/);
    });
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', colour: 'red' }, data: { a: '1' }, extra: 1 };
    it('Warn drops unknown fields and warns in Kubernetes words; Ignore drops silently; the input is not changed', () => {
      const { errors } = validateObject(cm);
      const warned = withoutUnknownFields(cm, errors, 'Warn');
      assert.deepEqual(warned.object, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
      assert.deepEqual(warned.warnings.sort(), ['unknown field "extra"', 'unknown field "metadata.colour"']);
      assert.deepEqual(withoutUnknownFields(cm, errors, 'Ignore'), { object: warned.object, warnings: [] });
      assert.equal((cm as { extra?: number }).extra, 1, 'the input is not changed');
    });
    it('every write validates once with the mode: Strict refuses, Warn and Ignore write without the fields', () => {
      assert.throws(() => prepareObjects([cm]), (e: unknown) => e instanceof KiteError && e.details.some((d) => /unknown field "extra"/.test(d)));
      const warned = prepareObjects([cm], 'Warn');
      assert.deepEqual(warned.objects[0]!.metadata, { name: 'c', namespace: 'default' });
      assert.ok(!('extra' in warned.objects[0]!));
      assert.deepEqual(warned.warnings.filter((w) => w.startsWith('unknown field')).sort(), ['unknown field "extra"', 'unknown field "metadata.colour"']);
      assert.deepEqual(prepareObjects([cm], 'Ignore').warnings.filter((w) => w.startsWith('unknown field')), []);
    });
  });
});
