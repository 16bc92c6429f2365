import assert from 'node:assert/strict';
import type { Container, Pod } from '../../../common/api/types';
import type { FakeExecutor } from '../../../node-agent/executor/fake';
import { needsSandbox } from '../../../node-agent/executor/types';
import { IMAGE, PodHarness } from './harness';

function pod(name: string, containers: Container[] = [{ name: 'main', image: IMAGE }]): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { containers, terminationGracePeriodSeconds: 5 },
  };
}

const twoContainers: Container[] = [
  { name: 'app', image: IMAGE, ports: [{ containerPort: 80, hostPort: 8080 }] },
  { name: 'sidecar', image: IMAGE },
];

const assign = (p: Pod) => ({ pod: p, configMaps: [], secrets: [] });

describe('pod network shapes: sandbox only for multi-container pods', () => {
  let h: PodHarness;
  let executor: FakeExecutor;

  const latest = (uid: string) => h.latest(uid);
  const ipOf = (id: string) => executor.containers.get(id)!.info.ip;
  const newManager = () => h.newManager();
  const advance = (ms: number, step = 50) => h.advance(ms, step);

  beforeEach(() => {
    h = new PodHarness();
    executor = h.executor;
  });

  afterEach(() => h.close());

  it('needsSandbox is true only for pods with more than one container', () => {
    assert.equal(needsSandbox(pod('one')), false);
    assert.equal(needsSandbox(pod('two', twoContainers)), true);
  });

  it('a single-container pod gets no sandbox: its container owns the network and its IP is the pod IP', async () => {
    const m = await newManager();
    m.sync(true, [assign(pod('solo'))], []);
    await advance(100);
    assert.equal(executor.idsFor('uid-solo', '_sandbox').length, 0);
    const id = executor.idsFor('uid-solo', 'main')[0]!;
    assert.deepEqual(executor.containers.get(id)!.resolved!.network, { mode: 'own' });
    const s = latest('uid-solo');
    assert.equal(s?.phase, 'Running');
    assert.match(ipOf(id), /^10\.88\./);
    assert.equal(s?.pod_ip, ipOf(id));
  });

  it('starts a single-container pod with one create, one start and one inspect (its own start event causes no extra look)', async () => {
    executor.calls = [];
    const m = await newManager();
    m.sync(true, [assign(pod('fast'))], []);
    await advance(100);
    const id = executor.idsFor('uid-fast', 'main')[0]!;
    assert.deepEqual(executor.calls, [`create ${executor.containers.get(id)!.info.name}`, `start ${id}`, `inspect ${id}`]);
  });

  it('a multi-container pod keeps a sandbox whose network its containers join and whose IP is the pod IP', async () => {
    const m = await newManager();
    m.sync(true, [assign(pod('duo', twoContainers))], []);
    await advance(100);
    const [sandbox] = executor.idsFor('uid-duo', '_sandbox');
    assert.ok(sandbox);
    for (const name of ['app', 'sidecar']) {
      const id = executor.idsFor('uid-duo', name)[0]!;
      assert.deepEqual(executor.containers.get(id)!.resolved!.network, { mode: 'sandbox', sandboxId: sandbox });
    }
    assert.equal(latest('uid-duo')?.phase, 'Running');
    assert.equal(latest('uid-duo')?.pod_ip, ipOf(sandbox));
  });

  it('a restarted single container may get a new IP and the pod IP follows it', async () => {
    const m = await newManager();
    m.sync(true, [assign(pod('moving'))], []);
    await advance(100);
    const first = executor.idsFor('uid-moving', 'main')[0]!;
    const firstIp = latest('uid-moving')?.pod_ip;
    assert.equal(firstIp, ipOf(first));
    executor.exit(first, 137);
    await advance(100);
    const second = executor.idsFor('uid-moving', 'main')[1]!;
    assert.equal(latest('uid-moving')?.containers?.[0]?.restart_count, 1);
    assert.notEqual(ipOf(second), firstIp);
    assert.equal(latest('uid-moving')?.pod_ip, ipOf(second));
  });

  it('adopts a single-container pod (no sandbox record) after an agent restart, keeping id and pod IP', async () => {
    const m1 = await newManager();
    m1.sync(true, [assign(pod('kept'))], []);
    await advance(100);
    const id = executor.idsFor('uid-kept', 'main')[0]!;
    const before = latest('uid-kept')!;
    await m1.stop();
    await advance(1000);

    const m2 = await newManager();
    m2.sync(true, [assign(pod('kept'))], []);
    await advance(100);
    const after = m2.podStatus('uid-kept')!;
    assert.equal(after.containers?.[0]?.container_id, `docker://${id}`);
    assert.equal(after.pod_ip, before.pod_ip);
    assert.equal(after.start_time, executor.containers.get(id)!.info.startedAt, 'start time comes from the adopted container, not the new agent');
    assert.equal(executor.idsFor('uid-kept', '_sandbox').length, 0);
  });

  it('keeps using the sandbox of an adopted single-container pod created with one (older agents)', async () => {
    // What an older agent left behind: a sandbox and a container in its network namespace.
    const p = pod('legacy');
    const sandbox = await executor.ensureSandbox(p, IMAGE);
    const old = await executor.createContainer(p, p.spec.containers[0]!, { env: {}, mounts: [], attempt: 0, network: { mode: 'sandbox', sandboxId: sandbox } });
    await executor.start(old);

    const m = await newManager();
    m.sync(true, [assign(p)], []);
    await advance(100);
    assert.equal(latest('uid-legacy')?.pod_ip, ipOf(sandbox));
    executor.exit(old, 1);
    await advance(100);
    const replacement = executor.idsFor('uid-legacy', 'main')[1]!;
    assert.deepEqual(executor.containers.get(replacement)!.resolved!.network, { mode: 'sandbox', sandboxId: sandbox });
  });

  it('removing a single-container pod removes its container (no sandbox to remove); a multi-container pod loses its sandbox too', async () => {
    const m = await newManager();
    m.sync(true, [assign(pod('solo')), assign(pod('duo', twoContainers))], []);
    await advance(100);
    m.sync(true, [], []);
    await advance(100);
    await Promise.all([m.waitRemoved('uid-solo'), m.waitRemoved('uid-duo')]);
    assert.deepEqual([...executor.containers.keys()], []);
  });
});
