// Image pulls end to end: etcd + kite-controller + kite-agent (runtime docker) pulling from real
// Docker Distribution registries on loopback, one open and one behind htpasswd auth. Covers the
// pull policies (IfNotPresent, Always, Never) and kubernetes.io/dockerconfigjson imagePullSecrets,
// and that registry passwords stay out of logs and `kite describe`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Docker from 'dockerode';
import { stringify } from 'yaml';
import type { Node, Pod, Secret } from '../../common/api/types';
import { isNodeReady } from '../../common/api/node';
import type { KiteClient } from '../../common/client';
import { type DockerHandle, dockerForSuite } from '../harness/dockerd';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { ensureTestImage } from '../harness/images';
import { eventually, kite, startAgent, startController, type AgentHandle, type ControllerHandle } from '../harness/processes';
import { followProgress, pushTestImage, startRegistry, type RegistryCredentials, type RegistryHandle } from '../harness/registry';
import { requireCommand } from '../harness/require';

const NODE = `e2e-registry-${process.pid}`;
const NS = 'default';
const BUILT = (v: string) => `kite-test/registry-e2e:${v}-${process.pid}`;

type Waiting = { reason?: string; message?: string };

function podManifest(name: string, image: string, spec: Partial<Pod['spec']> & { imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never' }): Pod {
  const { imagePullPolicy, ...rest } = spec;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { suite: 'e2e-registry' } },
    spec: { containers: [{ name: 'main', image, imagePullPolicy, command: ['sleep', '3600'] }], terminationGracePeriodSeconds: 1, ...rest },
  };
}

/**
 * A kubernetes.io/dockerconfigjson Secret (via stringData). `kubectl` style writes username,
 * password and auth under the bare host; `docker login` style writes only auth, under a URL.
 */
function pullSecret(name: string, host: string, creds: RegistryCredentials, style: 'kubectl' | 'docker-login'): Secret {
  const auth = Buffer.from(`${creds.user}:${creds.password}`).toString('base64');
  const auths =
    style === 'kubectl' ? { [host]: { username: creds.user, password: creds.password, auth } } : { [`http://${host}`]: { auth } };
  const config = { auths };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: NS },
    type: 'kubernetes.io/dockerconfigjson',
    stringData: { '.dockerconfigjson': JSON.stringify(config) },
  };
}

/** Builds `FROM <base>` plus a /version file holding `content`, with the engine's classic builder. */
async function buildVersionImage(docker: Docker, base: string, content: string, tag: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-registry-build-'));
  try {
    fs.writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${base}\nCOPY version /version\n`);
    fs.writeFileSync(path.join(dir, 'version'), content + '\n');
    const tar = path.join(dir, 'context.tar');
    execFileSync('tar', ['-C', dir, '-cf', tar, 'Dockerfile', 'version']);
    const stream = await docker.buildImage(fs.createReadStream(tar) as unknown as NodeJS.ReadableStream, { t: tag, rm: true, forcerm: true });
    await followProgress(docker, stream);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function imageExists(docker: Docker, ref: string): Promise<boolean> {
  return docker
    .getImage(ref)
    .inspect()
    .then(() => true)
    .catch(() => false);
}

describe('image pulls from real registries (controller + agent + docker-registry, e2e)', function () {
  this.timeout(90_000);
  let dockerHandle: DockerHandle | undefined;
  let docker: Docker;
  let etcd: EtcdHandle | undefined;
  let controller: ControllerHandle | undefined;
  let agent: AgentHandle | undefined;
  let open: RegistryHandle | undefined;
  let locked: RegistryHandle | undefined;
  let client: KiteClient;
  let server = '';
  const dirs: string[] = [];
  const creds: RegistryCredentials = { user: 'kite-puller', password: `pw-${randomBytes(8).toString('hex')}` };
  const wrongPassword = `wrong-${randomBytes(8).toString('hex')}`;
  /** Reason/message pairs each pod's container was seen waiting with, in order. */
  const seen = new Map<string, Waiting[]>();
  let watching = true;
  let watcher: Promise<void> | undefined;

  const cli = (args: string[]) => kite(server, args);
  function ok(r: { code: number; stdout: string; stderr: string }, what: string): string {
    assert.equal(r.code, 0, `${what} failed (${r.code}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  }
  const getPod = (name: string) => client.get<Pod>('Pod', name, NS);
  const waitingOf = (p: Pod): Waiting | undefined => p.status?.containerStatuses?.[0]?.state?.waiting;
  const podRunning = async (name: string) => ((await getPod(name)).status?.phase === 'Running' ? true : undefined);
  const PODS = ['ifnotpresent', 'always', 'never', 'private-anonymous', 'private-authed', 'private-wrong'];

  /** Samples every pod's waiting state often, so transient reasons (ErrImagePull) are not missed. */
  async function watchWaiting(): Promise<void> {
    while (watching) {
      for (const name of PODS) {
        const w = await getPod(name).then(waitingOf, () => undefined);
        if (!w?.reason) continue;
        const list = seen.get(name) ?? [];
        const last = list[list.length - 1];
        if (last?.reason !== w.reason || last?.message !== w.message) list.push({ reason: w.reason, message: w.message });
        seen.set(name, list);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    requireCommand(this, 'docker-registry', 'Docker Distribution (Debian package docker-registry)');
    dockerHandle = await dockerForSuite(this);
    docker = dockerHandle.docker;
    const base = await ensureTestImage(docker);
    [open, locked, etcd] = await Promise.all([startRegistry(), startRegistry({ auth: creds }), startEtcd()]);

    // Images in the registries, with no local copy left where the test needs a real pull.
    await buildVersionImage(docker, base, 'v1', BUILT('v1'));
    await buildVersionImage(docker, base, 'v2', BUILT('v2'));
    const app = await pushTestImage(docker, open, 'app:1');
    const never = await pushTestImage(docker, open, 'app:never');
    await pushTestImage(docker, open, 'app:rolling', null, BUILT('v1'));
    const rolling = await pushTestImage(docker, open, 'app:rolling', null, BUILT('v2'));
    const secret = await pushTestImage(docker, locked, 'private:1');
    for (const ref of [app, never, secret]) await docker.getImage(ref).remove();
    // The local app:rolling is now stale (v1) while the registry holds v2: only a re-pull runs v2.
    const i = rolling.lastIndexOf(':');
    await docker.getImage(BUILT('v1')).tag({ repo: rolling.slice(0, i), tag: rolling.slice(i + 1) });

    // Debug level so a leaked credential in any log line would be caught below.
    const level = process.env.KITE_TEST_LOG_LEVEL;
    process.env.KITE_TEST_LOG_LEVEL = 'debug';
    try {
      controller = await startController({ etcd: etcd.endpoint, heartbeatMs: 500 });
      client = controller.client;
      server = controller.target;
      const agentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-e2e-registry-agent-'));
      dirs.push(agentDir);
      agent = await startAgent({ controller: server, name: NODE, dataDir: agentDir });
    } finally {
      if (level === undefined) delete process.env.KITE_TEST_LOG_LEVEL;
      else process.env.KITE_TEST_LOG_LEVEL = level;
    }
    await eventually(async () => {
      const n = await client.get<Node>('Node', NODE);
      return isNodeReady(n);
    }, 30_000, 'node Ready');

    const objects: object[] = [
      pullSecret('regcred', locked.host, creds, 'docker-login'),
      pullSecret('badcred', locked.host, { user: creds.user, password: wrongPassword }, 'kubectl'),
      podManifest('ifnotpresent', app, { imagePullPolicy: 'IfNotPresent' }),
      podManifest('always', rolling, { imagePullPolicy: 'Always' }),
      podManifest('never', never, { imagePullPolicy: 'Never' }),
      // Always, so that the authed pod's pull (which leaves the image on the node) cannot let these run.
      podManifest('private-anonymous', secret, { imagePullPolicy: 'Always' }),
      podManifest('private-authed', secret, { imagePullPolicy: 'IfNotPresent', imagePullSecrets: [{ name: 'regcred' }] }),
      podManifest('private-wrong', secret, { imagePullPolicy: 'Always', imagePullSecrets: [{ name: 'badcred' }] }),
    ];
    const manifestDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-e2e-registry-manifests-'));
    dirs.push(manifestDir);
    const file = path.join(manifestDir, 'objects.yaml');
    fs.writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
    ok(await cli(['apply', '-f', file]), 'kite apply');
    watcher = watchWaiting();
  });

  after(async function () {
    this.timeout(60_000);
    watching = false;
    await watcher;
    if (server) await cli(['delete', 'pods', '-l', 'suite=e2e-registry']).catch(() => undefined);
    await agent?.stop();
    await controller?.stop();
    await etcd?.stop();
    if (dockerHandle) {
      const left = await docker.listContainers({ all: true, filters: { label: [`kite.node=${NODE}`] } });
      await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
      // Every local tag of the test registries, and the images built for the Always case.
      const hosts = [open?.host, locked?.host].filter((h): h is string => h !== undefined);
      // By reference, never by id: app:1 shares its id with the suite-wide test image. Digest
      // references matter too, for content whose tag has moved on (the old app:rolling).
      const refs = (await docker.listImages()).flatMap((img) => [...(img.RepoTags ?? []), ...(img.RepoDigests ?? [])]);
      const ours = refs.filter((r) => hosts.some((h) => r.startsWith(h + '/')) || r === BUILT('v1') || r === BUILT('v2'));
      for (const r of ours) await docker.getImage(r).remove().catch(() => undefined);
      await dockerHandle.stop();
    }
    await open?.stop();
    await locked?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('IfNotPresent pulls an absent image from an auth-less registry and runs it', async () => {
    await eventually(() => podRunning('ifnotpresent'), 30_000, 'ifnotpresent Running');
    assert.ok(await imageExists(docker, open!.ref('app:1')), 'the image was pulled onto the node');
    assert.match(ok(await cli(['get', 'pods', 'ifnotpresent']), 'kite get pods'), /^ifnotpresent\s+1\/1\s+Running\b/m);
  });

  it('Always re-pulls a tag whose content changed in the registry, over a stale local copy', async () => {
    await eventually(() => podRunning('always'), 30_000, 'always Running');
    assert.equal(ok(await cli(['exec', 'always', '--', 'cat', '/version']), 'kite exec cat /version'), 'v2\n');
    const local = await docker.getImage(open!.ref('app:rolling')).inspect();
    const v2 = await docker.getImage(BUILT('v2')).inspect();
    assert.equal(local.Id, v2.Id, 'the node tag now points at the pushed v2 content');
  });

  it('Never with the image absent waits with ErrImageNeverPull and pulls nothing', async () => {
    const p = await eventually(async () => {
      const pod = await getPod('never');
      return waitingOf(pod)?.reason === 'ErrImageNeverPull' ? pod : undefined;
    }, 30_000, 'never waiting with ErrImageNeverPull');
    assert.match(waitingOf(p)?.message ?? '', /not present with pull policy of Never/);
    assert.match(ok(await cli(['get', 'pods', 'never']), 'kite get pods'), /^never\s+0\/1\s+ErrImageNeverPull\b/m);
    assert.equal(await imageExists(docker, open!.ref('app:never')), false, 'nothing was pulled');
    assert.ok(!seen.get('never')?.some((w) => w.reason === 'ErrImagePull'), 'no pull was attempted');
  });

  it('without imagePullSecrets shows ErrImagePull then ImagePullBackOff with the registry\'s reason', async () => {
    const reasons = await eventually(() => {
      const list = seen.get('private-anonymous') ?? [];
      const first = list.findIndex((w) => w.reason === 'ErrImagePull');
      return first >= 0 && list.slice(first).some((w) => w.reason === 'ImagePullBackOff') ? list : undefined;
    }, 40_000, 'ErrImagePull then ImagePullBackOff');
    const failure = reasons.find((w) => w.reason === 'ErrImagePull')!;
    assert.match(failure.message ?? '', /no basic auth credentials|unauthorized|authentication required/i);
    assert.match(failure.message ?? '', new RegExp(locked!.host.replace(/\./g, '\\.')), 'names the image');
    const p = await getPod('private-anonymous');
    assert.notEqual(p.status?.phase, 'Running');
  });

  it('with a dockerconfigjson Secret holding the right credentials, runs the private image', async () => {
    await eventually(() => podRunning('private-authed'), 30_000, 'private-authed Running');
    assert.match(ok(await cli(['get', 'pods', 'private-authed']), 'kite get pods'), /^private-authed\s+1\/1\s+Running\b/m);
  });

  it('with wrong credentials fails with ErrImagePull and the engine\'s reason', async () => {
    const failure = await eventually(() => seen.get('private-wrong')?.find((w) => w.reason === 'ErrImagePull'), 30_000, 'private-wrong ErrImagePull');
    assert.match(failure.message ?? '', /unauthorized|authentication required|incorrect username or password/i);
    assert.ok(!(failure.message ?? '').includes(wrongPassword), 'the wrong password is not echoed');
    assert.notEqual((await getPod('private-wrong')).status?.phase, 'Running');
  });

  it('never shows a registry password in logs, `kite get secret -o yaml` (beyond base64 data) or `kite describe pod`', async () => {
    // Let every pull path have run at least once first.
    await eventually(() => podRunning('private-authed'), 30_000, 'private-authed Running');
    await eventually(() => seen.get('private-wrong')?.some((w) => w.reason === 'ErrImagePull'), 30_000, 'private-wrong tried');
    const secrets = [creds.password, wrongPassword];
    const basicAuth = Buffer.from(`${creds.user}:${creds.password}`).toString('base64');
    for (const [what, file] of [['controller', controller!.logFile], ['agent', agent!.logFile]] as const) {
      const text = fs.readFileSync(file, 'utf8');
      assert.ok(text.length > 0, `${what} log is not empty`);
      for (const s of [...secrets, basicAuth]) assert.ok(!text.includes(s), `${what} log leaks a credential`);
    }

    const yaml = ok(await cli(['get', 'secret', 'regcred', '-o', 'yaml']), 'kite get secret -o yaml');
    for (const s of secrets) assert.ok(!yaml.includes(s), 'secret yaml shows a password in clear');
    const encoded = /\.dockerconfigjson:\s*(\S+)/.exec(yaml)?.[1];
    assert.ok(encoded, `base64 .dockerconfigjson in:\n${yaml}`);
    const stored = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as { auths: Record<string, { auth?: string }> };
    assert.equal(stored.auths[`http://${locked!.host}`]?.auth, basicAuth, 'the data is the base64 of the config');

    for (const pod of ['private-authed', 'private-wrong', 'private-anonymous']) {
      const out = ok(await cli(['describe', 'pod', pod]), `kite describe pod ${pod}`);
      for (const s of [...secrets, basicAuth]) assert.ok(!out.includes(s), `describe ${pod} leaks a credential`);
    }
    const wrong = ok(await cli(['describe', 'pod', 'private-wrong']), 'kite describe pod private-wrong');
    assert.match(wrong, /ErrImagePull|ImagePullBackOff/);
  });
});
