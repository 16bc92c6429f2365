// kite apply/convert/delete -f with Compose files, as a user runs them, against a real controller on a real etcd.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Deployment, Job, KObject, Service } from '../../common/api/types';
import { isKiteError } from '../../common/errors';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { startController, kite, type ControllerHandle, type CliResult } from '../harness/processes';
import { requireCommand } from '../harness/require';

const PREFIX = '/kite-it-compose';

const COMPOSE = `name: \${PROJECT}
services:
  web:
    image: nginx:\${WEB_TAG:-1.27}
    ports: ["8080:80"]
    depends_on:
      db: { condition: service_healthy }
      migrate: { condition: service_completed_successfully }
    configs: [site]
    container_name: ignored
  db:
    image: postgres:16
    expose: ["5432"]
    healthcheck: { test: ["CMD-SHELL", "pg_isready"], interval: 5s }
    volumes: [data:/var/lib/postgresql/data]
  migrate:
    image: busybox:1
    command: ["true"]
    restart: "no"
volumes:
  data: {}
configs:
  site: { content: "hello" }
`;

function assertCleanFailure(r: CliResult, pattern: RegExp): void {
  assert.notEqual(r.code, 0, `expected failure, got exit 0\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /^\s+at .+:\d+:\d+\)?$/m, `stack trace on stderr:\n${r.stderr}`);
}

describe('kite with Compose files (integration: etcd + controller)', function () {
  this.timeout(60_000);
  let etcd: EtcdHandle | undefined;
  let ctl: ControllerHandle | undefined;
  let dir: string;
  const project = `compose-it-${process.pid}`;
  let run: (args: string[], env?: Record<string, string>) => Promise<CliResult>;

  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };
  const exists = async (kind: string, name: string, namespace: string) =>
    ctl!.client.get(kind, name, namespace).then(
      () => true,
      (e: unknown) => {
        if (isKiteError(e, 'NotFound')) return false;
        throw e;
      },
    );

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    etcd = await startEtcd();
    ctl = await startController({ etcd: etcd.endpoint, prefix: PREFIX, id: 'compose-it', leaderTtlSeconds: 2 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-compose-it-'));
    run = (args, env = {}) => kite(ctl!.target, args, undefined, { PROJECT: project, ...env });
  });

  after(async () => {
    await ctl?.stop();
    await etcd?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('convert prints the objects without a cluster, as YAML documents or a JSON List', async () => {
    const file = write('app/compose.yaml', COMPOSE);
    const r = await kite('127.0.0.1:1', ['convert', '-f', file, '-o', 'json'], undefined, { PROJECT: project });
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as { kind: string; items: KObject[] };
    assert.equal(list.kind, 'List');
    assert.deepEqual(
      list.items.map((o) => `${o.kind}/${o.metadata.name}`),
      ['Namespace/' + project, 'PersistentVolumeClaim/data', 'ConfigMap/site', 'Deployment/web', 'Service/web', 'Service/web-published', 'Deployment/db', 'Service/db', 'Job/migrate'],
    );
    assert.match(r.stderr, /Warning: compose\.yaml: services\.web\.container_name: is ignored/);
    const yaml = await kite('127.0.0.1:1', ['convert', '-f', file], undefined, { PROJECT: project });
    assert.equal(yaml.code, 0, yaml.stderr);
    assert.equal(yaml.stdout.split('\n---\n').length, 9);
  });

  it('apply -f compose.yaml creates the project namespace and every object, then reports them unchanged', async () => {
    const file = write('app/compose.yaml', COMPOSE);
    const r = await run(['apply', '-f', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      `namespace/${project} created`,
      'persistentvolumeclaim/data created',
      'configmap/site created',
      'deployment.apps/web created',
      'service/web created',
      'service/web-published created',
      'deployment.apps/db created',
      'service/db created',
      'job.batch/migrate created',
    ]);
    assert.match(r.stderr, /Warning: compose\.yaml: services\.web\.container_name/);
    const web = await ctl!.client.get<Deployment>('Deployment', 'web', project);
    assert.equal(web.spec.template.spec.containers[0]!.image, 'nginx:1.27');
    assert.equal(web.spec.template.metadata?.annotations?.['kite.io/depends-on'], '[{"service":"db","condition":"service_healthy"},{"service":"migrate","condition":"service_completed_successfully"}]');
    assert.equal((await ctl!.client.get<Service>('Service', 'web-published', project)).spec.type, 'LoadBalancer');
    assert.equal((await ctl!.client.get<Job>('Job', 'migrate', project)).metadata.labels?.['com.docker.compose.service'], 'migrate');
    const again = await run(['apply', '-f', file]);
    assert.equal(again.code, 0, again.stderr);
    assert.ok(again.stdout.trim().split('\n').every((l) => l.endsWith(' unchanged')), again.stdout);
  });

  it('an override file merges; an invalid file, an unset ${VAR:?} or a cycle applies nothing', async () => {
    const base = write('app/compose.yaml', COMPOSE);
    const override = write('app/compose.override.yaml', 'services:\n  db:\n    deploy: { replicas: 2 }\n');
    const r = await run(['apply', '-f', base, '-f', override]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /deployment\.apps\/db configured/);
    assert.equal((await ctl!.client.get<Deployment>('Deployment', 'db', project)).spec.replicas, 2);

    const bad = write('bad/compose.yaml', 'services:\n  api:\n    image: a\n    ports: [{ target: 80, publishd: 8080 }]\n');
    assertCleanFailure(await run(['apply', '-f', bad, '-p', `${project}-bad`]), /compose\.yaml: services\.api\.ports\[0\]: "publishd" is not allowed/);
    const unset = write('unset/compose.yaml', 'services:\n  api:\n    image: "a:${TAG:?set TAG to the release}"\n');
    assertCleanFailure(await run(['apply', '-f', unset, '-p', `${project}-bad`]), /compose\.yaml: services\.api\.image: required variable TAG is missing a value: set TAG to the release/);
    const cycle = write('cycle/compose.yaml', 'services:\n  a: { image: i, depends_on: [b] }\n  b: { image: i, depends_on: [a] }\n');
    assertCleanFailure(await run(['apply', '-f', cycle, '-p', `${project}-bad`]), /depends_on cycle: a -> b -> a/);
    const build = write('build/compose.yaml', 'services:\n  api:\n    build: .\n');
    assertCleanFailure(await run(['apply', '-f', build, '-p', `${project}-bad`]), /docker build -t IMAGE .*kite image push IMAGE/);
    assert.equal(await exists('Namespace', `${project}-bad`, ''), false, 'nothing was applied');
  });

  it('Compose and Kubernetes files in one -f list are each what they are', async () => {
    const compose = write('mixed/app.yaml', 'services:\n  cache:\n    image: redis:7\n');
    const manifest = write('mixed/cm.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: compose-it-plain\n  namespace: default\ndata:\n  k: v\n`);
    const r = await run(['apply', '-f', manifest, '-f', compose, '-p', `${project}-mixed`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^configmap\/compose-it-plain created$/m);
    assert.match(r.stdout, /^deployment\.apps\/cache created$/m);
    assert.ok(await exists('Deployment', 'cache', `${project}-mixed`));
  });

  it('delete -f compose.yaml deletes what the conversion created, then the namespace', async () => {
    const file = write('app/compose.yaml', COMPOSE);
    const r = await run(['delete', '-f', file]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.at(-1), `namespace/${project} deleted`);
    assert.ok(lines.includes('deployment.apps/web deleted') && lines.includes('job.batch/migrate deleted') && lines.includes('service/web-published deleted'), r.stdout);
    assert.equal(await exists('Namespace', project, ''), false);
    assert.equal(await exists('Deployment', 'web', project), false);
  });
});
