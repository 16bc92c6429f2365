import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersistentVolume, Pod } from '../../../common/api/types';
import { cleanupFor, removalProblem } from '../../../controller/dispatcher/volume-feed';
import { LOCAL_VOLUME_CLEANUP_FINALIZER } from '../../../common/kinds/persistentvolume';
import { ClaimVolumeError, claimVolumeDir, isInStorageDir, removeLocalVolume } from '../../../node-agent/pods/local-volumes';

const pod = (fsGroup?: number): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }], ...(fsGroup !== undefined ? { securityContext: { fsGroup } } : {}) },
});

const localPv = (name: string, node: string, path: string, deleting = true): PersistentVolume => ({
  apiVersion: 'v1', kind: 'PersistentVolume',
  metadata: { name, finalizers: [LOCAL_VOLUME_CLEANUP_FINALIZER], ...(deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
  spec: {
    capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], local: { path },
    nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
  },
});

describe('local volumes on the node', () => {
  let dir: string;
  let storage: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kite-local-volumes-'));
    storage = join(dir, 'storage');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('knows a volume directory only as a pvc-* entry directly in the storage dir', () => {
    assert.equal(isInStorageDir(storage, `${storage}/pvc-1_default_data`), true);
    assert.equal(isInStorageDir(storage, `${storage}/other`), false);
    assert.equal(isInStorageDir(storage, `${storage}/pvc-1/nested`), false);
    assert.equal(isInStorageDir(storage, `${storage}/../pvc-1`), false);
    assert.equal(isInStorageDir(storage, '/etc'), false);
    assert.equal(isInStorageDir(storage, 'pvc-1'), false);
  });

  it('creates a local-path directory 0777 (0770 with an fsGroup) and refuses an unbound claim', async () => {
    const path = `${storage}/pvc-1_default_data`;
    assert.equal(await claimVolumeDir(pod(), pod().spec.volumes![0]!, [{ claimName: 'data', path }], storage), path);
    assert.equal((await stat(path)).mode & 0o777, 0o777);
    const grouped = `${storage}/pvc-2_default_data`;
    await claimVolumeDir(pod(1000), pod().spec.volumes![0]!, [{ claimName: 'data', path: grouped }], storage);
    assert.equal((await stat(grouped)).mode & 0o777, 0o770);
    await assert.rejects(claimVolumeDir(pod(), pod().spec.volumes![0]!, [], storage), (e: unknown) => e instanceof ClaimVolumeError && /persistentvolumeclaim "data" is not bound yet/.test(e.message));
    await assert.rejects(claimVolumeDir(pod(), pod().spec.volumes![0]!, [{ claimName: 'data', path: join(dir, 'missing') }], storage), /does not exist on this node/);
  });

  it('removes only a pvc-* directory in the storage dir, not through a symlink, and treats a gone one as removed', async () => {
    const path = `${storage}/pvc-1_default_data`;
    await mkdir(path, { recursive: true });
    await writeFile(join(path, 'f'), 'data');
    await removeLocalVolume(storage, path);
    await assert.rejects(stat(path));
    await removeLocalVolume(storage, path);

    const outside = join(dir, 'precious');
    await mkdir(outside);
    await assert.rejects(removeLocalVolume(storage, outside), /not a volume directory/);
    await symlink(outside, `${storage}/pvc-link`);
    await assert.rejects(removeLocalVolume(storage, `${storage}/pvc-link`), /not a directory/);
    assert.ok((await stat(outside)).isDirectory(), 'the symlink target is untouched');
  });
});

describe('local volume cleanup instructions (dispatcher)', () => {
  it('sends a node only its own local volumes that are being deleted', () => {
    const vols = [localPv('a', 'n1', '/s/pvc-a'), localPv('b', 'n2', '/s/pvc-b'), localPv('c', 'n1', '/s/pvc-c', false)];
    assert.deepEqual(cleanupFor('n1', vols), [{ name: 'a', path: '/s/pvc-a' }]);
  });

  it('believes a removal report only from the volume\'s node, for the path it was sent', () => {
    const pv = localPv('a', 'n1', '/s/pvc-a');
    const report = { name: 'a', path: '/s/pvc-a', error: '' };
    assert.equal(removalProblem(report, pv, 'n1'), undefined);
    assert.match(removalProblem(report, pv, 'n2') ?? '', /is not on node "n2"/);
    assert.match(removalProblem({ ...report, path: '/s/other' }, pv, 'n1') ?? '', /is not at/);
    assert.match(removalProblem(report, localPv('a', 'n1', '/s/pvc-a', false), 'n1') ?? '', /not waiting/);
    assert.match(removalProblem(report, undefined, 'n1') ?? '', /not found/);
  });
});
