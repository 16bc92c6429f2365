// The whole stack against a real Docker Engine: etcd + kite-controller + one kite-agent (runtime
// docker) as real processes, driven through the `kite` CLI and KiteClient as a user would.
// Independent pods are applied together up front so their start-up overlaps.
import { adminConfigFor } from '../harness/credentials';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { get } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type Docker from 'dockerode';
import { stringify } from 'yaml';
import type { Pod, Node } from '../../common/api/types';
import { isNodeReady } from '../../common/api/node';
import type { KiteClient } from '../../common/client';
import { type DockerHandle, dockerForSuite } from '../harness/dockerd';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { ensureTestImage } from '../harness/images';
import { freePort } from '../harness/ports';
import { eventually, kite, programCommand, startAgent, startController, type AgentHandle, type ControllerHandle } from '../harness/processes';
import { hasCommand, requireCommand } from '../harness/require';
import { SANDBOX_NAME } from '../../node-agent/executor/types';

const ROOT = path.resolve(__dirname, '../..');
const NODE = `e2e-cluster-${process.pid}`;
const NS = 'default';

const httpGet = (url: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });

/** A Pod manifest with short grace, pinned to nothing (the scheduler picks our single node). */
function podManifest(name: string, containers: Pod['spec']['containers'], spec: Partial<Pod['spec']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { suite: 'e2e-cluster' } },
    spec: { containers, terminationGracePeriodSeconds: 2, ...spec },
  };
}

describe('a Kite cluster on the real Docker Engine (controller + agent + CLI, e2e)', function () {
  this.timeout(120_000);
  let dockerHandle: DockerHandle | undefined;
  let docker: Docker;
  let etcd: EtcdHandle | undefined;
  let controller: ControllerHandle | undefined;
  let agent: AgentHandle | undefined;
  let agentDataDir = '';
  let client: KiteClient;
  let server = '';
  let image = '';
  let webPort = 0;
  let manifestDir = '';

  const cli = (args: string[], stdin?: string) => kite(server, args, stdin);
  const getPod = (name: string) => client.get<Pod>('Pod', name, NS);
  const podRunning = async (name: string) => {
    const p = await getPod(name);
    return p.status?.phase === 'Running' ? p : undefined;
  };
  const condition = (p: Pod, type: string) => p.status?.conditions?.find((c) => c.type === type)?.status;
  const restarts = (p: Pod) => p.status?.containerStatuses?.[0]?.restartCount ?? 0;
  const containerId = (p: Pod) => p.status?.containerStatuses?.[0]?.containerID ?? '';
  /** Every engine container of a pod, the agent's sandbox included. */
  const podContainers = (uid: string) => docker.listContainers({ all: true, filters: { label: [`kite.pod.uid=${uid}`] } });
  /** Only the pod's own (spec) containers. */
  const appContainers = async (uid: string) => (await podContainers(uid)).filter((c) => c.Labels['kite.container.name'] !== SANDBOX_NAME);

  /** Asserts a CLI call succeeded, showing its output when it did not. */
  function ok(r: { code: number; stdout: string; stderr: string }, what: string): string {
    assert.equal(r.code, 0, `${what} failed (${r.code}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    dockerHandle = await dockerForSuite(this);
    docker = dockerHandle.docker;
    image = await ensureTestImage(docker);
    etcd = await startEtcd();
    controller = await startController({ etcd: etcd.endpoint, heartbeatMs: 500 });
    client = controller.client;
    server = controller.target;
    agentDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-e2e-agent-'));
    agent = await startAgent({ controller: server, name: NODE, dataDir: agentDataDir });
    await eventually(async () => {
      const n = await client.get<Node>('Node', NODE);
      return isNodeReady(n);
    }, 30_000, 'node Ready');

    webPort = await freePort();
    manifestDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-e2e-manifests-'));
    const secretValue = Buffer.from('s3cr3t-value').toString('base64');
    const objects: object[] = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-settings', namespace: NS }, data: { greeting: 'hello-from-configmap' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-secret', namespace: NS }, data: { token: secretValue } },
      podManifest('web', [
        {
          name: 'httpd',
          image,
          command: ['sh', '-c', 'echo web-line-1; echo web-line-2; echo web-line-3; exec httpd -f -p 80 -h /www'],
          ports: [{ containerPort: 80, hostPort: webPort }],
          env: [
            { name: 'PLAIN', value: 'plain-value' },
            { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'web-settings', key: 'greeting' } } },
            { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'web-secret', key: 'token' } } },
          ],
          resources: { limits: { memory: '64Mi', cpu: '500m' } },
        },
      ]),
      podManifest('secret-vol', [{ name: 'main', image, command: ['sleep', '3600'], volumeMounts: [{ name: 'creds', mountPath: '/etc/creds', readOnly: true }] }], {
        volumes: [{ name: 'creds', secret: { secretName: 'web-secret' } }],
      }),
      podManifest('ticker', [{ name: 'main', image, command: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.3; done'] }]),
      podManifest('victim', [{ name: 'main', image, command: ['sleep', '3600'] }]),
      podManifest('liveness', [
        {
          name: 'main',
          image,
          command: ['sh', '-c', 'touch /tmp/healthy; sleep 2; rm /tmp/healthy; sleep 3600'],
          livenessProbe: { exec: { command: ['test', '-f', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 1 },
        },
      ]),
      podManifest('readiness', [
        { name: 'main', image, command: ['sleep', '3600'], readinessProbe: { exec: { command: ['test', '-f', '/tmp/ready'] }, periodSeconds: 1 } },
      ]),
      podManifest('badimage', [{ name: 'main', image: 'kite-test/does-not-exist:1' }]),
      podManifest('survivor', [{ name: 'main', image, command: ['sleep', '3600'] }]),
      podManifest('doomed', [
        { name: 'a', image, command: ['sleep', '3600'] },
        { name: 'b', image, command: ['sleep', '3600'] },
      ]),
    ];
    const file = path.join(manifestDir, 'pods.yaml');
    fs.writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
    ok(await cli(['apply', '-f', file]), 'kite apply');
  });

  after(async function () {
    this.timeout(60_000);
    await agent?.stop();
    await controller?.stop();
    await etcd?.stop();
    if (dockerHandle) {
      const left = await docker.listContainers({ all: true, filters: { label: [`kite.node=${NODE}`] } });
      await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
      await dockerHandle.stop();
    }
    for (const d of [agentDataDir, manifestDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it('applies a Pod that becomes Running and whose hostPort answers HTTP', async () => {
    const p = await eventually(() => podRunning('web'), 30_000, 'web Running');
    assert.equal(p.spec.nodeName, NODE);
    const res = await eventually(() => httpGet(`http://127.0.0.1:${webPort}/`).catch(() => undefined), 10_000, 'hostPort answers');
    assert.equal(res.status, 200);
    assert.equal(res.body, 'kite test page\n');
    const table = ok(await cli(['get', 'pods']), 'kite get pods');
    assert.match(table, /^web\s+1\/1\s+Running\s+0\b/m);
  });

  it('shows the node Ready with its capacity in `kite get nodes`', async () => {
    const out = ok(await cli(['get', 'nodes']), 'kite get nodes');
    assert.match(out, new RegExp(`^${NODE}\\s+Ready\\b`, 'm'));
    const n = await client.get<Node>('Node', NODE);
    assert.ok(Number(n.status?.capacity?.pods) > 0, 'pods capacity');
    assert.match(n.status?.capacity?.cpu ?? '', /^\d+/);
    assert.match(n.status?.capacity?.memory ?? '', /^\d+/);
    const yaml = ok(await cli(['get', 'nodes', NODE, '-o', 'json']), 'kite get node -o json');
    assert.equal((JSON.parse(yaml) as Node).status?.capacity?.pods, n.status?.capacity?.pods);
  });

  it('passes plain, ConfigMap and Secret env to the container (seen through `kite exec`)', async () => {
    await eventually(() => podRunning('web'), 30_000, 'web Running');
    const out = ok(await cli(['exec', 'web', '--', 'env']), 'kite exec env');
    assert.match(out, /^PLAIN=plain-value$/m);
    assert.match(out, /^GREETING=hello-from-configmap$/m);
    assert.match(out, /^TOKEN=s3cr3t-value$/m);
  });

  it('runs containers with no-new-privileges and serves Secret volumes from memory (tmpfs), never the node disk', async () => {
    const p = await eventually(() => podRunning('secret-vol'), 30_000, 'secret-vol Running');
    const out = ok(await cli(['exec', 'secret-vol', '--', 'sh', '-c', 'cat /etc/creds/token; echo; grep NoNewPrivs /proc/self/status']), 'kite exec');
    assert.match(out, /^s3cr3t-value$/m);
    assert.match(out, /^NoNewPrivs:\s+1$/m);
    const [c] = await appContainers(p.metadata.uid!);
    const mount = (await docker.getContainer(c!.Id).inspect()).Mounts.find((m) => m.Destination === '/etc/creds');
    assert.ok(mount, 'the secret volume is mounted');
    // TMPFS_MAGIC: the files live in memory on the node.
    assert.equal(fs.statfsSync(mount.Source).type, 0x01021994, `${mount.Source} is on tmpfs`);
  });

  it('applies memory and cpu limits to the container cgroup (v1 or v2)', async () => {
    await eventually(() => podRunning('web'), 30_000, 'web Running');
    // cgroup v2 exposes memory.max and cpu.max; v1 memory.limit_in_bytes and cpu.cfs_quota_us/period.
    const script =
      'if [ -f /sys/fs/cgroup/memory.max ]; then echo mem=$(cat /sys/fs/cgroup/memory.max); echo cpu=$(cat /sys/fs/cgroup/cpu.max); ' +
      'else echo mem=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes); ' +
      'echo cpu="$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cat /sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us 2>/dev/null || cat /sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us)"; fi';
    const out = ok(await cli(['exec', 'web', '--', 'sh', '-c', script]), 'kite exec cgroup');
    assert.match(out, new RegExp(`^mem=${64 * 1024 * 1024}$`, 'm'));
    const cpu = /^cpu=(\d+) (\d+)$/m.exec(out);
    assert.ok(cpu, `cpu quota line in: ${out}`);
    assert.equal(Number(cpu[1]) / Number(cpu[2]), 0.5);
  });

  it('prints logs with `kite logs`, `--tail` and `-f`', async () => {
    await eventually(() => podRunning('web'), 30_000, 'web Running');
    const all = ok(await cli(['logs', 'web']), 'kite logs');
    assert.match(all, /web-line-1\nweb-line-2\nweb-line-3\n/);
    const tail = ok(await cli(['logs', 'web', '--tail', '1']), 'kite logs --tail');
    assert.equal(tail, 'web-line-3\n');

    await eventually(() => podRunning('ticker'), 30_000, 'ticker Running');
    const before = ok(await cli(['logs', 'ticker']), 'kite logs ticker');
    const lastSeen = Math.max(...[...before.matchAll(/tick-(\d+)/g)].map((m) => Number(m[1])));
    // Follow until a line newer than anything printed before shows up, then stop the CLI.
    const child = spawn(process.execPath, [...programCommand('cli/main.ts'), 'logs', '-f', 'ticker', '--tail', '1'], {
      cwd: ROOT,
      env: { ...process.env, KITE_SERVER: server, KITE_CONFIG: adminConfigFor(server) ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((r) => child.once('close', () => r()));
    try {
      await eventually(() => [...out.matchAll(/tick-(\d+)/g)].some((m) => Number(m[1]) > lastSeen), 15_000, `a followed line after tick-${lastSeen}: ${out}`);
    } finally {
      child.kill('SIGINT');
      await exited;
    }
  });

  it('returns the exit code of `kite exec`', async () => {
    await eventually(() => podRunning('web'), 30_000, 'web Running');
    const r = await cli(['exec', 'web', '--', 'sh', '-c', 'exit 7']);
    assert.equal(r.code, 7, r.stderr);
  });

  it('pipes stdin through `kite exec -i`', async () => {
    await eventually(() => podRunning('web'), 30_000, 'web Running');
    const r = await cli(['exec', '-i', 'web', '--', 'cat'], 'line one\nline two\n');
    assert.equal(ok(r, 'kite exec -i cat'), 'line one\nline two\n');
  });

  it('runs `kite exec -it` on a pseudo-terminal (via script)', async function () {
    if (!hasCommand('script')) return this.skip();
    await eventually(() => podRunning('web'), 30_000, 'web Running');
    // `script` gives the CLI a pty; with a TTY the container side sees a terminal.
    const cmd = `${process.execPath} --import tsx cli/main.ts exec -it web -- sh -c 'test -t 0 && echo is-a-tty; exit 3'`;
    const r = await new Promise<{ code: number; out: string }>((resolve, reject) => {
      const child = spawn('script', ['-qec', cmd, '/dev/null'], {
        cwd: ROOT,
        env: { ...process.env, KITE_SERVER: server, KITE_CONFIG: adminConfigFor(server) ?? '' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      // A CLI that never exits is the failure this guards against: stop it rather than hang the suite.
      const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(guard);
        resolve({ code: code ?? -1, out });
      });
    });
    assert.match(r.out, /is-a-tty/);
    assert.equal(r.code, 3, r.out);
  });

  it('restarts a container killed with `docker kill` and shows the restart in `kite get pods`', async () => {
    const p = await eventually(() => podRunning('victim'), 30_000, 'victim Running');
    const id = containerId(p).replace(/^docker:\/\//, '');
    assert.ok(id, 'victim has a container id');
    await docker.getContainer(id).kill();
    const after = await eventually(async () => {
      const q = await getPod('victim');
      return restarts(q) >= 1 && q.status?.phase === 'Running' && q.status.containerStatuses?.[0]?.state.running ? q : undefined;
    }, 30_000, 'victim restarted');
    assert.notEqual(containerId(after), containerId(p));
    const table = ok(await cli(['get', 'pods', 'victim']), 'kite get pods victim');
    assert.match(table, /^victim\s+1\/1\s+Running\s+[1-9]/m);
  });

  it('restarts a container whose liveness probe fails', async () => {
    const p = await eventually(async () => {
      const q = await getPod('liveness');
      return restarts(q) >= 1 ? q : undefined;
    }, 30_000, 'liveness restart');
    assert.ok(restarts(p) >= 1);
  });

  it('flips the Ready condition with a readiness probe', async () => {
    await eventually(() => podRunning('readiness'), 30_000, 'readiness Running');
    assert.equal(condition(await getPod('readiness'), 'Ready'), 'False');
    ok(await cli(['exec', 'readiness', '--', 'touch', '/tmp/ready']), 'touch ready');
    await eventually(async () => condition(await getPod('readiness'), 'Ready') === 'True', 15_000, 'Ready=True');
    assert.match(ok(await cli(['get', 'pods', 'readiness']), 'get'), /^readiness\s+1\/1\s+Running/m);
    ok(await cli(['exec', 'readiness', '--', 'rm', '/tmp/ready']), 'rm ready');
    await eventually(async () => condition(await getPod('readiness'), 'Ready') === 'False', 15_000, 'Ready=False');
    assert.match(ok(await cli(['get', 'pods', 'readiness']), 'get'), /^readiness\s+0\/1\s+Running/m);
  });

  it('shows ErrImagePull/ImagePullBackOff with the engine reason for a bad image', async () => {
    const p = await eventually(async () => {
      const q = await getPod('badimage');
      const r = q.status?.containerStatuses?.[0]?.state.waiting?.reason;
      return r === 'ErrImagePull' || r === 'ImagePullBackOff' ? q : undefined;
    }, 30_000, 'pull failure');
    const waiting = p.status!.containerStatuses![0]!.state.waiting!;
    assert.match(waiting.message ?? '', /kite-test\/does-not-exist/);
    const table = ok(await cli(['get', 'pods', 'badimage']), 'get');
    assert.match(table, /^badimage\s+0\/1\s+(ErrImagePull|ImagePullBackOff)\b/m);
    // The engine's own words follow our prefix (offline: a DNS error; online: "pull access denied").
    const engineWords = /failed to pull image "kite-test\/does-not-exist:1": (.+)/.exec(waiting.message ?? '');
    assert.ok(engineWords && engineWords[1]!.length > 5, `engine reason in: ${waiting.message}`);
    const desc = ok(await cli(['describe', 'pod', 'badimage']), 'describe');
    assert.match(desc, /Reason:\s+(ErrImagePull|ImagePullBackOff)/);
    assert.ok(desc.includes(engineWords[1]!), `describe shows the engine reason: ${desc}`);
  });

  it('keeps containers across an agent restart: same ids, no restarts, still Running', async () => {
    const before = await eventually(() => podRunning('survivor'), 30_000, 'survivor Running');
    const idBefore = containerId(before);
    assert.ok(idBefore);
    await agent!.stop();
    agent = await startAgent({ controller: server, name: NODE, dataDir: agentDataDir });
    // Wait for the new agent to have reported (its session is new, the node heartbeats again).
    await eventually(async () => {
      const out = await cli(['exec', 'survivor', '--', 'true']);
      return out.code === 0;
    }, 30_000, 'exec through the new agent');
    const after = await getPod('survivor');
    assert.equal(after.status?.phase, 'Running');
    assert.equal(containerId(after), idBefore);
    assert.equal(restarts(after), restarts(before));
    const running = await appContainers(after.metadata.uid!);
    assert.equal(running.length, 1);
    assert.equal(running[0]!.State, 'running');
    assert.ok(idBefore.endsWith(running[0]!.Id) || idBefore.includes(running[0]!.Id));
  });

  it('removes every container of a pod on `kite delete pod` within the grace period', async () => {
    const p = await eventually(async () => {
      const q = await podRunning('doomed');
      return q && (await appContainers(q.metadata.uid!)).length === 2 ? q : undefined;
    }, 30_000, 'doomed Running with 2 containers');
    const started = Date.now();
    ok(await cli(['delete', 'pod', 'doomed']), 'kite delete pod');
    await eventually(async () => (await podContainers(p.metadata.uid!)).length === 0, 15_000, 'containers removed');
    assert.ok(Date.now() - started < 2_000 + 8_000, 'removed within grace period plus slack');
    await eventually(async () => {
      const r = await cli(['get', 'pods', 'doomed']);
      return r.code !== 0;
    }, 15_000, 'pod object gone');
  });

  it('leaves no kite container behind once all pods are deleted', async () => {
    ok(await cli(['delete', 'pods', '-l', 'suite=e2e-cluster']), 'delete all');
    await eventually(async () => (await docker.listContainers({ all: true, filters: { label: [`kite.node=${NODE}`] } })).length === 0, 30_000, 'no kite containers');
  });
});
