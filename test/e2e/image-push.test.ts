// kite image push / kite image ls end to end: etcd + kite-controller + kite-agent on a real Docker
// Engine. Agent and CLI share one engine here, so the load path is shown by removing the image
// from the engine and giving the CLI a stand-in "local engine" (a unix socket serving the saved
// archive, as `docker save` would): the agent's `docker load` must bring the image back under the
// same id. Pushing again then skips the node (it has that id), and a pod with IfNotPresent runs
// the pushed image without any registry.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type Docker from 'dockerode';
import { stringify } from 'yaml';
import type { Node, Pod } from '../../common/api/types';
import { isNodeReady } from '../../common/api/node';
import type { KiteClient } from '../../common/client';
import { type DockerHandle, dockerForSuite } from '../harness/dockerd';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { ensureTestImage } from '../harness/images';
import { eventually, kite, startAgent, startController, type AgentHandle, type ControllerHandle } from '../harness/processes';
import { followProgress } from '../harness/registry';
import { requireCommand } from '../harness/require';

const NODE = `e2e-image-push-${process.pid}`;
const IMAGE = `kite-test/image-push:${process.pid}`;

/** FROM the test image plus a random file, so the image id is this run's own. */
async function buildUniqueImage(docker: Docker, base: string, tag: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-image-push-build-'));
  try {
    fs.writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${base}\nCOPY random /random\n`);
    fs.writeFileSync(path.join(dir, 'random'), randomBytes(64 * 1024));
    const tar = path.join(dir, 'context.tar');
    execFileSync('tar', ['-C', dir, '-cf', tar, 'Dockerfile', 'random']);
    await followProgress(docker, await docker.buildImage(fs.createReadStream(tar) as unknown as NodeJS.ReadableStream, { t: tag, rm: true, forcerm: true }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A stand-in local engine on a unix socket that knows one image: its inspect and its archive. */
async function archiveEngine(socket: string, name: string, inspect: object, archive: Buffer): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '').split('?')[0]!).replace(/^\/v[\d.]+/, '');
    if (url === `/images/${name}/json`) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(inspect));
    } else if (url === `/images/${name}/get`) {
      res.writeHead(200, { 'content-type': 'application/x-tar' });
      res.end(archive);
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `no such image: ${url}` }));
    }
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return server;
}

describe('kite image push (controller + agent + Docker, e2e)', function () {
  this.timeout(120_000);
  let dockerHandle: DockerHandle | undefined;
  let docker: Docker;
  let etcd: EtcdHandle | undefined;
  let controller: ControllerHandle | undefined;
  let agent: AgentHandle | undefined;
  let client: KiteClient;
  let server = '';
  let imageId = '';
  let fakeEngine: http.Server | undefined;
  const dirs: string[] = [];
  const cli = (args: string[], env: Record<string, string> = {}) => kite(server, args, undefined, env);

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    dockerHandle = await dockerForSuite(this);
    docker = dockerHandle.docker;
    const base = await ensureTestImage(docker);
    [etcd] = await Promise.all([startEtcd(), buildUniqueImage(docker, base, IMAGE)]);
    imageId = (await docker.getImage(IMAGE).inspect()).Id;
    controller = await startController({ etcd: etcd!.endpoint, heartbeatMs: 500 });
    client = controller.client;
    server = controller.target;
    const agentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-e2e-image-push-agent-'));
    dirs.push(agentDir);
    agent = await startAgent({ controller: server, name: NODE, dataDir: agentDir });
    await eventually(async () => isNodeReady(await client.get<Node>('Node', NODE)), 30_000, 'node Ready');
  });

  after(async function () {
    this.timeout(60_000);
    if (server) await cli(['delete', 'pod', 'from-pushed', '--now', '--ignore-not-found']).catch(() => undefined);
    await agent?.stop();
    await controller?.stop();
    await etcd?.stop();
    await new Promise<void>((r) => (fakeEngine ? fakeEngine.close(() => r()) : r()));
    if (dockerHandle) {
      const left = await docker.listContainers({ all: true, filters: { label: [`kite.node=${NODE}`] } });
      await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
      await docker.getImage(IMAGE).remove().catch(() => undefined);
      await dockerHandle.stop();
    }
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('refuses an image the local engine does not have, sending nothing', async () => {
    const r = await cli(['image', 'push', `kite-test/absent:${process.pid}`]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /is not in the local Docker Engine/);
    assert.doesNotMatch(r.stdout, /loaded|skipped/);
  });

  it('refuses an unknown --node, naming it', async () => {
    const r = await cli(['image', 'push', IMAGE, '--node', 'no-such-node']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /"no-such-node" not found/);
  });

  it('loads the image into a node that lacks it (docker load through controller and agent)', async () => {
    const inspect = await docker.getImage(IMAGE).inspect();
    const archive = await new Promise<Buffer>((resolve, reject) => {
      void docker.getImage(IMAGE).get().then((s) => {
        const parts: Buffer[] = [];
        s.on('data', (d: Buffer) => parts.push(d));
        s.on('end', () => resolve(Buffer.concat(parts)));
        s.on('error', reject);
      }, reject);
    });
    await docker.getImage(IMAGE).remove();
    await assert.rejects(docker.getImage(imageId).inspect(), 'the node no longer has the image');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-e2e-image-push-engine-'));
    dirs.push(dir);
    const socket = path.join(dir, 'docker.sock');
    fakeEngine = await archiveEngine(socket, IMAGE, inspect, archive);

    const r = await cli(['image', 'push', IMAGE], { DOCKER_HOST: `unix://${socket}` });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, new RegExp(`^${NODE}: loaded ${IMAGE.replace(/[/.]/g, '\\$&')} \\(${imageId.slice(7, 19)}\\)$`, 'm'));
    const back = await docker.getImage(IMAGE).inspect();
    assert.equal(back.Id, imageId, 'the tag is back, on the same image id');
  });

  it('skips a node that already holds the image id', async () => {
    const r = await cli(['image', 'push', IMAGE, '--node', NODE]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, new RegExp(`^${NODE}: skipped \\(already has ${imageId.slice(7, 19)}\\)$`, 'm'));
    assert.doesNotMatch(r.stdout, /loaded/);
  });

  it('kite image ls shows the image on the node (Node.status.images)', async () => {
    const out = await eventually(async () => {
      const r = await cli(['image', 'ls']);
      return r.code === 0 && r.stdout.includes(IMAGE) ? r.stdout : undefined;
    }, 45_000, 'image listed');
    const line = out.split('\n').find((l) => l.includes(IMAGE))!;
    assert.match(line, new RegExp(`^${IMAGE.replace(/[/.]/g, '\\$&')}\\s+${imageId.slice(7, 19)}\\s+\\S+B\\s+${NODE}$`));
  });

  it('a pod with imagePullPolicy IfNotPresent runs the pushed image (no registry has it)', async () => {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'from-pushed', namespace: 'default' },
      spec: { containers: [{ name: 'main', image: IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'test -f /random && sleep 3600'] }], terminationGracePeriodSeconds: 1 },
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-e2e-image-push-pod-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'pod.yaml'), stringify(pod));
    const r = await cli(['apply', '-f', path.join(dir, 'pod.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    await eventually(async () => ((await client.get<Pod>('Pod', 'from-pushed', 'default')).status?.phase === 'Running' ? true : undefined), 30_000, 'pod Running');
  });
});
