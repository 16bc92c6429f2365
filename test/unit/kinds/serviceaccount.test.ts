import assert from 'node:assert/strict';
import { lookupKind } from '../../../common/kinds/registry';
import { serviceAccountKind } from '../../../common/kinds/serviceaccount';
import { validateObject } from '../../../common/manifest/validate';
import { serviceAccount } from './fixtures';

const issues = (obj: unknown) => {
  const r = validateObject(obj);
  return { errors: r.errors.map((e) => `${e.path}: ${e.message}`), warnings: r.warnings.map((e) => `${e.path}: ${e.message}`) };
};

const pod = (spec: Record<string, unknown>) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }], ...spec },
});

describe('ServiceAccount kind', () => {
  it('is found as sa, serviceaccount and serviceaccounts', () => {
    for (const name of ['sa', 'serviceaccount', 'serviceaccounts', 'ServiceAccount']) assert.equal(lookupKind(name), serviceAccountKind, name);
    assert.equal(serviceAccountKind.namespaced, true);
  });

  it('accepts a ServiceAccount as charts write it, with no warnings', () => {
    const sa = {
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'prometheus', labels: { app: 'prometheus' } },
      secrets: [{ name: 'prometheus-token' }], imagePullSecrets: [{ name: 'registry' }], automountServiceAccountToken: false,
    };
    assert.deepEqual(issues(sa), { errors: [], warnings: [] });
    assert.deepEqual(issues({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bare' } }), { errors: [], warnings: [] });
  });

  it('refuses malformed fields and unknown ones, with their paths', () => {
    const base = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a' } };
    const { errors } = issues({ ...base, automountServiceAccountToken: 'no', imagePullSecrets: [{}], secrets: 'x', tokens: [] });
    assert.ok(errors.some((e) => e.startsWith('automountServiceAccountToken: must be true or false')), errors.join('\n'));
    assert.ok(errors.some((e) => e.startsWith('imagePullSecrets[0].name: ')), errors.join('\n'));
    assert.ok(errors.some((e) => e.startsWith('secrets: ')), errors.join('\n'));
    assert.ok(errors.includes(': unknown field "tokens"'), errors.join('\n'));
    assert.ok(issues({ ...base, metadata: { name: 'Not_A_Name' } }).errors.some((e) => e.startsWith('metadata.name: ')));
  });

  it('prints NAME, SECRETS and AGE, as kubectl', () => {
    assert.deepEqual(serviceAccountKind.table.columns.map((c) => c.name), ['NAME', 'SECRETS', 'AGE']);
    const sa = { ...serviceAccount(), metadata: { name: 'builder', creationTimestamp: '2024-01-01T00:00:00Z' } };
    assert.deepEqual(serviceAccountKind.table.cells(sa, Date.parse('2024-01-01T00:05:00Z')), ['builder', '1', '5m']);
    assert.deepEqual(serviceAccountKind.table.cells({ ...sa, secrets: undefined }, Date.parse('2024-01-01T00:05:00Z')), ['builder', '0', '5m']);
  });
});

describe('pod service account fields', () => {
  it('accepts serviceAccountName, serviceAccount and automountServiceAccountToken without warnings', () => {
    assert.deepEqual(issues(pod({ serviceAccountName: 'builder', serviceAccount: 'builder', automountServiceAccountToken: false })), { errors: [], warnings: [] });
    assert.deepEqual(issues(pod({ serviceAccountName: '' })), { errors: [], warnings: [] }, 'empty means the default account, as in Kubernetes');
  });

  it('refuses a service account name that is not a valid name', () => {
    const { errors } = issues(pod({ serviceAccountName: 'Bad_Name', automountServiceAccountToken: 'yes' }));
    assert.ok(errors.some((e) => e.startsWith('spec.serviceAccountName: invalid value "Bad_Name"')), errors.join('\n'));
    assert.ok(errors.some((e) => e.startsWith('spec.automountServiceAccountToken: must be true or false')), errors.join('\n'));
  });
});
