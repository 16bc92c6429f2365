// Faults under one node agent on a real (private) Docker Engine: the host's dockerd stopped and
// started again while the agent runs, and the agent SIGKILLed in the middle of starting pods. The
// engine's own container list (labels kite.pod.uid etc.) is the ground truth the API must match.
// Each test host has its own dockerd, so stopping it never touches the machine's main engine.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Pod } from '../../common/api/types';
import { processAlive, type TestHost } from '../harness/hosts';
import { eventually, NS, nodeReady, podReady, requireHostTools, startCluster, type EngineContainer, type MultiHostCluster } from './fixture';

const IMAGE = 'kite-test/busybox:1';

/** A pod of busybox httpd with a readiness probe; with `sidecar`, a second container (so a sandbox too). */
function webPod(group: string, name: string, sidecar: boolean): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { group } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'web',
          image: IMAGE,
          command: ['sh', '-c', 'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 80 -h /www'],
          readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 },
        },
        ...(sidecar ? [{ name: 'side', image: IMAGE, command: ['sleep', '3600'] }] : []),
      ],
    },
  } as Pod;
}


const byPod = (list: EngineContainer[], uid: string, container?: string) =>
  list.filter((c) => c.podUid === uid && (container === undefined || c.container === container));

describe('node agent faults on a real Docker Engine (multi-host)', function () {
  this.timeout(90_000);
  let c: MultiHostCluster | undefined;
  const cluster = () => c!;
  const host = (): TestHost => cluster().hosts.hosts[0]!;

  before(async function () {
    this.timeout(120_000);
    requireHostTools(this);
    // A long node grace: the agent keeps heartbeating through these faults, and no pod may move.
    c = await startCluster({ hosts: 1, controllers: 1, nodeGraceSeconds: 30, heartbeatMs: 500 });
    await eventually(async () => nodeReady(await c!.node(c!.hosts.hosts[0]!.name)), 30_000, 'the node Ready');
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !c) return;
    // The hosts' files go with the teardown: show what the agent and the API said first.
    const h = host();
    const tail = fs.existsSync(h.agentLog) ? fs.readFileSync(h.agentLog, 'utf8').split('\n').slice(-80).join('\n') : '';
    console.error(`--- agent log (${h.agentLog}), last lines:\n${tail}`);
    const pods = await cluster().pods().catch(() => []);
    console.error(`--- pods:\n${pods.map((p) => `${p.metadata.name} ${JSON.stringify(p.status)}`).join('\n')}`);
    console.error(`--- engine:\n${JSON.stringify(await cluster().kiteContainersOn(h).catch((e: unknown) => String(e)))}`);
    // Leave a clean host for the next test.
    await deleteAllAndExpectNothingLeft().catch((e: unknown) => console.error(`cleanup after the failure: ${String(e)}`));
  });

  after(async () => {
    await c?.teardown();
  });

  async function groupPods(group: string): Promise<Pod[]> {
    return cluster().pods(`group=${group}`);
  }

  async function allRunningAndReady(group: string, n: number): Promise<Pod[] | undefined> {
    const pods = await groupPods(group);
    return pods.length === n && pods.every((p) => p.status?.phase === 'Running' && podReady(p) && !p.status.reason) ? pods : undefined;
  }

  /** Deletes every pod and waits until the engine holds no Kite container at all. */
  async function deleteAllAndExpectNothingLeft(): Promise<void> {
    for (const p of await cluster().pods()) await cluster().client().delete('Pod', p.metadata.name, NS);
    await eventually(async () => (await cluster().pods()).length === 0, 30_000, 'pods deleted from the API');
    await eventually(async () => (await cluster().kiteContainersOn(host())).length === 0, 30_000, 'no Kite container left on the engine');
  }

  it('reports ContainerRuntimeUnavailable while the engine is stopped, and runs the pods again once it is back', async () => {
    const h = host();
    const pods = [webPod('engine', 'eng-a', false), webPod('engine', 'eng-b', false), webPod('engine', 'eng-duo', true)];
    await cluster().client().apply(pods);
    const before = await eventually(() => allRunningAndReady('engine', pods.length), 40_000, 'pods Running and Ready');
    const agentPid = h.agentPid;
    const idsBefore = new Map(before.map((p) => [p.metadata.uid!, new Map(p.status!.containerStatuses!.map((s) => [s.name, s.containerID]))]));

    await cluster().hosts.stopEngine(h);
    try {
      const down = await eventually(
        async () => {
          const ps = await groupPods('engine');
          return ps.every((p) => p.status?.reason === 'ContainerRuntimeUnavailable') ? ps : undefined;
        },
        20_000,
        'every pod reported ContainerRuntimeUnavailable',
      );
      for (const p of down) {
        assert.equal(podReady(p), false, `${p.metadata.name} is not Ready while the engine is away`);
        for (const s of p.status!.containerStatuses!) {
          assert.equal(s.ready, false, `${p.metadata.name}/${s.name} is not reported ready while the engine is away`);
          assert.equal(s.state?.running, undefined, `${p.metadata.name}/${s.name} is not reported running while the engine is away`);
          assert.equal(s.state?.waiting?.reason, 'ContainerRuntimeUnavailable', `${p.metadata.name}/${s.name} says why`);
        }
      }
      assert.ok(processAlive(agentPid), 'the agent keeps running without its engine');
      assert.ok(nodeReady(await cluster().node(h.name)), 'the node stays Ready: its agent still heartbeats');
    } finally {
      await cluster().hosts.startEngine(h);
    }
    const after = await eventually(() => allRunningAndReady('engine', pods.length), 40_000, 'pods Running and Ready after the engine returned');
    assert.equal(h.agentPid, agentPid);
    assert.ok(processAlive(agentPid), 'the same agent process carried on');

    assert.deepEqual(after.map((x) => x.metadata.uid).sort(), before.map((x) => x.metadata.uid).sort(), 'the same pods (none replaced)');
    const engine = await cluster().kiteContainersOn(h);
    for (const p of after) {
      const uid = p.metadata.uid!;
      for (const s of p.status!.containerStatuses!) {
        const running = byPod(engine, uid, s.name).filter((x) => x.state === 'running');
        assert.equal(running.length, 1, `${p.metadata.name}/${s.name}: one running container on the engine`);
        const live = running[0]!;
        assert.equal(s.containerID, `docker://${live.id}`, `${p.metadata.name}/${s.name}: status names the running container`);
        // The engine stopped the containers: whether restarted or not, the count says what happened.
        assert.equal(s.restartCount, live.restartCount, `${p.metadata.name}/${s.name}: restart count matches the engine's instance`);
        if (s.containerID !== idsBefore.get(uid)?.get(s.name)) {
          assert.ok(s.restartCount >= 1, `${p.metadata.name}/${s.name}: a new instance counts as a restart`);
          assert.ok(s.lastState?.terminated, `${p.metadata.name}/${s.name}: the previous instance shows as terminated`);
        } else {
          assert.equal(s.restartCount, 0, `${p.metadata.name}/${s.name}: an adopted instance is no restart`);
        }
      }
      const sandboxes = byPod(engine, uid, '_sandbox');
      assert.equal(sandboxes.length, p.spec.containers.length > 1 ? 1 : 0, `${p.metadata.name}: sandbox count`);
    }

    await deleteAllAndExpectNothingLeft();
  });

  it('starts every pod exactly once when the agent is SIGKILLed in the middle of starting them', async () => {
    const h = host();
    const pods = Array.from({ length: 6 }, (_, i) => webPod('midstart', `mid-${i}`, i % 2 === 1));
    const expected = (p: Pod) => p.spec.containers.length + (p.spec.containers.length > 1 ? 1 : 0);
    await cluster().client().apply(pods);

    // Kill the agent as soon as its first container exists on the engine: the others are mid-start.
    const atKill = await eventually(
      async () => {
        const list = await cluster().kiteContainersOn(h);
        return list.length > 0 ? list : undefined;
      },
      20_000,
      'the first container created',
    );
    await cluster().hosts.stopAgent(h, 'SIGKILL');
    const total = pods.reduce((n, p) => n + expected(p), 0);
    const running = (list: EngineContainer[]) => list.filter((x) => x.state === 'running').length;
    assert.ok(running(atKill) < total, `the kill came while pods were still starting (${running(atKill)}/${total} containers running)`);

    // The next agent adopts that half-started state; kill it too as soon as it has moved it on.
    const picture = (list: EngineContainer[]) => list.map((x) => `${x.id}:${x.state}`).sort().join();
    cluster().hosts.startAgent(h, cluster().server());
    await eventually(
      async () => picture(await cluster().kiteContainersOn(h)) !== picture(atKill),
      20_000,
      'the restarted agent at work',
    );
    await cluster().hosts.stopAgent(h, 'SIGKILL');

    cluster().hosts.startAgent(h, cluster().server());
    const after = await eventually(() => allRunningAndReady('midstart', pods.length), 40_000, 'every pod Running and Ready after the agent restart');

    const engine = await cluster().kiteContainersOn(h);
    const uids = new Set(after.map((p) => p.metadata.uid!));
    assert.deepEqual(
      engine.filter((x) => !uids.has(x.podUid)),
      [],
      'no container of an unknown pod',
    );
    for (const p of after) {
      const uid = p.metadata.uid!;
      const mine = byPod(engine, uid);
      assert.equal(mine.length, expected(p), `${p.metadata.name}: exactly one container per pod container (and one sandbox if any): ${JSON.stringify(mine)}`);
      assert.ok(mine.every((x) => x.state === 'running'), `${p.metadata.name}: all running`);
      for (const s of p.status!.containerStatuses!) {
        const live = byPod(mine, uid, s.name)[0]!;
        assert.equal(s.containerID, `docker://${live.id}`, `${p.metadata.name}/${s.name}: status names the engine's container`);
        assert.equal(s.restartCount, 0, `${p.metadata.name}/${s.name}: started once, no restart`);
      }
    }

    await deleteAllAndExpectNothingLeft();
  });
});
