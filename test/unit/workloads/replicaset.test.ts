import assert from 'node:assert/strict';
import type { Pod, ReplicaSet } from '../../../common/api/types';
import { pickVictims } from '../../../controller/workloads';
import { TestCluster, isLive, template } from './harness';

function replicaSet(name: string, replicas: number, minReadySeconds = 0): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: template('nginx', { app: name }), minReadySeconds },
  };
}

describe('ReplicaSet controller', () => {
  let c: TestCluster;
  beforeEach(async () => {
    c = new TestCluster();
    await c.start();
  });
  afterEach(() => c.stop());

  it('creates spec.replicas pods from the template, named <rs>-<5 random>, controlled by the ReplicaSet', async () => {
    const rs = await c.create(replicaSet('web', 3));
    const pods = await c.pods();
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.match(p.metadata.name, /^web-[a-z0-9]{5}$/);
      assert.deepEqual(p.metadata.labels, { app: 'web' });
      assert.equal(p.metadata.namespace, 'default');
      assert.equal(p.spec.nodeName, undefined, 'left for the scheduler');
      assert.deepEqual(p.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]), [['ReplicaSet', 'web', rs.metadata.uid, true]]);
    }
    const status = (await c.get<ReplicaSet>('ReplicaSet', 'web')).status;
    assert.deepEqual(status, { replicas: 3, readyReplicas: 0, availableReplicas: 0, observedGeneration: 1 });
  });

  it('does not count Terminating pods: a deleted running pod is replaced at once and not deleted again', async () => {
    await c.create(replicaSet('web', 2));
    await c.runPods(await c.pods());
    c.kubeletStopsPods = false;
    const [victim] = await c.pods();
    await c.store.delete('Pod', 'default', victim!.metadata.name);
    await c.settle();
    const pods = await c.pods();
    const terminating = pods.filter((p) => p.metadata.deletionTimestamp);
    assert.deepEqual(terminating.map((p) => p.metadata.name), [victim!.metadata.name], 'the deleted pod waits for its containers to stop');
    assert.equal(pods.filter((p) => !p.metadata.deletionTimestamp).length, 2, 'a replacement was created while it stops');
    assert.equal((await c.get<ReplicaSet>('ReplicaSet', 'web')).status?.replicas, 2);

    // Scaling down leaves the Terminating pod alone and deletes a live one: the replacement, which
    // no node runs yet, goes at once.
    await c.change<ReplicaSet>('ReplicaSet', 'web', (rs) => (rs.spec.replicas = 1));
    const after = await c.pods();
    assert.equal(after.filter((p) => !p.metadata.deletionTimestamp && p.spec.nodeName).length, 1);
    assert.deepEqual(after.filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name), [victim!.metadata.name]);
    assert.equal(after.length, 2);
  });

  it('scales up and down, removing unscheduled and unready pods before ready ones', async () => {
    await c.create(replicaSet('web', 2));
    await c.runPods(await c.pods());
    await c.change<ReplicaSet>('ReplicaSet', 'web', (rs) => (rs.spec.replicas = 5));
    assert.equal((await c.pods()).length, 5);
    const ready = new Set((await c.pods()).filter((p) => p.spec.nodeName).map((p) => p.metadata.name));
    assert.equal(ready.size, 2);

    await c.change<ReplicaSet>('ReplicaSet', 'web', (rs) => (rs.spec.replicas = 2));
    const left = await c.pods();
    assert.deepEqual(new Set(left.map((p) => p.metadata.name)), ready);
    assert.deepEqual((await c.get<ReplicaSet>('ReplicaSet', 'web')).status, { replicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 3 });

    await c.change<ReplicaSet>('ReplicaSet', 'web', (rs) => (rs.spec.replicas = 0));
    assert.equal((await c.pods()).length, 0);
  });

  it('replaces pods that ended, deleting the ended ones', async () => {
    await c.create(replicaSet('web', 2));
    const [first] = await c.pods();
    await c.finishPods([first!], 'Failed');
    const pods = await c.pods();
    assert.equal(pods.length, 2);
    assert.ok(!pods.some((p) => p.metadata.name === first!.metadata.name), 'the failed pod is deleted');
    assert.ok(pods.every(isLive));
  });

  it('ignores pods it does not control and never adopts them', async () => {
    await c.store.create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    await c.create(replicaSet('web', 2));
    assert.equal((await c.pods()).length, 3);
  });

  it('counts a pod available only after it has been Ready for minReadySeconds', async () => {
    await c.create(replicaSet('web', 2, 10));
    await c.runPods(await c.pods());
    let status = (await c.get<ReplicaSet>('ReplicaSet', 'web')).status;
    assert.equal(status?.readyReplicas, 2);
    assert.equal(status?.availableReplicas, 0);
    await c.advance(9_000);
    assert.equal((await c.get<ReplicaSet>('ReplicaSet', 'web')).status?.availableReplicas, 0);
    await c.advance(1_000);
    status = (await c.get<ReplicaSet>('ReplicaSet', 'web')).status;
    assert.equal(status?.availableReplicas, 2);
  });

  it('recreates the pods of a ReplicaSet after a controller restart without duplicating them', async () => {
    await c.create(replicaSet('web', 4));
    await c.restartControllers();
    assert.equal((await c.pods()).length, 4);
  });

  it('creates all 10,000 pods of a large ReplicaSet', async function () {
    this.timeout(30_000);
    await c.create(replicaSet('big', 10_000));
    assert.equal((await c.pods()).length, 10_000);
    assert.equal((await c.get<ReplicaSet>('ReplicaSet', 'big')).status?.replicas, 10_000);
  });
});

describe('pickVictims', () => {
  const pod = (name: string, o: { node?: string; ready?: boolean; created: string }): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, creationTimestamp: o.created },
    spec: { containers: [], nodeName: o.node },
    status: o.node ? { phase: 'Running', conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False' }] } : { phase: 'Pending' },
  });

  it('prefers unscheduled, then not Ready, then the newest', () => {
    const pods = [
      pod('old-ready', { node: 'n', ready: true, created: '2026-01-01T00:00:00Z' }),
      pod('new-ready', { node: 'n', ready: true, created: '2026-01-01T00:05:00Z' }),
      pod('unready', { node: 'n', ready: false, created: '2026-01-01T00:00:00Z' }),
      pod('unscheduled', { created: '2026-01-01T00:00:00Z' }),
    ];
    assert.deepEqual(pickVictims(pods, 3).map((p) => p.metadata.name), ['unscheduled', 'unready', 'new-ready']);
  });
});
