import assert from 'node:assert/strict';
import type { PersistentVolumeClaim, Pod, StatefulSet } from '../../../common/api/types';
import { TestCluster, isLive, template } from './harness';

const CLAIM_TEMPLATE = { metadata: { name: 'data', labels: { tier: 'db' } }, spec: { accessModes: ['ReadWriteOnce' as const], resources: { requests: { storage: '1Gi' } } } };

function statefulSet(name: string, extra: Partial<StatefulSet['spec']> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: { serviceName: 'db', replicas: 3, selector: { matchLabels: { app: name } }, template: template('db:1', { app: name }), ...extra },
  };
}

describe('StatefulSet controller', () => {
  let c: TestCluster;
  beforeEach(async () => {
    c = new TestCluster();
    await c.start();
  });
  afterEach(() => c.stop());

  const live = async () => (await c.pods(isLive)).map((p) => p.metadata.name).sort();
  const pod = async (name: string) => c.get<Pod>('Pod', name);
  const claims = async () => (await c.store.list<PersistentVolumeClaim>('PersistentVolumeClaim')).items.map((p) => p.metadata.name).sort();
  const status = async (name = 'web') => (await c.get<StatefulSet>('StatefulSet', name)).status;
  /** Plays scheduler and kubelet for the named pods (Running and Ready unless told otherwise). */
  const run = async (names: string[], ready = true) => c.runPods(await Promise.all(names.map(pod)), { ready });
  const revisions = async () => Object.fromEntries((await c.pods(isLive)).map((p) => [p.metadata.name, p.metadata.labels?.['controller-revision-hash']]));

  it('OrderedReady creates each ordinal only when the ones below it are Running and Ready', async () => {
    await c.create(statefulSet('web'));
    assert.deepEqual(await live(), ['web-0']);
    await run(['web-0'], false);
    assert.deepEqual(await live(), ['web-0'], 'web-0 is running but not ready: web-1 waits');
    await run(['web-0']);
    assert.deepEqual(await live(), ['web-0', 'web-1']);
    await run(['web-1']);
    assert.deepEqual(await live(), ['web-0', 'web-1', 'web-2']);
    await run(['web-2']);
    const s = await status();
    assert.equal(s?.replicas, 3);
    assert.equal(s?.readyReplicas, 3);
    assert.equal(s?.availableReplicas, 3);
    assert.equal(s?.updatedReplicas, 3);
    assert.equal(s?.currentReplicas, 3);
    assert.equal(s?.currentRevision, s?.updateRevision);
    assert.match(s?.updateRevision ?? '', /^web-[0-9a-f]{10}$/);
  });

  it('gives each pod its identity: hostname, subdomain, identity labels, controller owner', async () => {
    await c.create(statefulSet('web', { replicas: 1 }));
    const p = await pod('web-0');
    assert.equal(p.spec.hostname, 'web-0');
    assert.equal(p.spec.subdomain, 'db');
    assert.equal(p.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'web-0');
    assert.equal(p.metadata.labels?.['apps.kubernetes.io/pod-index'], '0');
    assert.equal(p.metadata.labels?.app, 'web');
    const sts = await c.get<StatefulSet>('StatefulSet', 'web');
    assert.equal(p.metadata.labels?.['controller-revision-hash'], sts.status?.updateRevision);
    assert.deepEqual(p.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]), [['StatefulSet', 'web', sts.metadata.uid, true]]);
  });

  it('ordinals.start shifts the names', async () => {
    await c.create(statefulSet('web', { replicas: 2, ordinals: { start: 5 }, podManagementPolicy: 'Parallel' }));
    assert.deepEqual(await live(), ['web-5', 'web-6']);
  });

  it('Parallel creates every pod at once and deletes every surplus pod at once', async () => {
    await c.create(statefulSet('web', { podManagementPolicy: 'Parallel' }));
    assert.deepEqual(await live(), ['web-0', 'web-1', 'web-2']);
    await c.change<StatefulSet>('StatefulSet', 'web', (s) => {
      s.spec.replicas = 1;
    });
    assert.deepEqual(await live(), ['web-0']);
  });

  it('OrderedReady scales down from the highest ordinal, one at a time, each gone before the next', async () => {
    const ordered = statefulSet('ord');
    c.kubeletStopsPods = false;
    await c.create(ordered);
    for (const n of ['ord-0', 'ord-1', 'ord-2']) await run([n]);
    await c.change<StatefulSet>('StatefulSet', 'ord', (s) => {
      s.spec.replicas = 0;
    });
    const terminating = async () => (await c.pods((p) => !!p.metadata.deletionTimestamp)).map((p) => p.metadata.name);
    assert.deepEqual(await terminating(), ['ord-2'], 'only the highest ordinal goes first');
    await c.store.delete('Pod', 'default', 'ord-2', { finalize: true });
    await c.settle();
    assert.deepEqual(await terminating(), ['ord-1'], 'then the next, once ord-2 is gone');
    c.kubeletStopsPods = true;
    await c.settle();
    assert.deepEqual(await live(), []);
  });

  it('re-creates a deleted pod and a failed pod under the same name', async () => {
    await c.create(statefulSet('web', { replicas: 2, podManagementPolicy: 'Parallel' }));
    await run(['web-0', 'web-1']);
    const before = await pod('web-1');
    await c.store.delete('Pod', 'default', 'web-1', { finalize: true });
    await c.settle();
    const after = await pod('web-1');
    assert.notEqual(after.metadata.uid, before.metadata.uid, 'a new pod');
    await c.finishPods([await pod('web-0')], 'Failed');
    const replaced = await pod('web-0');
    assert.equal(replaced.status?.phase, undefined, 'the failed web-0 was replaced by a fresh one');
    assert.deepEqual(await live(), ['web-0', 'web-1']);
  });

  it('creates one claim per template and ordinal, mounts it, and keeps it when the pod is deleted', async () => {
    await c.create(statefulSet('web', { replicas: 2, podManagementPolicy: 'Parallel', volumeClaimTemplates: [CLAIM_TEMPLATE] }));
    assert.deepEqual(await claims(), ['data-web-0', 'data-web-1']);
    const claim = await c.get<PersistentVolumeClaim>('PersistentVolumeClaim', 'data-web-0');
    assert.deepEqual(claim.metadata.labels, { tier: 'db', app: 'web' }, 'template labels plus the selector labels');
    assert.equal(claim.metadata.ownerReferences, undefined, 'Retain: owned by nobody, not by the pod');
    assert.deepEqual(claim.spec.resources?.requests?.storage, '1Gi');
    const p = await pod('web-0');
    assert.deepEqual(p.spec.volumes, [{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } }]);
    const uid = claim.metadata.uid;
    await c.store.delete('Pod', 'default', 'web-0', { finalize: true });
    await c.settle();
    assert.equal((await c.get<PersistentVolumeClaim>('PersistentVolumeClaim', 'data-web-0')).metadata.uid, uid, 'the same claim');
    assert.deepEqual((await pod('web-0')).spec.volumes, [{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } }]);
    await c.change<StatefulSet>('StatefulSet', 'web', (s) => {
      s.spec.replicas = 1;
    });
    assert.deepEqual(await claims(), ['data-web-0', 'data-web-1'], 'whenScaled Retain keeps the claim of a removed ordinal');
  });

  it('whenScaled: Delete removes the claims of removed ordinals; whenDeleted: Delete makes the set own its claims', async () => {
    await c.create(statefulSet('web', {
      replicas: 2,
      podManagementPolicy: 'Parallel',
      volumeClaimTemplates: [CLAIM_TEMPLATE],
      persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete', whenDeleted: 'Delete' },
    }));
    const sts = await c.get<StatefulSet>('StatefulSet', 'web');
    const claim = await c.get<PersistentVolumeClaim>('PersistentVolumeClaim', 'data-web-1');
    assert.deepEqual(claim.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid]), [['StatefulSet', 'web', sts.metadata.uid]]);
    await c.change<StatefulSet>('StatefulSet', 'web', (s) => {
      s.spec.replicas = 1;
    });
    assert.deepEqual(await claims(), ['data-web-0']);
  });

  it('a claim being deleted holds back its pod until a fresh claim exists', async () => {
    await c.create(statefulSet('web', { replicas: 1, volumeClaimTemplates: [CLAIM_TEMPLATE] }));
    const claim = await c.get<PersistentVolumeClaim>('PersistentVolumeClaim', 'data-web-0');
    await c.store.update<PersistentVolumeClaim>({ ...claim, metadata: { ...claim.metadata, finalizers: ['test/hold'] } });
    await c.store.delete('PersistentVolumeClaim', 'default', 'data-web-0');
    await c.store.delete('Pod', 'default', 'web-0', { finalize: true });
    await c.settle();
    assert.deepEqual(await live(), [], 'no pod on a claim on its way out');
    const held = await c.get<PersistentVolumeClaim>('PersistentVolumeClaim', 'data-web-0');
    await c.store.update<PersistentVolumeClaim>({ ...held, metadata: { ...held.metadata, finalizers: [] } });
    await c.settle();
    assert.deepEqual(await live(), ['web-0']);
    assert.notEqual((await c.get<PersistentVolumeClaim>('PersistentVolumeClaim', 'data-web-0')).metadata.uid, claim.metadata.uid);
  });

  it('RollingUpdate replaces pods from the highest ordinal down to the partition, one at a time, each waiting for readiness', async () => {
    await c.create(statefulSet('web', { podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
    await run(['web-0', 'web-1', 'web-2']);
    const old = (await status())!.updateRevision;
    c.kubeletStopsPods = false;
    await c.change<StatefulSet>('StatefulSet', 'web', (s) => {
      s.spec.template.spec.containers[0]!.image = 'db:2';
    });
    const next = (await status())!.updateRevision;
    assert.notEqual(next, old);
    const terminating = async () => (await c.pods((p) => !!p.metadata.deletionTimestamp)).map((p) => p.metadata.name);
    assert.deepEqual(await terminating(), ['web-2'], 'the highest ordinal first, alone');
    c.kubeletStopsPods = true;
    await c.settle();
    assert.deepEqual(await revisions(), { 'web-0': old, 'web-1': old, 'web-2': next });
    assert.equal((await pod('web-2')).spec.containers[0]!.image, 'db:2');
    assert.equal((await status())?.updatedReplicas, 1);
    await run(['web-2'], false);
    assert.deepEqual(await revisions(), { 'web-0': old, 'web-1': old, 'web-2': next }, 'web-1 waits while web-2 is not ready');

    // A pod below the partition that is deleted comes back at the current revision, with the old template
    // (taken from web-1, a pod of that revision).
    await c.store.delete('Pod', 'default', 'web-0', { finalize: true });
    await c.settle();
    assert.equal((await pod('web-0')).metadata.labels?.['controller-revision-hash'], old);
    assert.equal((await pod('web-0')).spec.containers[0]!.image, 'db:1');
    assert.equal((await pod('web-0')).spec.hostname, 'web-0');
    assert.equal((await pod('web-0')).metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'web-0');
    await run(['web-0']);
    await run(['web-2']);
    assert.deepEqual(await revisions(), { 'web-0': old, 'web-1': next, 'web-2': next });
    await run(['web-1']);
    assert.deepEqual(await revisions(), { 'web-0': old, 'web-1': next, 'web-2': next }, 'web-0 is below the partition');
    let s = await status();
    assert.equal(s?.currentRevision, old);
    assert.equal(s?.currentReplicas, 1);
    assert.equal(s?.updatedReplicas, 2);


    await c.change<StatefulSet>('StatefulSet', 'web', (st) => {
      st.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
    });
    assert.equal((await pod('web-0')).metadata.labels?.['controller-revision-hash'], next);
    await run(['web-0']);
    s = await status();
    assert.equal(s?.currentRevision, next, 'the update is complete: the new revision is current');
    assert.equal(s?.currentReplicas, 3);
  });

  it('OnDelete leaves pods of the old revision until they are deleted', async () => {
    await c.create(statefulSet('web', { replicas: 2, podManagementPolicy: 'Parallel', updateStrategy: { type: 'OnDelete' } }));
    await run(['web-0', 'web-1']);
    const old = (await status())!.updateRevision;
    await c.change<StatefulSet>('StatefulSet', 'web', (s) => {
      s.spec.template.spec.containers[0]!.image = 'db:2';
    });
    const next = (await status())!.updateRevision;
    assert.deepEqual(await revisions(), { 'web-0': old, 'web-1': old });
    await c.store.delete('Pod', 'default', 'web-0', { finalize: true });
    await c.settle();
    assert.deepEqual(await revisions(), { 'web-0': next, 'web-1': old });
  });
});
