// Security contexts and gRPC probes on a real Docker Engine (PodManager + DockerExecutor): what a
// process sees inside (uid, groups, volume ownership, read-only root, capabilities), the
// runAsNonRoot refusal, and a readiness probe against a gRPC health server run by this process.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { Container, Pod } from '../../common/api/types';
import type { PodStatusReport } from '../../common/generated/kite/v1/PodStatusReport';
import { silentLogger } from '../../common/log';
import { DockerExecutor } from '../../node-agent/executor/docker';
import { LABELS } from '../../node-agent/executor/types';
import { PodManager, type PodAssignment } from '../../node-agent/pods/manager';
import { type DockerHandle, dockerForSuite } from '../harness/dockerd';
import { ensureTestImage } from '../harness/images';

const FEATURE = 'secctx';
const NODE = `kite-e2e-${FEATURE}-${process.pid}`;
const uidOf = (name: string) => `${FEATURE}-${name}-${process.pid}-0000`;

function pod(name: string, containers: Container[], spec: Partial<Pod['spec']> = {}): PodAssignment {
  return {
    pod: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `${FEATURE}-${name}-${process.pid}`, namespace: `e2e-${FEATURE}`, uid: uidOf(name) },
      spec: { containers, terminationGracePeriodSeconds: 1, ...spec },
    },
    configMaps: [],
    secrets: [],
  };
}

async function readAll(s: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const c of s) out += c.toString();
  return out;
}

describe('security contexts and gRPC probes on the real Docker Engine (e2e)', function () {
  this.timeout(120_000);
  let handle: DockerHandle | undefined;
  let image = '';
  let manager: PodManager;
  let dataDir: string;
  let grpcServer: Server | undefined;
  const health = new HealthImplementation({ 'kite.Ready': 'SERVING' });

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
  /** Runs `script` in the pod's container: its output (stdout and stderr) and exit code. */
  async function sh(name: string, script: string): Promise<{ out: string; code: number }> {
    await waitFor(name, 'running', (x) => x.containers?.[0]?.state === 'running');
    const h = await manager.exec(uidOf(name), 'main', ['sh', '-c', script], { tty: false, stdin: false });
    h.stdin.end();
    const [out, err] = await Promise.all([readAll(h.stdout), readAll(h.stderr)]);
    return { out: (out + err).trim(), code: await h.exitCode() };
  }

  before(async function () {
    handle = await dockerForSuite(this);
    image = await ensureTestImage(handle.docker);
    dataDir = mkdtempSync(join(tmpdir(), `kite-e2e-${FEATURE}-`));
    grpcServer = new Server();
    health.addToServer(grpcServer);
    const grpcPort = await new Promise<number>((resolve, reject) =>
      grpcServer!.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, port) => (e ? reject(e) : resolve(port))),
    );
    manager = new PodManager({
      // hostNetwork pods have the node's address as pod IP: here, where the gRPC server listens.
      executor: new DockerExecutor({ socketPath: handle.socketPath, nodeName: NODE, hostAddress: '127.0.0.1' }),
      nodeName: NODE,
      dataDir,
      log: silentLogger,
      onStatus: () => undefined,
      backoff: { baseMs: 1000, maxMs: 4000, resetAfterMs: 60_000 },
      pollIntervalMs: 1000,
      statsIntervalMs: 60_000,
    });
    await manager.recover();
    const sleeper = (extra: Partial<Container> = {}): Container => ({ name: 'main', image, command: ['sleep', '1000'], ...extra });
    manager.sync(true, [
      pod('ids', [sleeper({ securityContext: { runAsGroup: 3000 } })], {
        securityContext: { runAsUser: 1000, runAsGroup: 2000, supplementalGroups: [4000, 4001], fsGroup: 5000 },
        volumes: [{ name: 'scratch', emptyDir: {} }],
      }),
      pod('fsgroup', [sleeper({ volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] })], {
        securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 5000 },
        volumes: [{ name: 'scratch', emptyDir: {} }],
      }),
      pod('readonly', [sleeper({ securityContext: { readOnlyRootFilesystem: true }, volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] })], {
        volumes: [{ name: 'scratch', emptyDir: {} }],
      }),
      pod('nonroot', [sleeper()], { securityContext: { runAsNonRoot: true } }),
      pod('nocaps', [sleeper({ securityContext: { capabilities: { drop: ['ALL'] } } })]),
      pod('caps', [sleeper({ securityContext: { capabilities: { drop: ['ALL'], add: ['chown'] } } })]),
      // Two containers: the network sysctl goes to the sandbox holding the pod's network namespace.
      pod('sysctls', [sleeper(), sleeper({ name: 'side' })], {
        securityContext: { sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '0' }, { name: 'kernel.shm_rmid_forced', value: '1' }] },
      }),
      pod('grpc', [sleeper({ readinessProbe: { grpc: { port: grpcPort, service: 'kite.Ready' }, periodSeconds: 1, failureThreshold: 1 } })], { hostNetwork: true }),
    ], []);
  });

  after(async () => {
    await manager?.stop();
    grpcServer?.forceShutdown();
    if (handle) {
      const left = await handle.docker.listContainers({ all: true, filters: { label: [`${LABELS.node}=${NODE}`] } });
      await Promise.all(left.map((c) => handle!.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
      await handle.stop();
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs as runAsUser with the container\'s runAsGroup, plus supplementalGroups and fsGroup', async () => {
    assert.deepEqual(await sh('ids', 'id -u; id -g'), { out: '1000\n3000', code: 0 });
    const groups = (await sh('ids', 'id -G')).out.split(/\s+/).sort();
    assert.deepEqual(groups, ['3000', '4000', '4001', '5000']);
  });

  it('gives an emptyDir to fsGroup (setgid), writable by the non-root user, new files in the group', async () => {
    const r = await sh('fsgroup', 'stat -c "%g %a" /scratch && touch /scratch/f && stat -c "%g" /scratch/f');
    assert.deepEqual(r, { out: '5000 2777\n5000', code: 0 });
  });

  it('readOnlyRootFilesystem refuses a write to / but not to a volume', async () => {
    const root = await sh('readonly', 'touch /probe-file');
    assert.notEqual(root.code, 0);
    assert.match(root.out, /Read-only file system/);
    assert.deepEqual(await sh('readonly', 'touch /scratch/ok && echo written'), { out: 'written', code: 0 });
  });

  it('runAsNonRoot on the root busybox image waits with CreateContainerConfigError and the reason', async () => {
    const s = await waitFor('nonroot', 'refused', (x) => x.containers?.[0]?.reason === 'CreateContainerConfigError');
    assert.equal(s.containers![0]!.message, 'container has runAsNonRoot and image will run as root');
    assert.equal(s.phase, 'Pending');
  });

  it('capabilities drop ALL makes chown fail as root; adding CHOWN back (any spelling) allows it', async () => {
    const denied = await sh('nocaps', 'id -u; touch /tmp/f && chown 1234 /tmp/f');
    assert.notEqual(denied.code, 0);
    assert.match(denied.out, /^0\n.*Operation not permitted/s);
    assert.deepEqual(await sh('caps', 'touch /tmp/f && chown 1234 /tmp/f && stat -c %u /tmp/f'), { out: '1234', code: 0 });
  });

  it('sets the pod\'s safe sysctls in its own network and IPC namespaces', async () => {
    assert.deepEqual(await sh('sysctls', 'cat /proc/sys/net/ipv4/tcp_syncookies /proc/sys/kernel/shm_rmid_forced'), { out: '0\n1', code: 0 });
  });

  it('a gRPC readiness probe on a hostNetwork pod follows the health server: SERVING ready, NOT_SERVING unready', async () => {
    await waitFor('grpc', 'ready', (x) => x.ready === true);
    health.setStatus('kite.Ready', 'NOT_SERVING');
    await waitFor('grpc', 'unready', (x) => x.ready === false, 10_000);
    health.setStatus('kite.Ready', 'SERVING');
    await waitFor('grpc', 'ready again', (x) => x.ready === true, 10_000);
  });
});
