// PersistentVolumeClaim, PersistentVolume and StorageClass: validation with field paths, defaults,
// what an update may change, and kubectl's get columns.
import assert from 'node:assert/strict';
import type { KObject, PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../../common/api/types';
import { immutableIssues } from '../../../common/kinds/immutable';
import { requireKind } from '../../../common/kinds/registry';
import { localPathClass } from '../../../common/kinds/storageclass';
import { applyDefaults } from '../../../common/manifest/defaults';
import { validateObject } from '../../../common/manifest/validate';
import { persistentVolume, persistentVolumeClaim, storageClass } from './fixtures';

const errors = (obj: unknown) => validateObject(obj).errors.map((e) => `${e.path}: ${e.message}`);
const warnings = (obj: unknown) => validateObject(obj).warnings.map((e) => `${e.path}: ${e.message}`);
const update = <T extends KObject>(obj: T, change: (next: T) => void) => {
  const next = structuredClone(obj);
  change(next);
  return immutableIssues(requireKind(obj.kind), obj, next).map((i) => `${i.path}: ${i.message}`);
};

describe('storage kinds', () => {
  describe('PersistentVolumeClaim', () => {
    it('accepts a claim as Kubernetes manifests write it, and defaults volumeMode', () => {
      const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } };
      assert.deepEqual(errors(pvc), []);
      assert.deepEqual(warnings(pvc), []);
      assert.equal(applyDefaults(pvc as PersistentVolumeClaim).spec.volumeMode, 'Filesystem');
    });

    it('refuses a bad size, a missing size, Block volumes and unknown access modes, naming the field', () => {
      const base = persistentVolumeClaim();
      assert.deepEqual(errors({ ...base, spec: { ...base.spec, resources: { requests: { storage: '5 gigs' } } } }), [
        'spec.resources.requests.storage: invalid storage quantity "5 gigs": expected a number with an optional suffix (m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei)',
      ]);
      assert.deepEqual(errors({ ...base, spec: { ...base.spec, resources: { requests: {} } } }), ['spec.resources.requests.storage: is required']);
      assert.deepEqual(errors({ ...base, spec: { ...base.spec, volumeMode: 'Block' } }), ['spec.volumeMode: invalid value "Block": Block volumes are not supported by Kite; use Filesystem']);
      assert.match(errors({ ...base, spec: { ...base.spec, accessModes: ['ReadWriteSometimes'] } })[0] ?? '', /^spec\.accessModes\[0\]: unsupported value "ReadWriteSometimes"/);
      assert.deepEqual(errors({ ...base, spec: { ...base.spec, resources: { requests: { storage: '1Gi', cpu: '1' } } } }), ['spec.resources.requests: unknown field "cpu"']);
    });

    it('allows only growing resources.requests after create, and the system setting volumeName and an absent class once', () => {
      const pvc = persistentVolumeClaim();
      assert.deepEqual(update(pvc, (n) => { n.spec.resources = { requests: { storage: '2Gi' } }; }), []);
      assert.deepEqual(update(pvc, (n) => { n.spec.resources = { requests: { storage: '512Mi' } }; }), ['spec.resources.requests.storage: field can not be less than previous value (1Gi)']);
      assert.deepEqual(update(pvc, (n) => { n.spec.accessModes = ['ReadWriteMany']; }), ['spec.accessModes: field is immutable: a claim\'s spec may only change resources.requests']);
      assert.deepEqual(update(pvc, (n) => { n.spec.storageClassName = 'other'; }), ['spec.storageClassName: field is immutable: a claim\'s spec may only change resources.requests']);
      assert.deepEqual(update(pvc, (n) => { n.spec.volumeName = 'pv-1'; }), []);
      const bound = { ...pvc, spec: { ...pvc.spec, volumeName: 'pv-1' } };
      assert.deepEqual(update(bound, (n) => { n.spec.volumeName = 'pv-2'; }), ['spec.volumeName: field is immutable: a claim\'s spec may only change resources.requests']);
      const classless: PersistentVolumeClaim = { ...pvc, spec: { ...pvc.spec, storageClassName: undefined } };
      assert.deepEqual(update(classless, (n) => { n.spec.storageClassName = 'local-path'; }), []);
      const empty = { ...pvc, spec: { ...pvc.spec, storageClassName: '' } };
      assert.equal(update(empty, (n) => { n.spec.storageClassName = 'local-path'; }).length, 1, '"" is a choice, not an absence');
    });

    it('prints kubectl columns: STATUS Terminating while held, capacity and modes once Bound', () => {
      const table = requireKind('PersistentVolumeClaim').table;
      assert.deepEqual(table.columns.filter((c) => !c.wide).map((c) => c.name), ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE']);
      const now = Date.parse('2024-01-01T00:05:00Z');
      const pvc = { ...persistentVolumeClaim(), metadata: { name: 'data', creationTimestamp: '2024-01-01T00:00:00Z' } };
      assert.deepEqual(table.cells(pvc, now).slice(0, 8), ['data', 'Pending', '', '', '', 'local-path', '<unset>', '5m']);
      const bound = { ...pvc, spec: { ...pvc.spec, volumeName: 'pvc-1' }, status: { phase: 'Bound' as const, capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce' as const] } };
      assert.deepEqual(table.cells(bound, now).slice(0, 5), ['data', 'Bound', 'pvc-1', '1Gi', 'RWO']);
      assert.equal(table.cells({ ...bound, metadata: { ...bound.metadata, deletionTimestamp: '2024-01-01T00:04:00Z' } }, now)[1], 'Terminating');
    });
  });

  describe('PersistentVolume', () => {
    it('needs exactly one supported source, and nodeAffinity for a local one', () => {
      const pv = persistentVolume();
      assert.deepEqual(errors(pv), []);
      assert.deepEqual(errors({ ...pv, spec: { ...pv.spec, nodeAffinity: undefined } }), ['spec.nodeAffinity: is required for a local volume']);
      assert.deepEqual(errors({ ...pv, spec: { ...pv.spec, hostPath: { path: '/mnt/x' } } }), ['spec: must specify exactly one volume source: hostPath or local (got 2)']);
      assert.deepEqual(errors({ ...pv, spec: { ...pv.spec, local: undefined, nodeAffinity: undefined, nfs: { server: 'nas', path: '/x' } } }), ['spec.nfs: nfs volumes are not supported by Kite; use hostPath or local']);
      assert.deepEqual(errors({ ...pv, spec: { ...pv.spec, local: { path: 'relative' } } }), ['spec.local.path: invalid value "relative": must be an absolute path']);
      assert.deepEqual(errors({ ...pv, spec: { ...pv.spec, capacity: { storage: '-1Gi' } } }), ['spec.capacity.storage: invalid storage quantity "-1Gi": must not be negative']);
      assert.deepEqual(errors({ ...pv, spec: { ...pv.spec, persistentVolumeReclaimPolicy: 'Recycle' } }), ['spec.persistentVolumeReclaimPolicy: Recycle is deprecated and not supported by Kite; use Delete or Retain']);
    });

    it('defaults Retain (static volumes keep their data) and keeps where the data is immutable', () => {
      assert.equal(persistentVolume().spec.persistentVolumeReclaimPolicy, 'Retain');
      const pv = persistentVolume();
      assert.deepEqual(update(pv, (n) => { n.spec.local = { path: '/mnt/other' }; }), ['spec.local: field is immutable']);
      assert.deepEqual(update(pv, (n) => { n.spec.persistentVolumeReclaimPolicy = 'Delete'; }), []);
    });

    it('prints kubectl columns with CLAIM as namespace/name', () => {
      const table = requireKind('PersistentVolume').table;
      assert.deepEqual(table.columns.filter((c) => !c.wide).map((c) => c.name), ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE']);
      const pv: PersistentVolume = { ...persistentVolume(), spec: { ...persistentVolume().spec, claimRef: { namespace: 'shop', name: 'data' } }, status: { phase: 'Bound' } };
      assert.deepEqual(table.cells(pv, Date.now()).slice(0, 7), ['pv-1', '5Gi', 'RWO', 'Retain', 'Bound', 'shop/data', 'manual']);
    });
  });

  describe('StorageClass', () => {
    it('defaults Delete and Immediate, refuses unknown modes, and fixes the provisioner and modes after create', () => {
      const sc = storageClass();
      assert.equal(sc.reclaimPolicy, 'Delete');
      assert.equal(sc.volumeBindingMode, 'Immediate');
      assert.match(errors({ ...sc, volumeBindingMode: 'Later' })[0] ?? '', /^volumeBindingMode: unsupported value "Later"/);
      assert.deepEqual(errors({ ...sc, provisioner: undefined }), ['provisioner: is required']);
      assert.deepEqual(update(sc, (n) => { n.volumeBindingMode = 'WaitForFirstConsumer'; }), ['volumeBindingMode: field is immutable']);
      assert.deepEqual(update(sc, (n) => { n.allowVolumeExpansion = true; }), []);
    });

    it('prints the default class with "(default)", as kubectl', () => {
      const table = requireKind('StorageClass').table;
      const sc: StorageClass = { ...localPathClass(), metadata: { ...localPathClass().metadata, creationTimestamp: '2024-01-01T00:00:00Z' } };
      assert.deepEqual(table.cells(sc, Date.parse('2024-01-02T00:00:00Z')), ['local-path (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', 'false', '24h']);
    });
  });

  it('accepts a pod volume from a claim, with readOnly, and requires claimName', () => {
    const pod = (source: unknown) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'busybox', volumeMounts: [{ name: 'data', mountPath: '/data' }] }], volumes: [{ name: 'data', persistentVolumeClaim: source }] },
    });
    assert.deepEqual(errors(pod({ claimName: 'data', readOnly: true })), []);
    assert.deepEqual(warnings(pod({ claimName: 'data' })), []);
    assert.deepEqual(errors(pod({})), ['spec.volumes[0].persistentVolumeClaim.claimName: is required']);
  });
});
