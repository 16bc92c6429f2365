// A Compose application on three hosts (network namespaces, each with its own dockerd and
// kite-agent), as a Docker user would bring it: images built on the local engine and sent to the
// nodes with `kite image push` (no registry), then `kite apply -f compose.yaml`. The web front end
// reaches the API by service name and the API the store; `depends_on: condition: service_healthy`
// holds the API back until the store's healthcheck passes; `ports` answer on every host.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Pod } from '../../common/api/types';
import { type DockerHandle, dockerForSuite } from '../harness/dockerd';
import { ensureTestImage, TEST_IMAGE } from '../harness/images';
import { eventually, requireHostTools, startCluster, type MultiHostCluster } from './fixture';

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

describe('a Compose application on three hosts (multi-host)', function () {
  this.timeout(180_000);
  let c: MultiHostCluster | undefined;
  /** The engine on this machine (the user's laptop in this story): images are built there. */
  let local: DockerHandle | undefined;
  let dir = '';
  const images: Record<string, string> = {};

  before(async function () {
    this.timeout(240_000);
    requireHostTools(this);
    local = await dockerForSuite(this);
    await ensureTestImage(local.docker);
    c = await startCluster({ hosts: 3, controllers: 1, nodeGraceSeconds: 30, heartbeatMs: 500 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-compose-'));
    for (const s of ['store', 'api', 'web']) images[s] = buildImage(local.socketPath, dir, s);
    fs.writeFileSync(path.join(dir, 'compose.yaml'), composeFile(images));
  });

  after(async function () {
    this.timeout(60_000);
    await c?.teardown();
    for (const image of Object.values(images)) await local?.docker.getImage(image).remove({ force: true }).catch(() => undefined);
    await local?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pushes the locally built images to every node without a registry', async () => {
    for (const image of Object.values(images)) {
      const r = await c!.cli(['image', 'push', image]);
      assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    }
    for (const h of c!.hosts.hosts) {
      const tags = (await h.docker.listImages()).flatMap((i) => i.RepoTags ?? []);
      for (const image of Object.values(images)) assert.ok(tags.includes(image), `${image} on ${h.name}`);
    }
  });

  it('applies the Compose file; web reaches api and api reaches store by name; ports answer on every host', async () => {
    const r = await c!.cli(['apply', '-f', path.join(dir, 'compose.yaml')]);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    for (const h of c!.hosts.hosts) {
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
    const pods = (await c!.client().list<Pod>('Pod', { namespace: PROJECT })).items;
    const of = (service: string) => pods.filter((p) => p.metadata.labels?.['com.docker.compose.service'] === service);
    const condTime = (p: Pod, type: string) => Date.parse(p.status?.conditions?.find((x) => x.type === type && x.status === 'True')?.lastTransitionTime ?? '');
    const storeReady = Math.min(...of('store').map((p) => condTime(p, 'Ready')));
    const apiScheduled = Math.min(...of('api').map((p) => condTime(p, 'PodScheduled')));
    assert.ok(Number.isFinite(storeReady) && Number.isFinite(apiScheduled), JSON.stringify(pods.map((p) => [p.metadata.name, p.status?.conditions])));
    // Condition times have whole seconds: the api was scheduled no earlier than the second the store became ready.
    assert.ok(apiScheduled >= Math.floor(storeReady / 1000) * 1000, `api scheduled at ${new Date(apiScheduled).toISOString()}, store ready at ${new Date(storeReady).toISOString()}`);
  });

  it('deletes the whole application with kite delete -f', async () => {
    const r = await c!.cli(['delete', '-f', path.join(dir, 'compose.yaml')]);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    await eventually(async () => (await c!.client().list('Namespace')).items.every((n) => n.metadata.name !== PROJECT), 60_000, 'the project namespace gone');
  });
});
