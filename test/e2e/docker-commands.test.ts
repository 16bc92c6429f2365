// Docker-style commands on the real Docker Engine (etcd + kite-controller + one kite-agent as real
// processes, driven through the `kite` CLI): port-forward carrying HTTP to a busybox httpd pod
// (directly and through a service's targetPort), cp both ways, and run --rm -i whose shell's exit
// code comes back as kite's.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type Docker from 'dockerode';
import type { Node, Pod } from '../../common/api/types';
import { isNodeReady } from '../../common/api/node';
import type { KiteClient } from '../../common/client';
import { isKiteError } from '../../common/errors';
import { type DockerHandle, dockerForSuite } from '../harness/dockerd';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { ensureTestImage } from '../harness/images';
import { adminConfigFor } from '../harness/credentials';
import { eventually, kite, programCommand, startAgent, startController, type AgentHandle, type ControllerHandle } from '../harness/processes';
import { requireCommand } from '../harness/require';

const NODE = `e2e-docker-commands-${process.pid}`;
const NS = `docker-commands-${process.pid}`;
const WEB = 'web';

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/index.html', agent: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

describe('docker-style commands on the real Docker Engine (e2e)', function () {
  this.timeout(180_000);
  let dockerHandle: DockerHandle | undefined;
  let docker: Docker;
  let etcd: EtcdHandle | undefined;
  let controller: ControllerHandle | undefined;
  let agent: AgentHandle | undefined;
  let client: KiteClient;
  let server = '';
  let dir = '';
  let image = '';
  const forwards: ChildProcess[] = [];

  const cli = (args: string[], stdin?: string) => kite(server, ['-n', NS, ...args], stdin);
  function ok(r: { code: number; stdout: string; stderr: string }, what: string): string {
    assert.equal(r.code, 0, `${what} failed (${r.code}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /** Starts `kite port-forward ARGS` and resolves with the local port it prints once listening. */
  function portForward(args: string[]): Promise<number> {
    const child = spawn(process.execPath, [...programCommand('cli/main.ts'), '-n', NS, 'port-forward', ...args], {
      env: { ...process.env, KITE_SERVER: server, KITE_CONFIG: adminConfigFor(server) ?? '/nonexistent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    forwards.push(child);
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Forwarding from 127\.0\.0\.1:(\d+) -> \d+/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`port-forward exited (${code}): ${err}${out}`)));
    });
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
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-e2e-docker-commands-'));
    agent = await startAgent({ controller: server, name: NODE, dataDir: path.join(dir, 'agent') });
    await eventually(async () => isNodeReady(await client.get<Node>('Node', NODE)), 30_000, 'node Ready');
    ok(await kite(server, ['create', 'namespace', NS]), 'create namespace');
    // The test image has no tar applet: the pod links one (kite cp needs tar, as kubectl cp).
    const script = "/bin/busybox ln -sf busybox /bin/tar && mkdir -p /www && echo hello-from-pod > /www/index.html && exec httpd -f -p 8080 -h /www";
    ok(await cli(['run', WEB, '--image', image, '--command', '--', 'sh', '-c', script]), 'kite run web');
    ok(await cli(['expose', `deployment/${WEB}`, '--port', '80', '--target-port', '8080']), 'kite expose');
  });

  after(async function () {
    this.timeout(60_000);
    for (const f of forwards) f.kill('SIGINT');
    await agent?.stop();
    await controller?.stop();
    await etcd?.stop();
    if (dockerHandle) {
      const left = await docker.listContainers({ all: true, filters: { label: [`kite.node=${NODE}`] } });
      await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
      await dockerHandle.stop();
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const webPod = () =>
    eventually(async () => {
      const pods = await client.list<Pod>('Pod', { namespace: NS, labelSelector: `app=${WEB}` });
      return pods.items.find((p) => p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    }, 60_000, 'web pod Ready');

  it('port-forward carries HTTP to the pod, and to a service port mapped to its targetPort', async () => {
    const pod = await webPod();
    const direct = await portForward([`pod/${pod.metadata.name}`, ':8080']);
    assert.equal(await httpGet(direct), 'hello-from-pod\n');
    // Several connections, one after another and at once, each its own stream.
    assert.deepEqual(await Promise.all([httpGet(direct), httpGet(direct), httpGet(direct)]), ['hello-from-pod\n', 'hello-from-pod\n', 'hello-from-pod\n']);
    const viaService = await eventually(async () => portForward([`svc/${WEB}`, ':80']).catch(() => undefined), 30_000, 'service endpoints');
    assert.equal(await httpGet(viaService), 'hello-from-pod\n');
  });

  it('cp copies a directory into the pod and a file and a directory back out', async () => {
    const pod = (await webPod()).metadata.name;
    const src = path.join(dir, 'src');
    fs.mkdirSync(path.join(src, 'nested'), { recursive: true });
    fs.writeFileSync(path.join(src, 'a.txt'), 'alpha\n');
    fs.writeFileSync(path.join(src, 'nested', 'b.bin'), Buffer.alloc(200_000, 9));
    ok(await cli(['cp', src, `${pod}:/tmp/copied`]), 'cp to pod');
    assert.equal(ok(await cli(['exec', pod, '--', 'cat', '/tmp/copied/a.txt']), 'exec cat'), 'alpha\n');

    ok(await cli(['cp', `${pod}:/www/index.html`, path.join(dir, 'index.html')]), 'cp file from pod');
    assert.equal(fs.readFileSync(path.join(dir, 'index.html'), 'utf8'), 'hello-from-pod\n');
    ok(await cli(['cp', `${pod}:/tmp/copied`, path.join(dir, 'back')]), 'cp dir from pod');
    assert.equal(fs.readFileSync(path.join(dir, 'back', 'a.txt'), 'utf8'), 'alpha\n');
    assert.deepEqual(fs.readFileSync(path.join(dir, 'back', 'nested', 'b.bin')), Buffer.alloc(200_000, 9));

    const missing = await cli(['cp', `${pod}:/no/such`, path.join(dir, 'x')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot copy .*\/no\/such/);
  });

  it('run --rm -i gives a shell whose exit code is kite\'s, and removes the pod', async () => {
    const name = `shell-${process.pid}`;
    const r = await cli(['run', name, '--image', image, '--rm', '-i', '--restart', 'Never', '--', 'sh'], 'echo inside-$((6*7)) $(hostname)\nexit 7\n');
    assert.equal(r.code, 7, `${r.stderr}${r.stdout}`);
    assert.match(r.stdout, new RegExp(`inside-42 ${name}`));
    await eventually(async () => client.get('Pod', name, NS).then(() => false, (e: unknown) => isKiteError(e, 'NotFound')), 30_000, 'pod removed');
  });
});
