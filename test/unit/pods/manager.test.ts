import assert from 'node:assert/strict';
import type { Pod } from '../../../common/api/types';
import type { PodStatusReport } from '../../../common/generated/kite/v1/PodStatusReport';
import type { FakeExecutor } from '../../../node-agent/executor/fake';
import { IMAGE, PodHarness } from './harness';

function pod(name: string, spec: Partial<Pod['spec']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { containers: [{ name: 'main', image: IMAGE }], terminationGracePeriodSeconds: 5, ...spec },
  };
}

const assign = (p: Pod) => ({ pod: p, configMaps: [], secrets: [] });

describe('PodManager (with FakeExecutor and FakeClock)', () => {
  let h: PodHarness;
  let executor: FakeExecutor;
  let reports: PodStatusReport[][];
  let timings: string[];

  const latest = (uid: string) => h.latest(uid);
  const containerOf = (uid: string) => latest(uid)?.containers?.[0];
  const newManager = () => h.newManager();
  const advance = (ms: number, step = 50) => h.advance(ms, step);

  beforeEach(() => {
    h = new PodHarness();
    ({ executor, reports } = h);
    timings = h.timings;
  });

  afterEach(() => h.close());

  it('runs an assigned pod and reports it Running and ready', async () => {
    const m = await newManager();
    m.sync(true, [assign(pod('web'))], []);
    await advance(100);
    const r = latest('uid-web');
    assert.equal(r?.phase, 'Running');
    assert.equal(r?.ready, true);
    assert.equal(r?.containers?.[0]?.state, 'running');
    assert.match(r?.pod_ip ?? '', /^10\.88\./);
    assert.equal(executor.idsFor('uid-web', 'main').length, 1);
  });

  it('reports how long the pull, create and start of a container took, once each', async () => {
    const m = await newManager();
    m.sync(true, [assign(pod('timed'))], []);
    await advance(100);
    assert.deepEqual(timings, ['pull', 'create', 'start']);
  });

  it('tells what happened as kubelet does: Pulled, Created, Started, then Killing when the pod goes', async () => {
    const m = await newManager();
    m.sync(true, [assign(pod('evented'))], []);
    await advance(100);
    assert.deepEqual(h.events.map((e) => e.split(':')[0]), ['Pulled', 'Created', 'Started']);
    assert.match(h.events[2]!, /Started container main/);
    m.sync(false, [], ['uid-evented']);
    await advance(6000);
    assert.ok(h.events.includes('Killing: Stopping container main'), h.events.join(' | '));
  });

  it('reports a status only when it changes, and batches changes within the window', async () => {
    const m = await newManager();
    m.sync(true, [assign(pod('a')), assign(pod('b'))], []);
    await advance(100);
    const runningBatches = reports.filter((b) => b.some((r) => r.phase === 'Running'));
    assert.equal(runningBatches.length, 1, 'both pods arrive in one batch');
    assert.deepEqual(runningBatches[0]!.map((r) => r.name).sort(), ['a', 'b']);
    const count = reports.flat().length;
    await advance(20_000, 500); // several polls, nothing changes
    assert.equal(reports.flat().length, count);
  });

  it('restarts a container that exits (restartPolicy Always) and counts it', async () => {
    const m = await newManager();
    m.sync(true, [assign(pod('web'))], []);
    await advance(100);
    const [first] = executor.idsFor('uid-web', 'main');
    executor.exit(first!, 137);
    await advance(100);
    const c = containerOf('uid-web');
    assert.equal(c?.state, 'running');
    assert.equal(c?.restart_count, 1);
    assert.equal(c?.last_reason, 'Error');
    assert.equal(c?.last_exit_code, 137);
    assert.notEqual(c?.container_id, `docker://${first}`);
  });

  it('backs off exponentially in CrashLoopBackOff, capped at the maximum', async () => {
    executor.scripts.set('main', { exitOnStart: 1 });
    const m = await newManager();
    m.sync(true, [assign(pod('crash'))], []);
    await advance(100);
    // First restart is immediate; the second waits 1 s.
    assert.equal(containerOf('uid-crash')?.reason, 'CrashLoopBackOff');
    assert.equal(containerOf('uid-crash')?.restart_count, 1);
    assert.match(containerOf('uid-crash')?.message ?? '', /back-off 1s/);
    await advance(1000);
    assert.equal(containerOf('uid-crash')?.restart_count, 2);
    assert.match(containerOf('uid-crash')?.message ?? '', /back-off 2s/);
    await advance(1900);
    assert.equal(containerOf('uid-crash')?.restart_count, 2, 'still backing off before 2 s');
    await advance(200);
    assert.equal(containerOf('uid-crash')?.restart_count, 3);
    await advance(4000);
    await advance(4000);
    assert.equal(containerOf('uid-crash')?.restart_count, 5);
    assert.match(containerOf('uid-crash')?.message ?? '', /back-off 4s/, 'capped at maxMs');
    // Only the current and the previous instance are kept.
    assert.equal(executor.idsFor('uid-crash', 'main').length, 2);
  });

  it('does not restart with restartPolicy Never and reports Failed with the exit code', async () => {
    const m = await newManager();
    m.sync(true, [assign(pod('job', { restartPolicy: 'Never' }))], []);
    await advance(100);
    executor.exit(executor.idsFor('uid-job', 'main')[0]!, 3);
    await advance(100);
    const r = latest('uid-job');
    assert.equal(r?.phase, 'Failed');
    assert.equal(r?.containers?.[0]?.state, 'terminated');
    assert.equal(r?.containers?.[0]?.reason, 'Error');
    assert.equal(r?.containers?.[0]?.exit_code, 3);
    assert.equal(executor.idsFor('uid-job', 'main').length, 1);
  });

  it('with restartPolicy OnFailure, succeeds on exit 0 and restarts on failure', async () => {
    const m = await newManager();
    m.sync(true, [assign(pod('ok', { restartPolicy: 'OnFailure' })), assign(pod('bad', { restartPolicy: 'OnFailure' }))], []);
    await advance(100);
    executor.exit(executor.idsFor('uid-ok', 'main')[0]!, 0);
    executor.exit(executor.idsFor('uid-bad', 'main')[0]!, 1);
    await advance(100);
    assert.equal(latest('uid-ok')?.phase, 'Succeeded');
    assert.equal(latest('uid-ok')?.containers?.[0]?.reason, 'Completed');
    assert.equal(latest('uid-bad')?.phase, 'Running');
    assert.equal(containerOf('uid-bad')?.restart_count, 1);
  });

  it('reports OOMKilled for a container killed by the memory limit', async () => {
    const m = await newManager();
    m.sync(true, [assign(pod('oom', { restartPolicy: 'Never' }))], []);
    await advance(100);
    executor.exit(executor.idsFor('uid-oom', 'main')[0]!, 137, true);
    await advance(100);
    assert.equal(containerOf('uid-oom')?.reason, 'OOMKilled');
  });

  it('on a full sync stops (with the grace period) and removes pods no longer assigned', async () => {
    const m = await newManager();
    m.sync(true, [assign(pod('keep')), assign(pod('drop', { terminationGracePeriodSeconds: 7 }))], []);
    await advance(100);
    const dropId = executor.idsFor('uid-drop', 'main')[0]!;
    const rec = executor.containers.get(dropId)!;
    m.sync(true, [assign(pod('keep'))], []);
    await advance(100);
    await m.waitRemoved('uid-drop');
    assert.deepEqual(rec.stopCalls, [7]);
    assert.equal(executor.idsFor('uid-drop', 'main').length, 0);
    assert.equal(executor.idsFor('uid-drop', '_sandbox').length, 0);
    assert.equal(executor.idsFor('uid-keep', 'main').length, 1);
    assert.deepEqual(m.podUids(), ['uid-keep']);
  });

  it('removes a pod named in removals on an incremental sync', async () => {
    const m = await newManager();
    m.sync(false, [assign(pod('a')), assign(pod('b'))], []);
    await advance(100);
    m.sync(false, [], ['uid-a']);
    await advance(100);
    assert.equal(executor.idsFor('uid-a', 'main').length, 0);
    assert.equal(executor.idsFor('uid-b', 'main').length, 1);
  });

  it('adopts running containers after an agent restart and fences pods no longer assigned', async () => {
    const m1 = await newManager();
    m1.sync(true, [assign(pod('stay')), assign(pod('gone'))], []);
    await advance(100);
    const stayId = executor.idsFor('uid-stay', 'main')[0];
    executor.exit(stayId!, 1);
    await advance(100);
    const restartedId = executor.idsFor('uid-stay', 'main')[1];
    await m1.stop();
    assert.equal(executor.containers.get(restartedId!)?.info.state, 'running', 'stop() leaves containers running');

    const m2 = await newManager();
    m2.sync(true, [assign(pod('stay'))], []);
    await advance(100);
    const c = containerOf('uid-stay');
    assert.equal(c?.container_id, `docker://${restartedId}`);
    assert.equal(c?.restart_count, 1, 'restart count survives via labels');
    assert.equal(executor.idsFor('uid-gone', 'main').length, 0, 'unassigned adopted pod removed');
    assert.equal(executor.idsFor('uid-gone', '_sandbox').length, 0);
  });

  it('Never pull policy with a missing image waits with ErrImageNeverPull', async () => {
    const m = await newManager();
    const p = pod('never');
    p.spec.containers[0] = { name: 'main', image: 'missing/img:1', imagePullPolicy: 'Never' };
    m.sync(true, [assign(p)], []);
    await advance(100);
    assert.equal(latest('uid-never')?.phase, 'Pending');
    assert.equal(containerOf('uid-never')?.reason, 'ErrImageNeverPull');
    assert.deepEqual(executor.pulls, []);
  });

  it('a failing pull reports ErrImagePull with the engine reason, then ImagePullBackOff, then recovers', async () => {
    executor.pullFailures.set('nope/img:1', 'manifest unknown');
    const m = await newManager();
    const p = pod('pull');
    p.spec.containers[0] = { name: 'main', image: 'nope/img:1' };
    m.sync(true, [assign(p)], []);
    await advance(100);
    assert.equal(containerOf('uid-pull')?.reason, 'ErrImagePull');
    assert.match(containerOf('uid-pull')?.message ?? '', /manifest unknown/);
    await advance(5000, 100); // a poll during the back-off
    assert.match(containerOf('uid-pull')?.reason ?? '', /ImagePullBackOff|ErrImagePull/);
    executor.pullFailures.delete('nope/img:1');
    await advance(10_000, 100);
    assert.equal(latest('uid-pull')?.phase, 'Running');
  });

  it('reports CreateContainerError with the engine message and RunContainerError on start failure', async () => {
    const m = await newManager();
    const p = pod('two');
    p.spec.containers = [
      { name: 'cfail', image: IMAGE },
      { name: 'sfail', image: IMAGE },
    ];
    executor.scripts.set('cfail', { createError: 'Minimum memory limit allowed is 6MB' });
    executor.scripts.set('sfail', { startError: 'exec: "nosuch": executable file not found in $PATH' });
    m.sync(true, [assign(p)], []);
    await advance(300);
    const cs = latest('uid-two')?.containers ?? [];
    assert.equal(cs[0]?.reason, 'CreateContainerError');
    assert.match(cs[0]?.message ?? '', /Minimum memory limit/);
    assert.equal(cs[1]?.reason, 'RunContainerError');
    assert.match(cs[1]?.message ?? '', /executable file not found/);
  });

  it('resolves env from values, ConfigMap/Secret refs and envFrom; a missing ref is CreateContainerConfigError', async () => {
    const m = await newManager();
    const p = pod('env');
    p.spec.containers = [
      {
        name: 'main',
        image: IMAGE,
        env: [
          { name: 'PLAIN', value: 'v' },
          { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'cm', key: 'color' } } },
          { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'sec', key: 'pw' } } },
          { name: 'EXPANDED', value: '$(PLAIN)-x' },
        ],
        envFrom: [{ configMapRef: { name: 'cm' }, prefix: 'CM_' }],
      },
      { name: 'broken', image: IMAGE, env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'absent', key: 'k' } } }] },
    ];
    m.sync(true, [{
      pod: p,
      configMaps: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { color: 'blue' } }],
      secrets: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec' }, data: { pw: Buffer.from('s3cret').toString('base64') } }],
    }], []);
    await advance(100);
    const env = executor.containers.get(executor.idsFor('uid-env', 'main')[0]!)!.env;
    assert.deepEqual(env, { CM_color: 'blue', PLAIN: 'v', FROM_CM: 'blue', FROM_SECRET: 's3cret', EXPANDED: 'v-x' });
    const broken = latest('uid-env')?.containers?.[1];
    assert.equal(broken?.reason, 'CreateContainerConfigError');
    assert.match(broken?.message ?? '', /secret "absent" not found/);
  });

  it('a failing liveness probe restarts the container; readiness flips ready', async () => {
    let healthy = true;
    executor.execHandler = (_id, cmd) => ({ exitCode: cmd[0] === 'ready' ? 0 : healthy ? 0 : 1 });
    const m = await newManager();
    const p = pod('probed');
    p.spec.containers[0] = {
      name: 'main',
      image: IMAGE,
      livenessProbe: { exec: { command: ['live'] }, periodSeconds: 1, failureThreshold: 2 },
      readinessProbe: { exec: { command: ['ready'] }, periodSeconds: 1, initialDelaySeconds: 2 },
    };
    m.sync(true, [assign(p)], []);
    await advance(100);
    assert.equal(latest('uid-probed')?.ready, false, 'not ready before the readiness probe passes');
    await advance(2500);
    assert.equal(latest('uid-probed')?.ready, true);
    healthy = false;
    await advance(2500);
    assert.equal(containerOf('uid-probed')?.restart_count, 1);
  });

  it('surfaces a runtime outage in the pod status and recovers when the runtime returns', async () => {
    const m = await newManager();
    m.sync(true, [assign(pod('web'))], []);
    await advance(100);
    executor.down = true;
    await advance(5100, 100);
    assert.equal(latest('uid-web')?.reason, 'ContainerRuntimeUnavailable');
    executor.down = false;
    await advance(5100, 100);
    assert.equal(latest('uid-web')?.reason, '');
    assert.equal(latest('uid-web')?.phase, 'Running');
  });
});
