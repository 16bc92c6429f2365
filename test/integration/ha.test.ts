// Controller crashes and leader failover, with real controller processes on one real etcd.
import assert from 'node:assert/strict';
import type { ConfigMap, Deployment, KObject } from '../../common/api/types';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { startController, eventually, type ControllerHandle } from '../harness/processes';
import { requireCommand } from '../harness/require';

function configMap(name: string, value: string): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { value } };
}

function deployment(name: string): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'busybox:1' }] } },
    },
  } as Deployment;
}

const identity = (o: KObject) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name} uid=${o.metadata.uid} rv=${o.metadata.resourceVersion}`;

describe('control plane availability (integration: etcd + controllers)', function () {
  this.timeout(60_000);
  let etcd: EtcdHandle | undefined;
  const controllers: ControllerHandle[] = [];

  async function controller(id: string, prefix: string): Promise<ControllerHandle> {
    const c = await startController({ etcd: etcd!.endpoint, prefix, id, leaderTtlSeconds: 2 });
    controllers.push(c);
    return c;
  }

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    etcd = await startEtcd();
  });

  after(async () => {
    for (const c of controllers) await c.stop();
    await etcd?.stop();
  });

  it('a controller killed with SIGKILL and started again has lost nothing', async () => {
    const prefix = '/kite-it-restart';
    const first = await controller('restart-1', prefix);
    const objects = [...Array.from({ length: 20 }, (_, i) => configMap(`cm-${i}`, `v${i}`)), deployment('keeper')];
    await first.client.apply(objects);
    // Writes through the API are durable once acknowledged, so read the state back now.
    const before = [...(await first.client.list('ConfigMap')).items, ...(await first.client.list('Deployment')).items];
    assert.equal(before.length, 21);
    await first.kill();

    const second = await controller('restart-2', prefix);
    const after = [...(await second.client.list('ConfigMap')).items, ...(await second.client.list('Deployment')).items];
    // The Deployment's status may have been written by the leader since; identity and spec must hold.
    const keep = (list: KObject[]) => list.filter((o) => o.kind === 'ConfigMap').map(identity).sort();
    assert.deepEqual(keep(after), keep(before));
    const d1 = before.find((o) => o.kind === 'Deployment')!;
    const d2 = after.find((o) => o.kind === 'Deployment')!;
    assert.equal(d2.metadata.uid, d1.metadata.uid);
    assert.equal(d2.metadata.generation, d1.metadata.generation);
    assert.deepEqual(d2.spec, d1.spec);
    assert.equal((await second.client.get<ConfigMap>('ConfigMap', 'cm-7')).data?.value, 'v7');
  });

  it('two controllers: one leads, both serve; when the leader is killed the other takes over quickly', async () => {
    const prefix = '/kite-it-failover';
    const a = await controller('ctl-a', prefix);
    const b = await controller('ctl-b', prefix);
    const [va, vb] = await eventually(
      async () => {
        const v = [await a.client.version(), await b.client.version()] as const;
        return v[0].leader_id && v[0].leader_id === v[1].leader_id ? v : undefined;
      },
      15_000,
      'both controllers to agree on a leader',
    );
    assert.equal(Number(va.is_leader) + Number(vb.is_leader), 1, 'exactly one controller reports is_leader');
    const [leader, follower] = va.is_leader ? [a, b] : [b, a];
    const followerId = va.is_leader ? 'ctl-b' : 'ctl-a';
    assert.equal(va.leader_id, va.is_leader ? 'ctl-a' : 'ctl-b');

    // The follower serves the API too: a write through it is visible through the leader.
    const res = await follower.client.apply([configMap('via-follower', 'yes')]);
    assert.equal(res.results[0]?.action, 'created');
    assert.equal((await leader.client.get<ConfigMap>('ConfigMap', 'via-follower')).data?.value, 'yes');

    const killedAt = Date.now();
    await leader.kill();
    await eventually(async () => (await follower.client.version()).is_leader, 10_000, `${followerId} to become leader`);
    const took = Date.now() - killedAt;
    console.log(`      leader failover took ${took} ms (leader TTL 2 s)`);
    assert.ok(took < 8000, `failover took ${took} ms`);
    const v = await follower.client.version();
    assert.equal(v.leader_id, followerId);
    assert.equal((await follower.client.get<ConfigMap>('ConfigMap', 'via-follower')).data?.value, 'yes');
  });
});
