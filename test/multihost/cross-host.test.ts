// Kite across three real hosts (network namespaces, each with its own dockerd and kite-agent):
// placement spreads over hosts, a hostPort answers at its host's address from another host, and
// logs/exec reach pods wherever they run; a local-path claim pins its pods to the host it was
// provisioned on (the directory exists under that host's agent storage dir only); a Compose
// application as a Docker user brings it: images built on the local engine and sent with
// `kite image push` (no registry), then `kite apply -f compose.yaml` — web reaches api and api the
// store by name, `depends_on: service_healthy` holds the api until the store is healthy, `ports`
// answer on every host, `kite delete -f` removes it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PersistentVolumeClaim, Pod } from '../../common/api/types';
import { isKiteError } from '../../common/errors';
import { type DockerHandle, dockerForSuite } from '../harness/dockerd';
import { ensureTestImage, TEST_IMAGE } from '../harness/images';
import { eventually, fullyAvailable, NS, podReady, requireHostTools, startCluster, webDeployment, type MultiHostCluster } from './fixture';

const IMAGE = TEST_IMAGE;
const CLAIM = `pinned-${process.pid}`;

const PROJECT = `shop-${process.pid}`;
const TAG = `${process.pid}`;
const PORT = 18000 + (process.pid % 1000);

/** An image of the test busybox plus one file, so each service has its own image id. */
function buildImage(socket: string, dir: string, name: string): string {
  const image = `kite-compose/${name}:${TAG}`;
  const ctx = path.join(dir, name);
  fs.mkdirSync(ctx, { recursive: true });
  fs.writeFileSync(path.join(ctx, 'role'), `${name}\n`);
  fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${TEST_IMAGE}\nCOPY role /role\n`);
  execFileSync('docker', ['-H', `unix://${socket}`, 'build', '-q', '-t', image, ctx], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOCKER_API_VERSION: '1.41' } });
  return image;
}

const composeFile = (images: Record<string, string>) => `
name: ${PROJECT}
services:
  store:
    image: ${images.store}
    # Healthy only after a few seconds: the API must wait for it.
    command: ["sh", "-c", "sleep 4; mkdir -p /tmp/www && echo stored-value > /tmp/www/value && exec httpd -f -p 6379 -h /tmp/www"]
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://127.0.0.1:6379/value"]
      interval: 1s
      timeout: 1s
      retries: 2
      start_period: 30s
  api:
    image: ${images.api}
    expose: ["8080"]
    command:
      - sh
      - -c
      - |
        mkdir -p /tmp/srv/cgi-bin
        printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho "api saw $$(wget -qO- http://store:6379/value)"\\n' > /tmp/srv/cgi-bin/get
        chmod +x /tmp/srv/cgi-bin/get
        exec httpd -f -p 8080 -h /tmp/srv
    depends_on:
      store:
        condition: service_healthy
  web:
    image: ${images.web}
    deploy:
      replicas: 2
    ports: ["${PORT}:8080"]
    command:
      - sh
      - -c
      - |
        mkdir -p /tmp/srv/cgi-bin
        printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho "web -> $$(wget -qO- http://api:8080/cgi-bin/get)"\\n' > /tmp/srv/cgi-bin/hello
        chmod +x /tmp/srv/cgi-bin/hello
        exec httpd -f -p 8080 -h /tmp/srv
    depends_on: [api]
`;

function podUsingClaim(name: string, script: string): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: IMAGE, command: ['sh', '-c', script], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: CLAIM } }],
    },
  };
}

describe('Kite on three hosts (multi-host)', function () {
  this.timeout(120_000);
  let c: MultiHostCluster | undefined;
  const cluster = () => c!;

  before(async function () {
    this.timeout(180_000);
    requireHostTools(this);
    c = await startCluster({ hosts: 3, controllers: 1, nodeGraceSeconds: 3, heartbeatMs: 500 });
    await eventually(async () => (await c!.client().list('Node')).items.length === 3, 30_000, 'three nodes registered');
  });

  after(async () => {
    await c?.teardown();
  });

  it('spreads a Deployment over every host, and each pod runs on its own host\'s engine', async () => {
    await cluster().client().apply([webDeployment('spread', 6)]);
    await fullyAvailable(cluster(), 'spread', 6, 60_000);
    const pods = await cluster().pods('app=spread');
    const perNode = new Map<string, number>();
    for (const p of pods) perNode.set(p.spec.nodeName!, (perNode.get(p.spec.nodeName!) ?? 0) + 1);
    assert.deepEqual([...perNode.keys()].sort(), cluster().hosts.hosts.map((h) => h.name).sort(), 'every host got pods');
    for (const p of pods) {
      const h = cluster().host(p.spec.nodeName!);
      assert.equal(p.status?.hostIP, h.ip, `${p.metadata.name} reports its host's address`);
      const running = await cluster().runningOn(h);
      assert.ok(running.has(p.metadata.uid!), `${p.metadata.name} runs on ${h.name}'s dockerd`);
    }
  });

  it('serves a hostPort at its host\'s address, reachable from another host', async () => {
    const [a, b] = cluster().hosts.hosts;
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'hostport-b', namespace: NS },
      spec: {
        nodeName: b!.name,
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'web', image: 'kite-test/busybox:1', command: ['sh', '-c', 'echo on-b > /www/where; exec httpd -f -p 80 -h /www'], ports: [{ containerPort: 80, hostPort: 18080 }] }],
      },
    };
    await cluster().client().apply([pod]);
    const body = await eventually(
      () => {
        try {
          return cluster().hosts.exec(a!, ['curl', '-sf', '-m', '2', `http://${b!.ip}:18080/where`]);
        } catch {
          return undefined;
        }
      },
      30_000,
      'hostPort 18080 on host B from host A',
    );
    assert.equal(body.trim(), 'on-b');
    // The port is B's, not A's: A has nothing on it.
    assert.throws(() => cluster().hosts.exec(a!, ['curl', '-sf', '-m', '2', `http://${a!.ip}:18080/where`]));
  });

  it('reaches pods on every host with kite logs and kite exec', async () => {
    const hosts = cluster().hosts.hosts;
    await cluster().client().apply(
      hosts.map(
        (h): Pod => ({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `talk-${h.index}`, namespace: NS },
          spec: {
            nodeName: h.name,
            terminationGracePeriodSeconds: 1,
            containers: [{ name: 'main', image: 'kite-test/busybox:1', command: ['sh', '-c', `echo hello-from-${h.name}; exec sleep 3600`] }],
          },
        }),
      ),
    );
    for (const h of hosts) {
      const name = `talk-${h.index}`;
      await eventually(async () => (await cluster().client().get<Pod>('Pod', name, NS)).status?.phase === 'Running', 30_000, `${name} running`);
      const logs = await eventually(async () => {
        const r = await cluster().cli(['logs', name]);
        return r.code === 0 && r.stdout.includes(`hello-from-${h.name}`) ? r : undefined;
      }, 15_000, `logs of ${name}`);
      assert.match(logs.stdout, new RegExp(`hello-from-${h.name}`));
      const ex = await cluster().cli(['exec', name, '--', 'sh', '-c', 'echo exec-ok; ip -4 addr show eth0 | grep -c inet']);
      assert.equal(ex.code, 0, `exec on ${h.name}: ${ex.stderr}`);
      assert.match(ex.stdout, /^exec-ok\n1\n$/);
    }
  });

  const ready = async (name: string) => {
    const p = await cluster().client().get<Pod>('Pod', name, NS).catch(() => undefined);
    return p && podReady(p) && !p.metadata.deletionTimestamp ? p : undefined;
  };

  it('keeps a claim\'s pod on the host it was provisioned on across a pod delete, with its data', async () => {
    const client = cluster().client();
    await client.apply([
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: CLAIM, namespace: NS }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '16Mi' } } } } as PersistentVolumeClaim,
      podUsingClaim('first', 'hostname > /data/first; exec sleep 3600'),
    ]);
    const first = await eventually(() => ready('first'), 90_000, 'first Ready');
    const node = first.spec.nodeName!;
    const claim = await client.get<PersistentVolumeClaim>('PersistentVolumeClaim', CLAIM, NS);
    assert.equal(claim.status?.phase, 'Bound');
    const dirName = `pvc-${claim.metadata.uid}_${NS}_${CLAIM}`;
    for (const h of cluster().hosts.hosts) {
      const volumeDir = path.join(h.dir, 'agent', 'storage', dirName);
      assert.equal(fs.existsSync(volumeDir), h.name === node, `the directory exists on ${node} only (${h.name})`);
    }

    await client.delete('Pod', 'first', NS);
    await eventually(async () => {
      try {
        await client.get('Pod', 'first', NS);
        return false;
      } catch (e) {
        return isKiteError(e, 'NotFound');
      }
    }, 60_000, 'first gone');
    // Several replacements: each would spread over three hosts if the claim did not pin them.
    for (const name of ['second', 'third', 'fourth']) await client.apply([podUsingClaim(name, 'exec sleep 3600')]);
    for (const name of ['second', 'third', 'fourth']) {
      const p = await eventually(() => ready(name), 90_000, `${name} Ready`);
      assert.equal(p.spec.nodeName, node, `${name} runs where the claim's volume is`);
    }
    const r = await cluster().cli(['exec', '-n', NS, 'second', '--', 'cat', '/data/first']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'first', 'the data the first pod wrote');
  });

  describe('a Compose application', function () {
    this.timeout(180_000);
    /** The engine on this machine (the user's laptop in this story): images are built there. */
    let local: DockerHandle | undefined;
    let dir = '';
    const images: Record<string, string> = {};

    before(async function () {
      this.timeout(240_000);
      local = await dockerForSuite(this);
      await ensureTestImage(local.docker);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-compose-'));
      for (const s of ['store', 'api', 'web']) images[s] = buildImage(local.socketPath, dir, s);
      fs.writeFileSync(path.join(dir, 'compose.yaml'), composeFile(images));
    });

    after(async function () {
      this.timeout(60_000);
      for (const image of Object.values(images)) await local?.docker.getImage(image).remove({ force: true }).catch(() => undefined);
      await local?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('pushes the locally built images to every node without a registry', async () => {
      for (const image of Object.values(images)) {
        const r = await cluster().cli(['image', 'push', image]);
        assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
      }
      for (const h of cluster().hosts.hosts) {
        const tags = (await h.docker.listImages()).flatMap((i) => i.RepoTags ?? []);
        for (const image of Object.values(images)) assert.ok(tags.includes(image), `${image} on ${h.name}`);
      }
    });

    it('applies the Compose file; web reaches api and api reaches store by name; ports answer on every host', async () => {
      const r = await cluster().cli(['apply', '-f', path.join(dir, 'compose.yaml')]);
      assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
      for (const h of cluster().hosts.hosts) {
        const body = await eventually(async () => {
          try {
            const out = execFileSync('curl', ['-s', '--max-time', '3', `http://${h.ip}:${PORT}/cgi-bin/hello`]).toString();
            return out.includes('stored-value') ? out : undefined;
          } catch {
            return undefined;
          }
        }, 120_000, `web answering on ${h.name}`);
        assert.match(body, /^web -> api saw stored-value/m);
      }
    });

    it('started the api only once the store was healthy (depends_on service_healthy)', async () => {
      const pods = (await cluster().client().list<Pod>('Pod', { namespace: PROJECT })).items;
      const of = (service: string) => pods.filter((p) => p.metadata.labels?.['com.docker.compose.service'] === service);
      const condTime = (p: Pod, type: string) => Date.parse(p.status?.conditions?.find((x) => x.type === type && x.status === 'True')?.lastTransitionTime ?? '');
      const storeReady = Math.min(...of('store').map((p) => condTime(p, 'Ready')));
      const apiScheduled = Math.min(...of('api').map((p) => condTime(p, 'PodScheduled')));
      assert.ok(Number.isFinite(storeReady) && Number.isFinite(apiScheduled), JSON.stringify(pods.map((p) => [p.metadata.name, p.status?.conditions])));
      // Condition times have whole seconds: the api was scheduled no earlier than the second the store became ready.
      assert.ok(apiScheduled >= Math.floor(storeReady / 1000) * 1000, `api scheduled at ${new Date(apiScheduled).toISOString()}, store ready at ${new Date(storeReady).toISOString()}`);
    });

    it('deletes the whole application with kite delete -f', async () => {
      const r = await cluster().cli(['delete', '-f', path.join(dir, 'compose.yaml')]);
      assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
      await eventually(async () => (await cluster().client().list('Namespace')).items.every((n) => n.metadata.name !== PROJECT), 60_000, 'the project namespace gone');
    });
  });
});
