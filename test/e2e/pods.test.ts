// PodManager + DockerExecutor against a real Docker Engine (started by the harness if needed).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container, Pod } from '../../common/api/types';
import { silentLogger } from '../../common/log';
import type { PodStatusReport } from '../../common/generated/kite/v1/PodStatusReport';
import { DockerExecutor } from '../../node-agent/executor/docker';
import { LABELS } from '../../node-agent/executor/types';
import { PodManager, type PodAssignment } from '../../node-agent/pods/manager';
import { type DockerHandle, dockerForSuite } from '../harness/dockerd';
import { ensureTestImage } from '../harness/images';

const NODE = `kite-e2e-${process.pid}`;
const HOST_PORT = 20000 + (process.pid % 20000);

function pod(name: string, containers: Container[], spec: Partial<Pod['spec']> = {}): PodAssignment {
  return {
    pod: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'e2e', uid: `${name}-${process.pid}-0000-0000` },
      spec: { containers, terminationGracePeriodSeconds: 1, ...spec },
    },
    configMaps: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'e2e' }, data: { greeting: 'hello-from-configmap' } }],
    secrets: [],
  };
}

const httpGet = (url: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });

async function readAll(s: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const c of s) out += c.toString();
  return out;
}

describe('pods on the real Docker Engine (e2e)', function () {
  this.timeout(120_000);
  let handle: DockerHandle | undefined;
  let image = '';
  let executor: DockerExecutor;
  let manager: PodManager;
  let dataDir: string;
  const reports: PodStatusReport[] = [];
  let assignments: PodAssignment[] = [];

  const uidOf = (name: string) => `${name}-${process.pid}-0000-0000`;
  const status = (name: string) => manager.podStatus(uidOf(name));

  async function waitFor(name: string, what: string, pred: (s: PodStatusReport) => boolean, timeoutMs = 30_000): Promise<PodStatusReport> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = status(name);
      if (s && pred(s)) return s;
      if (Date.now() > end) assert.fail(`timed out waiting for ${name}: ${what}; last status ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  function newManager(): PodManager {
    return new PodManager({
      executor,
      nodeName: NODE,
      dataDir,
      log: silentLogger,
      onStatus: (r) => reports.push(...r),
      backoff: { baseMs: 1000, maxMs: 4000, resetAfterMs: 60_000 },
      pollIntervalMs: 1000,
      statsIntervalMs: 1000,
    });
  }

  before(async function () {
    handle = await dockerForSuite(this);
    image = await ensureTestImage(handle.docker);
    dataDir = mkdtempSync(join(tmpdir(), 'kite-e2e-pods-'));
    executor = new DockerExecutor({ socketPath: handle.socketPath, nodeName: NODE });
    manager = newManager();
    await manager.recover();
    const sh = (script: string): Pick<Container, 'command' | 'args'> => ({ command: ['sh', '-c', script] });
    assignments = [
      pod('web', [
        {
          name: 'httpd',
          image,
          command: ['httpd', '-f', '-p', '80', '-h', '/www'],
          ports: [{ containerPort: 80, hostPort: HOST_PORT }],
          env: [
            { name: 'PLAIN', value: 'plain-value' },
            { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'settings', key: 'greeting' } } },
          ],
          resources: { limits: { memory: '64Mi', cpu: '500m' } },
          readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 1 },
        },
        { name: 'logger', image, ...sh('echo hello-from-kite; while true; do sleep 1; done') },
      ]),
      pod('victim', [{ name: 'main', image, command: ['sleep', '1000'] }]),
      pod('liveness', [
        {
          name: 'main',
          image,
          ...sh('touch /tmp/healthy; sleep 2; rm /tmp/healthy; sleep 1000'),
          livenessProbe: { exec: { command: ['test', '-f', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 1 },
        },
      ]),
      pod('readiness', [
        { name: 'main', image, command: ['sleep', '1000'], readinessProbe: { exec: { command: ['test', '-f', '/tmp/ready'] }, periodSeconds: 1 } },
      ]),
      pod('crash', [{ name: 'main', image, ...sh('echo crashing; exit 1') }]),
      pod('badimage', [{ name: 'main', image: 'kite-test/does-not-exist:1' }]),
      pod('nocmd', [{ name: 'main', image, command: ['/no/such/binary'] }]),
      pod('lowmem', [{ name: 'main', image, command: ['sleep', '1000'], resources: { limits: { memory: '4Mi' } } }]),
      // One container: no sandbox, the container itself publishes the hostPort.
      pod('solo', [
        {
          name: 'httpd',
          image,
          command: ['httpd', '-f', '-p', '80', '-h', '/www'],
          ports: [{ containerPort: 80, hostPort: HOST_PORT + 1 }],
          readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 1 },
        },
      ]),
      // Both clash with web's hostPort: the multi-container pod's sandbox fails, the single container's start fails.
      pod('portclash', [
        { name: 'main', image, command: ['sleep', '1000'], ports: [{ containerPort: 81, hostPort: HOST_PORT }] },
        { name: 'side', image, command: ['sleep', '1000'] },
      ]),
      pod('portclash-solo', [{ name: 'main', image, command: ['sleep', '1000'], ports: [{ containerPort: 81, hostPort: HOST_PORT }] }]),
    ];
    // The clashing pods come after web has its port.
    manager.sync(true, assignments.slice(0, -2), []);
    await waitFor('web', 'running', (s) => s.phase === 'Running');
    manager.sync(true, assignments, []);
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

  it('runs a pod whose published hostPort answers, and which becomes ready', async () => {
    const s = await waitFor('web', 'ready', (x) => x.ready === true);
    assert.equal(s.phase, 'Running');
    assert.match(s.pod_ip ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    const res = await httpGet(`http://127.0.0.1:${HOST_PORT}/`);
    assert.equal(res.status, 200);
    assert.match(res.body, /kite test page/);
  });

  it('runs a single-container pod without a sandbox; its hostPort and its pod IP (the container\'s) answer', async () => {
    const s = await waitFor('solo', 'ready', (x) => x.ready === true);
    const left = await handle!.docker.listContainers({ all: true, filters: { label: [`${LABELS.podUid}=${uidOf('solo')}`] } });
    assert.deepEqual(left.map((c) => c.Labels[LABELS.container]), ['httpd'], 'no sandbox container');
    const id = s.containers![0]!.container_id!.replace('docker://', '');
    const info = await handle!.docker.getContainer(id).inspect();
    assert.equal(info.HostConfig.NetworkMode, 'bridge');
    assert.equal(info.Config.Hostname, 'solo');
    assert.equal(s.pod_ip, info.NetworkSettings.Networks['bridge']?.IPAddress);
    assert.equal((await httpGet(`http://127.0.0.1:${HOST_PORT + 1}/`)).status, 200);
    assert.equal((await httpGet(`http://${s.pod_ip}:80/`)).status, 200);
  });

  it('applies env and memory/cpu limits, visible from inside via exec (with exit codes)', async () => {
    await waitFor('web', 'running', (x) => x.containers?.[0]?.state === 'running');
    const run = async (cmd: string[]) => {
      const h = await manager.exec(uidOf('web'), 'httpd', cmd, { tty: false, stdin: false });
      h.stdin.end();
      const [out] = await Promise.all([readAll(h.stdout), readAll(h.stderr)]);
      return { out, code: await h.exitCode() };
    };
    const env = await run(['env']);
    assert.match(env.out, /^PLAIN=plain-value$/m);
    assert.match(env.out, /^GREETING=hello-from-configmap$/m);
    const mem = await run(['sh', '-c', 'cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes']);
    assert.equal(mem.out.trim(), String(64 * 1024 * 1024));
    const cpu = await run(['sh', '-c', 'cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us']);
    assert.match(cpu.out.trim(), /^50000( 100000)?$/);
    assert.equal((await run(['sh', '-c', 'exit 3'])).code, 3);
  });

  it('streams logs', async () => {
    const out = await readAll(manager.logs(uidOf('web'), 'logger', { follow: false, timestamps: false, previous: false }, new AbortController().signal));
    assert.match(out, /hello-from-kite/);
  });

  it('restarts a killed container and counts the restart', async () => {
    const before = await waitFor('victim', 'running', (x) => x.containers?.[0]?.state === 'running');
    const id = before.containers![0]!.container_id!.replace('docker://', '');
    await handle!.docker.getContainer(id).kill();
    const after = await waitFor('victim', 'restarted', (x) => x.containers?.[0]?.restart_count === 1 && x.containers?.[0]?.state === 'running');
    assert.notEqual(after.containers![0]!.container_id, before.containers![0]!.container_id);
    assert.equal(after.containers![0]!.last_exit_code, 137);
  });

  it('restarts a container whose liveness probe fails', async () => {
    await waitFor('liveness', 'restarted by liveness', (x) => (x.containers?.[0]?.restart_count ?? 0) >= 1);
  });

  it('flips ready when the readiness probe starts passing', async () => {
    const s = await waitFor('readiness', 'running', (x) => x.containers?.[0]?.state === 'running');
    assert.equal(s.ready, false);
    const h = await manager.exec(uidOf('readiness'), 'main', ['touch', '/tmp/ready'], { tty: false, stdin: false });
    h.stdin.end();
    h.stdout.resume();
    h.stderr.resume();
    assert.equal(await h.exitCode(), 0);
    await waitFor('readiness', 'ready', (x) => x.ready === true, 10_000);
  });

  it('a container exiting at once ends in CrashLoopBackOff', async () => {
    const s = await waitFor('crash', 'CrashLoopBackOff', (x) => x.containers?.[0]?.reason === 'CrashLoopBackOff');
    assert.equal(s.containers![0]!.last_exit_code, 1);
    const prev = await readAll(manager.logs(uidOf('crash'), 'main', { follow: false, timestamps: false, previous: true }, new AbortController().signal));
    assert.match(prev, /crashing/);
  });

  it('an image that does not exist reports ErrImagePull with the engine reason', async () => {
    const s = await waitFor('badimage', 'pull error', (x) => /ErrImagePull|ImagePullBackOff/.test(x.containers?.[0]?.reason ?? ''), 60_000);
    assert.match(s.containers![0]!.message ?? '', /does-not-exist/);
    assert.equal(s.phase, 'Pending');
  });

  it('a command missing from the image, a too-small memory limit and a taken hostPort carry the engine message', async () => {
    const nocmd = await waitFor('nocmd', 'start error', (x) => /RunContainerError|CrashLoopBackOff/.test(x.containers?.[0]?.reason ?? '') && !!x.containers?.[0]?.message);
    assert.match(nocmd.containers![0]!.message!, /no such file|not found/i);
    const lowmem = await waitFor('lowmem', 'create error', (x) => x.containers?.[0]?.reason === 'CreateContainerError');
    assert.match(lowmem.containers![0]!.message!, /memory/i);
    const clash = await waitFor('portclash', 'sandbox error', (x) => x.reason === 'FailedCreatePodSandBox');
    assert.match(clash.message!, /allocated|in use/i);
    // Without a sandbox the bind fails in the container's own start.
    const solo = await waitFor('portclash-solo', 'start error', (x) => /RunContainerError|CrashLoopBackOff/.test(x.containers?.[0]?.reason ?? '') && !!x.containers?.[0]?.message);
    assert.match(solo.containers![0]!.message!, /allocated|in use/i);
  });

  it('a restarted agent adopts the running containers (same ids) and removal deletes everything', async () => {
    const before = await waitFor('web', 'running', (x) => x.containers?.every((c) => c.state === 'running') ?? false);
    const soloBefore = await waitFor('solo', 'ready', (x) => x.ready === true);
    await manager.stop();
    manager = newManager();
    await manager.recover();
    manager.sync(true, assignments, []);
    const after = await waitFor('web', 'adopted', (x) => x.ready === true);
    assert.deepEqual(after.containers!.map((c) => c.container_id), before.containers!.map((c) => c.container_id));
    const soloAfter = await waitFor('solo', 'adopted', (x) => x.ready === true);
    assert.equal(soloAfter.containers![0]!.container_id, soloBefore.containers![0]!.container_id);
    assert.equal(soloAfter.pod_ip, soloBefore.pod_ip);

    manager.sync(true, [], []);
    await Promise.all(assignments.map((a) => manager.waitRemoved(a.pod.metadata.uid!)));
    const left = await handle!.docker.listContainers({ all: true, filters: { label: [`${LABELS.node}=${NODE}`] } });
    assert.deepEqual(left.map((c) => c.Names), []);
  });
});
