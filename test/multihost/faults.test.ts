// Faults on three real hosts with two controllers (--leader-ttl 2, --node-grace 3): agent restart
// mid-rollout, a network partition and its heal, an etcd outage, the leader's crash mid-rollout and
// the loss of a whole host. The cases share one cluster and run in order, least destructive first.
import assert from 'node:assert/strict';
import type { ConfigMap, Pod } from '../../common/api/types';
import { isKiteError } from '../../common/errors';
import type { HostController } from '../harness/hosts';
import { eventually, fullyAvailable, nodeReady, podReady, requireHostTools, startCluster, webDeployment, type MultiHostCluster } from './fixture';

// Long enough for an agent restarted in the middle of a rollout (its engine busy) to be back
// before its node lapses: the restart must be the thing tested, not a lapse.
const GRACE_S = 6;
const HEARTBEAT_MS = 500;
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Kite under faults on three hosts (multi-host)', function () {
  this.timeout(120_000);
  let c: MultiHostCluster | undefined;
  const cluster = () => c!;

  async function isLeader(ctl: HostController): Promise<boolean> {
    try {
      const res = await fetch(`http://${cluster().hosts.bridgeIp}:${ctl.httpPort}/metrics`, { signal: AbortSignal.timeout(2000) });
      return /^kite_controller_is_leader 1$/m.test(await res.text());
    } catch {
      return false;
    }
  }

  /** Pod uid -> node for a Deployment's pods. */
  async function placement(app: string): Promise<Map<string, string>> {
    return new Map((await cluster().pods(`app=${app}`)).map((p) => [p.metadata.uid!, p.spec.nodeName!]));
  }

  before(async function () {
    this.timeout(180_000);
    requireHostTools(this);
    c = await startCluster({ hosts: 3, controllers: 2, nodeGraceSeconds: GRACE_S, heartbeatMs: HEARTBEAT_MS, leaderTtlSeconds: 2 });
    await eventually(async () => (await c!.client().list('Node')).items.filter((n) => nodeReady(n as never)).length === 3, 30_000, 'three Ready nodes');
  });

  after(async () => {
    await c?.teardown();
  });

  it('adopts running containers when an agent restarts during a rollout, and the rollout completes', async () => {
    const [h0] = cluster().hosts.hosts;
    await cluster().client().apply([webDeployment('steady', 3), webDeployment('roll', 6)]);
    await fullyAvailable(cluster(), 'steady', 3, 60_000);
    await fullyAvailable(cluster(), 'roll', 6, 60_000);
    const steadyOnH0 = (await cluster().pods('app=steady')).filter((p) => p.spec.nodeName === h0!.name);
    assert.ok(steadyOnH0.length > 0, 'a steady pod runs on host 0');
    const before = await cluster().runningOn(h0!);

    await cluster().client().apply([webDeployment('roll', 6, 'v2')]);
    await cluster().hosts.restartAgent(h0!);

    await fullyAvailable(cluster(), 'roll', 6, 60_000);
    const after = await cluster().runningOn(h0!);
    for (const p of steadyOnH0) {
      assert.deepEqual(after.get(p.metadata.uid!), before.get(p.metadata.uid!), `${p.metadata.name} kept its container`);
      const now = await cluster().client().get<Pod>('Pod', p.metadata.name, p.metadata.namespace);
      assert.equal(now.status?.containerStatuses?.[0]?.restartCount, 0);
    }
    for (const p of await cluster().pods('app=roll')) assert.equal(p.spec.containers[0]!.env?.[0]?.value, 'v2');
  });

  it('replaces the pods of a cut-off host after the grace period, and stops its stale copies after the heal', async () => {
    const cut = cluster().hosts.hosts[2]!;
    await cluster().client().apply([webDeployment('part', 6)]);
    await fullyAvailable(cluster(), 'part', 6, 60_000);
    const stale = [...(await placement('part'))].filter(([, node]) => node === cut.name).map(([uid]) => uid);
    assert.ok(stale.length > 0, 'some pods run on the host we cut off');

    const cutAt = Date.now();
    cluster().hosts.cutOff(cut);
    try {
    await eventually(async () => !nodeReady(await cluster().node(cut.name)), 20_000, `${cut.name} NotReady`);
    const notReadyAfter = Date.now() - cutAt;
    // The node lease is refreshed at most every third of its TTL, so it can lapse up to a third early.
    assert.ok(notReadyAfter >= (GRACE_S * 1000 * 2) / 3 - HEARTBEAT_MS, `NotReady only after about the ${GRACE_S} s grace (took ${notReadyAfter} ms)`);
    assert.ok(notReadyAfter <= GRACE_S * 1000 + 3000, `NotReady soon after the grace (took ${notReadyAfter} ms)`);

    await eventually(async () => [...(await placement('part')).values()].every((n) => n !== cut.name), 10_000, 'cut-off pods evicted');
    await fullyAvailable(cluster(), 'part', 6, 30_000);
    const now = await placement('part');
    for (const uid of stale) assert.ok(!now.has(uid), 'the cut-off pods were replaced');
    assert.ok(![...now.values()].includes(cut.name), 'no replacement went to the cut-off host');
    // The host still runs its copies: it cannot hear anyone.
    const meanwhile = await cluster().runningOn(cut);
    assert.ok(stale.every((uid) => meanwhile.has(uid)), 'stale copies still run on the cut-off host while partitioned');

    } catch (e) {
      cluster().hosts.heal(cut);
      throw e;
    }
    const healedAt = Date.now();
    cluster().hosts.heal(cut);
    await eventually(async () => {
      const running = await cluster().runningOn(cut);
      return stale.every((uid) => !running.has(uid));
    }, 30_000, 'stale copies stopped after the heal');
    const staleFor = Date.now() - healedAt;
    // Stale copies on the healed host are stopped as soon as its agent is back in session: it
    // retries at most every 2 s (jittered), registers, and gets its pods marked Terminating.
    assert.ok(staleFor <= 2 * HEARTBEAT_MS + 3500, `stale copies stopped ${staleFor} ms after the heal`);
    await eventually(async () => nodeReady(await cluster().node(cut.name)), 20_000, `${cut.name} Ready again`);
    await fullyAvailable(cluster(), 'part', 6, 10_000);
  });

  it('answers Unavailable while etcd is down, keeps pods running, and loses or duplicates nothing', async function () {
    this.timeout(90_000);
    await cluster().client().apply([webDeployment('calm', 4)]);
    await fullyAvailable(cluster(), 'calm', 4, 60_000);
    const podsBefore = await cluster().pods();
    const containersBefore = new Map<string, string[]>();
    for (const h of cluster().hosts.hosts) for (const [uid, ids] of await cluster().runningOn(h)) containersBefore.set(uid, ids);

    // Load: a writer keeps creating ConfigMaps throughout; it records which ones the API acknowledged.
    const acknowledged: string[] = [];
    const unavailable: number[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `load-${i}`, namespace: 'default' }, data: { i: String(i) } };
        try {
          await cluster().client().apply([cm]);
          acknowledged.push(cm.metadata.name);
        } catch (e) {
          if (isKiteError(e, 'Unavailable')) unavailable.push(i);
          else throw e;
        }
        await delay(100);
      }
    })();

    await delay(1000);
    await cluster().etcd.pause();
    const downAt = Date.now();
    await delay(2000);
    await assert.rejects(cluster().client().list('Pod'), (e: unknown) => isKiteError(e, 'Unavailable'), 'reads are Unavailable');
    await delay(Math.max(0, 10_000 - (Date.now() - downAt)));
    for (const h of cluster().hosts.hosts) {
      for (const [uid, ids] of await cluster().runningOn(h)) {
        if (containersBefore.has(uid)) assert.deepEqual(ids, containersBefore.get(uid), 'pods keep running without etcd');
      }
    }
    await cluster().etcd.restart();
    await eventually(async () => (await cluster().client().list('Pod')).items.length > 0, 30_000, 'API back');
    await delay(1000);
    writing = false;
    await writer;

    assert.ok(unavailable.length > 0, 'some writes were refused as Unavailable during the outage');
    const cms = (await cluster().client().list<ConfigMap>('ConfigMap', { namespace: 'default' })).items.map((x) => x.metadata.name);
    for (const name of acknowledged) assert.ok(cms.includes(name), `${name} was acknowledged and kept`);
    assert.equal(new Set(cms).size, cms.length, 'no ConfigMap duplicated');
    const podsAfter = await cluster().pods();
    assert.deepEqual(podsAfter.map((p) => p.metadata.uid).sort(), podsBefore.map((p) => p.metadata.uid).sort(), 'same pods, none lost or added');
    await fullyAvailable(cluster(), 'calm', 4, 20_000);
  });

  it('fails over to the other controller within 5 s when the leader dies mid-rollout, and the rollout completes', async () => {
    const [a, b] = cluster().controllers;
    const leader = await eventually(async () => ((await isLeader(a!)) ? a! : (await isLeader(b!)) ? b! : undefined), 15_000, 'a leader');
    const other = leader === a ? b! : a!;
    assert.equal(await isLeader(other), false, 'the other does not');
    await cluster().client().apply([webDeployment('fo', 6)]);
    await fullyAvailable(cluster(), 'fo', 6, 60_000);

    await cluster().client().apply([webDeployment('fo', 6, 'v2')]);
    await delay(500);
    await leader.kill();
    const killedAt = Date.now();
    await eventually(() => isLeader(other), 8_000, 'the other controller leads');
    const tookMs = Date.now() - killedAt;
    assert.ok(tookMs <= 5000, `new leader after ${tookMs} ms`);

    await fullyAvailable(cluster(), 'fo', 6, 60_000);
    for (const p of await cluster().pods('app=fo')) {
      assert.equal(p.spec.containers[0]!.env?.[0]?.value, 'v2');
      assert.ok(podReady(p));
    }
  });

  it('runs a lost host\'s pods on the others within the grace period plus a few seconds', async () => {
    const lost = cluster().hosts.hosts[1]!;
    // Only this test's pods are on the clock: what earlier tests left running goes first.
    for (const d of (await cluster().client().list('Deployment', { namespace: 'default' })).items) {
      await cluster().client().delete('Deployment', d.metadata.name, 'default');
    }
    await eventually(async () => (await cluster().client().list('Pod', { namespace: 'default' })).items.length === 0, 60_000, 'earlier pods gone');
    await cluster().client().apply([webDeployment('loss', 6)]);
    await fullyAvailable(cluster(), 'loss', 6, 60_000);
    const onLost = [...(await placement('loss'))].filter(([, n]) => n === lost.name);
    assert.ok(onLost.length > 0, 'some pods run on the host we kill');

    const killedAt = Date.now();
    cluster().hosts.kill(lost);
    await eventually(async () => [...(await placement('loss')).values()].every((n) => n !== lost.name), (GRACE_S + 10) * 1000, 'lost pods evicted');
    await fullyAvailable(cluster(), 'loss', 6, (GRACE_S + 15) * 1000);
    const tookMs = Date.now() - killedAt;
    assert.ok(tookMs <= (GRACE_S + 8) * 1000, `recovered in ${tookMs} ms`);
    const now = await placement('loss');
    assert.ok(![...now.values()].includes(lost.name), 'nothing left on the lost host');
    assert.equal(now.size, 6);
  });
});
