import assert from 'node:assert/strict';
import type { PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../../common/api/types';
import { LOCAL_VOLUME_CLEANUP_FINALIZER } from '../../../common/kinds/persistentvolume';
import { PVC_PROTECTION_FINALIZER } from '../../../common/kinds/persistentvolumeclaim';
import { StorageCluster, claim, podWithClaim, storageNode, volume } from './harness';

const storageClass = (name: string, more: Partial<StorageClass> = {}): StorageClass => ({
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner: 'example.com/nas', ...more,
});

describe('storage controllers (binder, local-path provisioning, reclaim)', () => {
  let c: StorageCluster;
  beforeEach(async () => {
    c = new StorageCluster();
    await c.start();
  });
  afterEach(() => c.stop());

  const pvc = async (name: string) => (await c.get<PersistentVolumeClaim>('PersistentVolumeClaim', name))!;
  const pv = async (name: string) => c.get<PersistentVolume>('PersistentVolume', name);

  it('ensures the built-in local-path class (default, WaitForFirstConsumer, Delete) and re-creates it when deleted', async () => {
    const sc = await c.get<StorageClass>('StorageClass', 'local-path');
    assert.equal(sc?.provisioner, 'rancher.io/local-path');
    assert.equal(sc?.volumeBindingMode, 'WaitForFirstConsumer');
    assert.equal(sc?.reclaimPolicy, 'Delete');
    assert.equal(sc?.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'], 'true');
    await c.delete('StorageClass', 'local-path');
    assert.ok(await c.get('StorageClass', 'local-path'), 're-created');
  });

  it('gives a claim without storageClassName the default class and the protection finalizer; "" keeps no class', async () => {
    await c.create(claim('data'));
    await c.create(claim('classless', { storageClassName: '' }));
    const data = await pvc('data');
    assert.equal(data.spec.storageClassName, 'local-path');
    assert.deepEqual(data.metadata.finalizers, [PVC_PROTECTION_FINALIZER]);
    assert.equal(data.status?.phase, 'Pending');
    assert.deepEqual(c.reasons('PersistentVolumeClaim/data'), ['WaitForFirstConsumer: waiting for first consumer to be created before binding']);
    assert.equal((await pvc('classless')).spec.storageClassName, '');
  });

  it('keeps a claim naming a missing class Pending with ProvisioningFailed, as Kubernetes', async () => {
    await c.create(claim('data', { storageClassName: 'fast' }));
    assert.equal((await pvc('data')).status?.phase, 'Pending');
    assert.deepEqual(c.reasons('PersistentVolumeClaim/data'), ['ProvisioningFailed: storageclass.storage.k8s.io "fast" not found']);
  });

  it('binds a Pending claim to the smallest matching Available volume (class, modes, size, selector)', async () => {
    await c.create(volume('big', '10Gi'));
    await c.create(volume('small', '2Gi'));
    await c.create(volume('too-small', '512Mi'));
    await c.create(volume('other-class', '1Gi', { storageClassName: 'slow' }));
    await c.create(volume('read-only', '1Gi', { accessModes: ['ReadOnlyMany'] }));
    await c.create(volume('unlabelled', '1Gi'));
    await c.create(volume('labelled', '3Gi', {}, { tier: 'gold' }));
    await c.create(claim('data', { storageClassName: 'manual' }));
    await c.create(claim('gold', { storageClassName: 'manual', selector: { matchLabels: { tier: 'gold' } } }));
    const data = await pvc('data');
    assert.equal(data.status?.phase, 'Bound');
    assert.equal(data.spec.volumeName, 'unlabelled');
    assert.deepEqual(data.status?.capacity, { storage: '1Gi' });
    assert.equal((await pvc('gold')).spec.volumeName, 'labelled');
    const bound = (await pv('unlabelled'))!;
    assert.equal(bound.status?.phase, 'Bound');
    assert.deepEqual([bound.spec.claimRef?.namespace, bound.spec.claimRef?.name, bound.spec.claimRef?.uid], ['default', 'data', data.metadata.uid]);
    assert.equal((await pv('small'))?.status?.phase, 'Available');
  });

  it('binds a claim naming a volume (volumeName) to that volume only', async () => {
    await c.create(volume('a', '1Gi'));
    await c.create(volume('b', '5Gi'));
    await c.create(claim('data', { storageClassName: 'manual', volumeName: 'b' }));
    assert.equal((await pvc('data')).spec.volumeName, 'b');
    assert.equal((await pv('a'))?.status?.phase, 'Available');
  });

  it('says a claim of an external provisioner waits for it', async () => {
    await c.create(storageClass('nas'));
    await c.create(claim('data', { storageClassName: 'nas' }));
    assert.match(c.reasons('PersistentVolumeClaim/data')[0] ?? '', /^ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'example.com\/nas'/);
  });

  it('provisions a local-path volume on the node the first pod is scheduled to, and keeps later pods there', async () => {
    await c.create(storageNode('node-a'));
    await c.create(storageNode('node-b'));
    await c.create(claim('data'));
    await c.create(podWithClaim('first', 'data'));
    const first = (await c.get<Pod>('Pod', 'first'))!;
    const node = first.spec.nodeName!;
    assert.ok(node, 'scheduled');
    const data = await pvc('data');
    assert.equal(data.status?.phase, 'Bound');
    assert.equal(data.metadata.annotations?.['volume.kubernetes.io/selected-node'], node);
    const volumeName = `pvc-${data.metadata.uid}`;
    assert.equal(data.spec.volumeName, volumeName);
    const provisioned = (await pv(volumeName))!;
    assert.equal(provisioned.spec.local?.path, `/var/lib/kite/${node}/storage/pvc-${data.metadata.uid}_default_data`);
    assert.deepEqual(provisioned.spec.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions?.[0]?.values, [node]);
    assert.equal(provisioned.spec.persistentVolumeReclaimPolicy, 'Delete');
    assert.deepEqual(provisioned.metadata.finalizers, [LOCAL_VOLUME_CLEANUP_FINALIZER]);
    assert.equal(provisioned.status?.phase, 'Bound');

    for (let i = 0; i < 6; i++) await c.create(podWithClaim(`later-${i}`, 'data'));
    for (let i = 0; i < 6; i++) assert.equal((await c.get<Pod>('Pod', `later-${i}`))?.spec.nodeName, node, `later-${i} lands where the volume is`);
  });

  it('binds a new claim shared by several new pods once, all pods on one node', async () => {
    await c.create(storageNode('node-a'));
    await c.create(storageNode('node-b'));
    await c.create(claim('shared'));
    c.scheduler.stop();
    for (let i = 0; i < 4; i++) await c.store.create(podWithClaim(`p-${i}`, 'shared'));
    c.scheduler.start();
    await c.settle();
    const nodes = new Set<string | undefined>();
    for (let i = 0; i < 4; i++) nodes.add((await c.get<Pod>('Pod', `p-${i}`))?.spec.nodeName);
    assert.equal(nodes.size, 1);
    assert.ok([...nodes][0], "scheduled");
    assert.equal((await c.store.list('PersistentVolume')).items.length, 1, 'one volume');
  });

  it('refuses pods with unbound Immediate claims and missing claims, and schedules them once the claim binds', async () => {
    await c.create(storageNode('node-a'));
    await c.create(storageClass('nas'));
    await c.create(claim('data', { storageClassName: 'nas' }));
    await c.create(podWithClaim('waits', 'data'));
    await c.create(podWithClaim('missing', 'nope'));
    const waits = (await c.get<Pod>('Pod', 'waits'))!;
    assert.equal(waits.spec.nodeName, undefined);
    assert.match(waits.status?.conditions?.find((x) => x.type === 'PodScheduled')?.message ?? '', /1 pod has unbound immediate PersistentVolumeClaims/);
    const missing = (await c.get<Pod>('Pod', 'missing'))!;
    assert.match(missing.status?.conditions?.find((x) => x.type === 'PodScheduled')?.message ?? '', /persistentvolumeclaim "nope" not found/);

    await c.create(volume('nas-1', '1Gi', { storageClassName: 'nas' }));
    assert.equal((await pvc('data')).status?.phase, 'Bound');
    assert.equal((await c.get<Pod>('Pod', 'waits'))?.spec.nodeName, 'node-a', 're-queued by the claim binding, without waiting for the periodic retry');
  });

  it('keeps a deleted claim Terminating while a pod uses it, then releases and deletes its volume (Delete)', async () => {
    await c.create(storageNode('node-a'));
    await c.create(claim('data'));
    await c.create(podWithClaim('user', 'data'));
    const volumeName = (await pvc('data')).spec.volumeName!;
    await c.delete('PersistentVolumeClaim', 'data');
    const held = await pvc('data');
    assert.ok(held.metadata.deletionTimestamp, 'Terminating');
    assert.deepEqual(held.metadata.finalizers, [PVC_PROTECTION_FINALIZER]);
    assert.equal((await pv(volumeName))?.status?.phase, 'Bound');

    await c.removePod('user');
    assert.equal(await c.get('PersistentVolumeClaim', 'data'), undefined, 'the claim goes once no pod uses it');
    const released = (await pv(volumeName))!;
    assert.equal(released.status?.phase, 'Released');
    assert.ok(released.metadata.deletionTimestamp, 'deleted (reclaimPolicy Delete)...');
    assert.deepEqual(released.metadata.finalizers, [LOCAL_VOLUME_CLEANUP_FINALIZER], '...held until the node removed the directory');
  });

  it('keeps a Retain volume Released with its claimRef after the claim goes', async () => {
    await c.create(volume('keep', '1Gi', { persistentVolumeReclaimPolicy: 'Retain' }));
    await c.create(claim('data', { storageClassName: 'manual' }));
    await c.delete('PersistentVolumeClaim', 'data');
    assert.equal(await c.get('PersistentVolumeClaim', 'data'), undefined);
    const kept = (await pv('keep'))!;
    assert.equal(kept.status?.phase, 'Released');
    assert.equal(kept.metadata.deletionTimestamp, undefined);
    assert.equal(kept.spec.claimRef?.name, 'data');
  });

  it('marks a Bound claim whose volume is gone Lost', async () => {
    await c.create(volume('v', '1Gi'));
    await c.create(claim('data', { storageClassName: 'manual' }));
    await c.delete('PersistentVolume', 'v');
    assert.equal((await pvc('data')).status?.phase, 'Lost');
  });
});
