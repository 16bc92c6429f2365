// local-path claims over the real API (integration: etcd + controller process + hollow nodes over
// real gRPC): a claim waits for its first pod, is provisioned on the node that pod is scheduled
// to, every later pod using it lands there too, and deleting it (Delete) removes the directory on
// that node's agent before the volume object goes.
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import type { KObject, Node, PersistentVolume, PersistentVolumeClaim, Pod } from '../../common/api/types';
import { isKiteError } from '../../common/errors';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { startHollowNode, type HollowNode } from '../harness/hollow-node';
import { startController, eventually, type ControllerHandle } from '../harness/processes';
import { requireCommand } from '../harness/require';

const NS = `local-path-${process.pid}`;

function pod(name: string, claimName: string): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS },
    spec: {
      containers: [{ name: 'c', image: 'busybox:1', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
    },
  };
}

describe('local-path claims (integration: etcd + controller + hollow nodes)', function () {
  this.timeout(60_000);
  let etcd: EtcdHandle | undefined;
  let ctl: ControllerHandle | undefined;
  const nodes: HollowNode[] = [];

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    etcd = await startEtcd();
    ctl = await startController({ etcd: etcd.endpoint, prefix: '/kite-it-local-path', heartbeatMs: 500 });
    for (const n of ['a', 'b', 'c']) nodes.push(await startHollowNode(ctl.target, ctl.client, `lp-${n}-${process.pid}`));
    await ctl.client.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } as KObject]);
  });

  after(async function () {
    this.timeout(30_000);
    for (const n of nodes) await n.agent.stop().catch(() => undefined);
    await ctl?.stop();
    await etcd?.stop();
  });

  it('binds a claim when its first pod is scheduled, keeps later pods on that node, and removes the directory when the claim goes', async () => {
    const client = ctl!.client;
    await eventually(async () => !!(await client.get('StorageClass', 'local-path')), 20_000, 'the built-in local-path class');
    const claim: PersistentVolumeClaim = {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: NS },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    };
    const applied = await client.apply([claim]);
    assert.deepEqual(applied.warnings, []);
    await eventually(async () => (await client.get<PersistentVolumeClaim>('PersistentVolumeClaim', 'data', NS)).spec.storageClassName === 'local-path', 20_000, 'the default class assigned');
    assert.equal((await client.get<PersistentVolumeClaim>('PersistentVolumeClaim', 'data', NS)).status?.phase, 'Pending', 'waits for its first consumer');

    await client.apply([pod('first', 'data')]);
    const first = await eventually(async () => {
      const p = await client.get<Pod>('Pod', 'first', NS);
      return p.status?.phase === 'Running' ? p : undefined;
    }, 30_000, 'the first pod Running');
    const node = first.spec.nodeName!;
    const bound = await client.get<PersistentVolumeClaim>('PersistentVolumeClaim', 'data', NS);
    assert.equal(bound.status?.phase, 'Bound');
    const pv = await client.get<PersistentVolume>('PersistentVolume', bound.spec.volumeName!);
    const storageDir = (await client.get<Node>('Node', node)).metadata.annotations?.['kite.io/storage-dir'];
    assert.ok(storageDir, 'the agent registered its storage dir');
    assert.equal(pv.spec.local?.path, `${storageDir}/pvc-${bound.metadata.uid}_${NS}_data`);
    assert.ok((await stat(pv.spec.local!.path)).isDirectory(), 'the agent created the directory on its node');

    for (const name of ['second', 'third']) await client.apply([pod(name, 'data')]);
    for (const name of ['second', 'third']) {
      await eventually(async () => (await client.get<Pod>('Pod', name, NS)).spec.nodeName !== undefined, 20_000, `${name} scheduled`);
      assert.equal((await client.get<Pod>('Pod', name, NS)).spec.nodeName, node, `${name} lands where the volume is`);
    }

    await client.delete('PersistentVolumeClaim', 'data', NS);
    const held = await client.get<PersistentVolumeClaim>('PersistentVolumeClaim', 'data', NS);
    assert.ok(held.metadata.deletionTimestamp, 'Terminating while pods use it');
    for (const name of ['first', 'second', 'third']) await client.delete('Pod', name, NS, { gracePeriodSeconds: 0 });
    await eventually(async () => {
      try {
        await client.get('PersistentVolume', pv.metadata.name);
        return false;
      } catch (e) {
        return isKiteError(e, 'NotFound');
      }
    }, 30_000, 'the volume deleted once its directory was removed');
    await assert.rejects(stat(pv.spec.local!.path), 'the directory is gone from the node');
  });
});
