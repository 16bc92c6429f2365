// Init containers and native sidecars on the real Docker Engine, through PodManager + DockerExecutor
// (like pods.test.ts): order through a shared emptyDir, a failing init container, a sidecar
// beside the app, and a Job-style pod whose sidecar is stopped when the app completes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container, Pod } from '../../common/api/types';
import { silentLogger } from '../../common/log';
import type { PodStatusReport__Output } from '../../common/generated/kite/v1/PodStatusReport';
import { summarizePod } from '../../common/print/pod-status';
import { podStatusFromReport } from '../../controller/dispatcher/pod-status';
import { DockerExecutor } from '../../node-agent/executor/docker';
import { LABELS } from '../../node-agent/executor/types';
import { PodManager, type PodAssignment } from '../../node-agent/pods/manager';
import { type DockerHandle, dockerForSuite } from '../harness/dockerd';
import { ensureTestImage } from '../harness/images';

const NODE = `kite-e2e-init-${process.pid}`;
const uidOf = (name: string) => `init-${name}-${process.pid}-0000`;

describe('init containers and sidecars on the real Docker Engine (e2e)', function () {
  this.timeout(120_000);
  let handle: DockerHandle | undefined;
  let image = '';
  let executor: DockerExecutor;
  let manager: PodManager;
  let dataDir: string;
  const pods = new Map<string, Pod>();

  const sh = (script: string): Pick<Container, 'command'> => ({ command: ['sh', '-c', script] });

  function assignment(name: string, spec: Omit<Pod['spec'], 'terminationGracePeriodSeconds'>): PodAssignment {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `init-${name}-${process.pid}`, namespace: 'e2e-init', uid: uidOf(name) },
      spec: { terminationGracePeriodSeconds: 1, ...spec },
    };
    pods.set(name, pod);
    return { pod, configMaps: [], secrets: [] };
  }

  const status = (name: string) => manager.podStatus(uidOf(name));

  /** What `kite get pods` would show for the pod, from the agent's report through the controller's status. */
  function summary(name: string): { ready: string; status: string; restarts: string } {
    const pod = pods.get(name)!;
    const report = JSON.parse(JSON.stringify(status(name))) as PodStatusReport__Output;
    return summarizePod({ ...pod, status: podStatusFromReport(report, pod, '127.0.0.1') }, Date.now());
  }

  async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function logsOf(name: string, container: string): Promise<string> {
    let out = '';
    for await (const c of manager.logs(uidOf(name), container, { follow: false, timestamps: false, previous: false }, new AbortController().signal)) out += String(c);
    return out;
  }

  const containersOf = async (name: string, container: string) =>
    (await executor.listManaged(uidOf(name))).filter((c) => c.containerName === container);

  before(async function () {
    handle = await dockerForSuite(this);
    image = await ensureTestImage(handle.docker);
    dataDir = mkdtempSync(join(tmpdir(), 'kite-e2e-init-'));
    executor = new DockerExecutor({ socketPath: handle.socketPath, nodeName: NODE });
    manager = new PodManager({
      executor,
      nodeName: NODE,
      dataDir,
      log: silentLogger,
      onStatus: () => undefined,
      backoff: { baseMs: 500, maxMs: 1000, resetAfterMs: 60_000 },
      pollIntervalMs: 500,
    });
    await manager.recover();
    const work = { volumeMounts: [{ name: 'work', mountPath: '/work' }] };
    const volumes = [{ name: 'work', emptyDir: {} }];
    manager.sync(true, [
      assignment('order', {
        volumes,
        initContainers: [
          { name: 'first', image, ...sh('sleep 1; echo 1 >> /work/log'), ...work },
          { name: 'second', image, ...sh('echo 2 >> /work/log'), ...work },
        ],
        containers: [{ name: 'app', image, ...sh('cat /work/log; sleep 1000'), ...work }],
      }),
      assignment('crash', { initContainers: [{ name: 'broken', image, ...sh('exit 3') }], containers: [{ name: 'app', image, command: ['sleep', '1000'] }] }),
      assignment('never', { restartPolicy: 'Never', initContainers: [{ name: 'broken', image, ...sh('exit 4') }], containers: [{ name: 'app', image, command: ['sleep', '1000'] }] }),
      assignment('sidecar', {
        initContainers: [{ name: 'proxy', image, restartPolicy: 'Always', ...sh('echo sidecar-up; sleep 1000') }],
        containers: [{ name: 'app', image, command: ['sleep', '1000'] }],
      }),
      assignment('job', {
        restartPolicy: 'Never',
        initContainers: [{ name: 'proxy', image, restartPolicy: 'Always', command: ['sleep', '1000'] }],
        containers: [{ name: 'app', image, ...sh('sleep 1; exit 0') }],
      }),
    ], []);
  });

  after(async () => {
    await manager?.stop();
    if (handle) {
      const left = await handle.docker.listContainers({ all: true, filters: { label: [`${LABELS.node}=${NODE}`] } });
      await Promise.all(left.map((c) => handle!.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
      await handle.stop();
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs init containers in order, each to completion, before the app container (which sees "1\\n2\\n")', async () => {
    // While the first init container sleeps, nothing else has started.
    await waitFor('Init:0/2', () => summary('order').status === 'Init:0/2');
    assert.equal((await containersOf('order', 'app')).length, 0);
    await waitFor('order running', () => status('order')?.phase === 'Running');
    let logs = '';
    for (let i = 0; i < 50 && logs === ''; i++) {
      logs = await logsOf('order', 'app');
      if (logs === '') await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(logs, '1\n2\n');
    assert.deepEqual(summary('order'), { ready: '1/1', status: 'Running', restarts: '0' });
    assert.deepEqual(status('order')?.init_containers?.map((c) => [c.name, c.state, c.exit_code]), [['first', 'terminated', 0], ['second', 'terminated', 0]]);
  });

  it('a failing init container shows Init:Error / Init:CrashLoopBackOff and the app container never starts', async () => {
    const seen = new Set<string>();
    await waitFor('Init:CrashLoopBackOff', () => {
      seen.add(summary('crash').status);
      return seen.has('Init:CrashLoopBackOff') && (status('crash')?.init_containers?.[0]?.restart_count ?? 0) >= 1;
    });
    assert.ok([...seen].every((s) => /^Init:(0\/1|Error|CrashLoopBackOff)$/.test(s)), [...seen].join(', '));
    assert.equal(status('crash')?.phase, 'Pending');
    assert.equal((await containersOf('crash', 'app')).length, 0);
  });

  it('with restartPolicy Never a failing init container fails the pod (Init:Error)', async () => {
    await waitFor('Failed', () => status('never')?.phase === 'Failed');
    assert.equal(summary('never').status, 'Init:Error');
    assert.equal((await containersOf('never', 'app')).length, 0);
    assert.equal((await containersOf('never', 'broken')).length, 1, 'not restarted');
  });

  it('keeps a sidecar running beside the app, counted in READY', async () => {
    await waitFor('2/2 Running', () => summary('sidecar').ready === '2/2' && summary('sidecar').status === 'Running');
    const [proxy] = await containersOf('sidecar', 'proxy');
    const [app] = await containersOf('sidecar', 'app');
    assert.equal(proxy?.state, 'running');
    assert.equal(app?.state, 'running');
    assert.match(await logsOf('sidecar', 'proxy'), /sidecar-up/);
  });

  it('completes a Job-style pod when its app container finishes, stopping the sidecar', async () => {
    await waitFor('Succeeded', () => status('job')?.phase === 'Succeeded');
    await waitFor('sidecar stopped', () => status('job')?.init_containers?.[0]?.state === 'terminated');
    const [proxy] = await containersOf('job', 'proxy');
    assert.notEqual(proxy?.state, 'running');
    assert.equal(summary('job').status, 'Completed');
  });
});
