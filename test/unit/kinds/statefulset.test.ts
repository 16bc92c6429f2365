import assert from 'node:assert/strict';
import type { KObject, Service, StatefulSet } from '../../../common/api/types';
import { FakeClock } from '../../../common/clock';
import { lookupKind, requireKind } from '../../../common/kinds/registry';
import { statefulSetKind } from '../../../common/kinds/statefulset';
import { applyDefaults } from '../../../common/manifest/defaults';
import { validateObject } from '../../../common/manifest/validate';
import { immutableProblems } from '../../../controller/api/apply';
import { statefulSetServiceWarnings } from '../../../controller/api/statefulset-warnings';
import { MemoryStore } from '../../../controller/store/memory-store';
import { statefulSet } from './fixtures';

const issues = (obj: unknown) => {
  const r = validateObject(obj);
  return { errors: r.errors.map((e) => `${e.path}: ${e.message}`), warnings: r.warnings.map((e) => `${e.path}: ${e.message}`) };
};

/** A StatefulSet manifest as a user writes it, with `spec` fields replaced or added. */
const manifest = (spec: Record<string, unknown> = {}, name = 'db') => {
  const s = statefulSet();
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name }, spec: { ...s.spec, ...spec } };
};

describe('StatefulSet kind', () => {
  it('is found as sts, statefulset and statefulsets, in apps/v1', () => {
    for (const name of ['sts', 'statefulset', 'statefulsets', 'StatefulSet']) assert.equal(lookupKind(name), statefulSetKind, name);
    assert.equal(statefulSetKind.apiVersion, 'apps/v1');
  });

  it('accepts a set whose containers mount its volumeClaimTemplates, with no warnings', () => {
    assert.deepEqual(issues(manifest()), { errors: [], warnings: [] });
  });

  it('refuses a mount of a volume that is neither a template volume nor a claim template', () => {
    const s = statefulSet();
    s.spec.template.spec.containers[0]!.volumeMounts = [{ name: 'logs', mountPath: '/logs' }];
    const { errors } = issues(manifest({ template: s.spec.template }));
    assert.ok(errors.some((e) => e.startsWith('spec.template.spec.containers[0].volumeMounts[0].name: volume "logs" is not declared')), errors.join('\n'));
  });

  it('refuses duplicate claim templates, a bad claim spec, a selector that misses the template and wrong policies, naming each field', () => {
    const tmpl = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
    const { errors } = issues(manifest({
      volumeClaimTemplates: [tmpl, tmpl, { metadata: { name: 'x' }, spec: { accessModes: ['Sometimes'] } }],
      selector: { matchLabels: { app: 'other' } },
      podManagementPolicy: 'Random',
      updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } },
      persistentVolumeClaimRetentionPolicy: { whenScaled: 'Keep' },
      ordinals: { start: -1 },
    }));
    const has = (prefix: string) => assert.ok(errors.some((e) => e.startsWith(prefix)), `${prefix}\n${errors.join('\n')}`);
    has('spec.volumeClaimTemplates[1].metadata.name: duplicate volumeClaimTemplate name "data"');
    has('spec.volumeClaimTemplates[2].spec.accessModes[0]: ');
    has('spec.volumeClaimTemplates[2].spec.resources: ');
    has('spec.template.metadata.labels: must match the selector');
    has('spec.podManagementPolicy: unsupported value "Random"');
    has('spec.updateStrategy.rollingUpdate: may not be specified when updateStrategy type is OnDelete');
    has('spec.persistentVolumeClaimRetentionPolicy.whenScaled: unsupported value "Keep"');
    has('spec.ordinals.start: must be a non-negative integer');
  });

  it('needs a name that can be a hostname, and a restartPolicy of Always', () => {
    assert.ok(issues(manifest({}, 'db.v1')).errors.some((e) => e.startsWith('metadata.name: ')));
    const s = statefulSet();
    const { errors } = issues(manifest({ template: { ...s.spec.template, spec: { ...s.spec.template.spec, restartPolicy: 'Never' } } }));
    assert.ok(errors.some((e) => e.startsWith('spec.template.spec.restartPolicy: ')), errors.join('\n'));
  });

  it('defaults as Kubernetes: 1 replica, OrderedReady, RollingUpdate partition 0, Retain claims, claim templates as claims', () => {
    const s = applyDefaults<StatefulSet>({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'db:1' }] } }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } });
    assert.equal(s.spec.replicas, 1);
    assert.equal(s.spec.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(s.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.deepEqual(s.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    assert.equal(s.spec.revisionHistoryLimit, 10);
    assert.equal(s.spec.template.spec.restartPolicy, 'Always');
    assert.equal(s.spec.volumeClaimTemplates?.[0]?.spec.volumeMode, 'Filesystem');
  });

  it('lets an update change replicas, template, updateStrategy, minReadySeconds, retention, revisionHistoryLimit and ordinals', () => {
    const current = statefulSet();
    const next = structuredClone(current);
    next.spec.replicas = 5;
    next.spec.template.spec.containers[0]!.image = 'nginx:1.26';
    next.spec.updateStrategy = { type: 'OnDelete' };
    next.spec.minReadySeconds = 10;
    next.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Delete' };
    next.spec.revisionHistoryLimit = 3;
    next.spec.ordinals = { start: 1 };
    assert.deepEqual(immutableProblems(requireKind('StatefulSet'), current, next), []);
  });

  it('refuses an update to any other spec field, naming each one, in Kubernetes\' words', () => {
    const current = statefulSet();
    const next = structuredClone(current);
    next.spec.serviceName = 'other';
    next.spec.podManagementPolicy = 'Parallel';
    next.spec.selector = { matchLabels: { app: 'web', tier: 'x' } };
    next.spec.volumeClaimTemplates![0]!.spec.resources = { requests: { storage: '2Gi' } };
    const problems = immutableProblems(requireKind('StatefulSet'), current, next);
    assert.deepEqual(problems.map((p) => p.split(':')[0]), ['spec.podManagementPolicy', 'spec.selector', 'spec.serviceName', 'spec.volumeClaimTemplates']);
    for (const p of problems) assert.match(p, /: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden$/);
  });

  it('prints NAME, READY and AGE, as kubectl', () => {
    assert.deepEqual(statefulSetKind.table.columns.filter((c) => !c.wide).map((c) => c.name), ['NAME', 'READY', 'AGE']);
    const s: StatefulSet = { ...statefulSet(), metadata: { name: 'db', creationTimestamp: '2024-01-01T00:00:00Z' }, status: { readyReplicas: 2 } };
    assert.deepEqual(statefulSetKind.table.cells(s, Date.parse('2024-01-01T00:03:00Z')).slice(0, 3), ['db', '2/3', '3m']);
  });
});

describe('StatefulSet serviceName warnings at apply', () => {
  const clock = new FakeClock();
  const svc = (name: string, clusterIP?: string): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app: 'web' }, ...(clusterIP ? { clusterIP } : {}) } });

  it('warns when no Service of that name is in the namespace, and when it is not headless', async () => {
    const store = new MemoryStore({ clock });
    const [missing] = await statefulSetServiceWarnings(store, [statefulSet()]);
    assert.equal(missing, 'StatefulSet "db": spec.serviceName: Service "db" not found in namespace "default"; the pods get no DNS names until a headless Service (clusterIP: None) of that name exists');
    await store.create(svc('db', '10.96.0.20'));
    const [notHeadless] = await statefulSetServiceWarnings(store, [statefulSet()]);
    assert.match(notHeadless ?? '', /^StatefulSet "db": spec.serviceName: Service "db" is not headless/);
    const elsewhere = { ...statefulSet(), metadata: { name: 'db', namespace: 'other' } };
    assert.match((await statefulSetServiceWarnings(store, [elsewhere]))[0] ?? '', /not found in namespace "other"/);
  });

  it('says nothing for a headless Service, stored or applied in the same set, or without serviceName', async () => {
    const store = new MemoryStore({ clock });
    assert.deepEqual(await statefulSetServiceWarnings(store, [svc('db', 'None') as KObject, statefulSet()]), []);
    const noName = statefulSet();
    delete noName.spec.serviceName;
    assert.deepEqual(await statefulSetServiceWarnings(store, [noName]), []);
    await store.create(svc('db', 'None'));
    assert.deepEqual(await statefulSetServiceWarnings(store, [statefulSet()]), []);
  });
});
