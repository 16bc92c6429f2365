// The real kubectl (1.32, and the version dispatcher at /usr/bin/kubectl) against Kite's
// Kubernetes API: a real controller on a real etcd with hollow nodes. Each case is a command a
// kubectl user types, checked by what kubectl prints and by what the cluster then holds.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import type { Deployment, KObject, Node, Pod } from '../../common/api/types';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { startController, eventually, type ControllerHandle, type CliResult } from '../harness/processes';
import { startHollowNode, type HollowNode } from '../harness/hollow-node';
import { requireCommand } from '../harness/require';
import { kubectlFor, kubeRequest, requireKubectl, KUBECTL_132, KUBECTL_DISPATCHER, type Kubectl } from '../harness/kubectl';
import { Etcd3 } from 'etcd3';
import * as tls from 'node:tls';
import { readClientConfig } from '../../common/client-config';
import { CONTROLLER_SERVER_NAME } from '../../common/pki/identity';
import { kite } from '../harness/processes';

const PREFIX = '/kite-it-kubectl';

function deployment(name: string, o: { replicas?: number; env?: Record<string, string>; image?: string; labels?: Record<string, string> } = {}): string {
  const env = Object.entries(o.env ?? {});
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
${Object.entries({ app: name, ...o.labels }).map(([k, v]) => `    ${k}: ${v}`).join('\n')}
spec:
  replicas: ${o.replicas ?? 1}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: main
          image: ${o.image ?? 'busybox:1'}
${env.length ? `          env:\n${env.map(([k, v]) => `            - name: ${k}\n              value: "${v}"`).join('\n')}\n` : ''}`;
}

function ok(r: CliResult, what: string): string {
  assert.equal(r.code, 0, `${what} failed (exit ${r.code})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

describe('kubectl against Kite (integration: etcd + controller + hollow nodes)', function () {
  this.timeout(90_000);
  let etcd: EtcdHandle | undefined;
  let ctl: ControllerHandle | undefined;
  let nodes: HollowNode[] = [];
  let k: Kubectl;
  let dir: string;
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const kubectl = (...args: string[]) => k.run(args);

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    requireKubectl(this);
    etcd = await startEtcd();
    ctl = await startController({ etcd: etcd.endpoint, prefix: PREFIX, id: 'kubectl-it', leaderTtlSeconds: 2 });
    nodes = [await startHollowNode(ctl.target, ctl.client, 'kn-1'), await startHollowNode(ctl.target, ctl.client, 'kn-2')];
    k = kubectlFor(ctl.adminConfig, ctl.kubeApiPort);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-kubectl-it-'));
  });

  after(async () => {
    for (const n of nodes) await n.agent.stop();
    await ctl?.stop();
    await etcd?.stop();
    k?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('version: a semver server version, and the dispatcher picks kubectl 1.32 by it', async () => {
    const v = JSON.parse(ok(await kubectl('version', '-o', 'json'), 'version')) as { serverVersion: { gitVersion: string; minor: string } };
    assert.match(v.serverVersion.gitVersion, /^v1\.32\.0-kite\./);
    const viaDispatcher = await k.run(['version', '-o', 'json'], { binary: KUBECTL_DISPATCHER });
    assert.match(JSON.parse(ok(viaDispatcher, 'dispatcher version')).clientVersion.gitVersion, /^v1\.32\./);
  });

  it('api-resources lists Kite kinds with groups, short names and the scale subresource in discovery', async () => {
    const out = ok(await kubectl('api-resources'), 'api-resources');
    assert.match(out, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    assert.match(out, /^pods\s+po\s+v1\s+true\s+Pod$/m);
    assert.match(out, /^nodes\s+no\s+v1\s+false\s+Node$/m);
    assert.match(out, /^cronjobs\s+cj\s+batch\/v1\s+true\s+CronJob$/m);
  });

  it('apply (client-side): created, unchanged, configured — a removed env entry is really removed', async () => {
    const file = write('web.yaml', deployment('web', { replicas: 2, env: { A: '1', B: '2' } }));
    assert.equal(ok(await kubectl('apply', '-f', file), 'apply'), 'deployment.apps/web created\n');
    assert.equal(ok(await kubectl('apply', '-f', file), 'apply again'), 'deployment.apps/web unchanged\n');
    write('web.yaml', deployment('web', { replicas: 3, env: { A: '1' } }));
    assert.equal(ok(await kubectl('apply', '-f', file), 'apply changed'), 'deployment.apps/web configured\n');
    const d = await ctl!.client.get<Deployment>('Deployment', 'web');
    assert.equal(d.spec.replicas, 3);
    assert.deepEqual(d.spec.template.spec.containers[0]!.env, [{ name: 'A', value: '1' }]);
    assert.ok(d.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], 'kubectl keeps its last-applied annotation');
  });

  it('apply --server-side: creates, removes what the applier dropped, keeps fields others own, answers conflicts', async () => {
    const file = write('ssa.yaml', deployment('ssa', { labels: { tier: 'web' }, env: { A: '1', B: '2' } }));
    assert.equal(ok(await kubectl('apply', '--server-side', '-f', file), 'ssa create'), 'deployment.apps/ssa serverside-applied\n');
    assert.equal(ok(await kubectl('apply', '--server-side', '-f', file), 'ssa again'), 'deployment.apps/ssa serverside-applied\n');
    // Another manager takes the env var A.
    const patch = JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'main', env: [{ name: 'C', value: 'from-edit' }] }] } } } });
    ok(await kubectl('patch', 'deployment', 'ssa', '--type', 'strategic', '-p', patch, '--field-manager', 'someone-else'), 'patch');
    write('ssa.yaml', deployment('ssa', { env: { A: '1' } }));
    ok(await kubectl('apply', '--server-side', '-f', file), 'ssa after drop');
    const d = await ctl!.client.get<Deployment>('Deployment', 'ssa');
    assert.equal(d.metadata.labels?.tier, undefined, 'the label the applier dropped is gone');
    const env = (d.spec.template.spec.containers[0]!.env ?? []).map((e) => e.name).sort();
    assert.deepEqual(env, ['A', 'C'], 'B (dropped by the applier) is gone; C (another manager) stays');
    const managers = (d.metadata as { managedFields?: { manager: string; operation: string }[] }).managedFields?.map((m) => `${m.manager}/${m.operation}`).sort();
    assert.deepEqual(managers, ['kubectl/Apply', 'someone-else/Update']);
    // A second applier that sets replicas differently conflicts, unless it forces.
    write('ssa2.yaml', deployment('ssa', { replicas: 4, env: { A: '2' } }));
    const conflict = await kubectl('apply', '--server-side', '--field-manager', 'other-applier', '-f', path.join(dir, 'ssa2.yaml'));
    assert.notEqual(conflict.code, 0);
    assert.match(conflict.stderr, /conflict/i);
    assert.match(conflict.stderr, /kubectl/);
    assert.equal((await ctl!.client.get<Deployment>('Deployment', 'ssa')).spec.template.spec.containers[0]!.env?.find((e) => e.name === 'A')?.value, '1', 'nothing changed on a conflict');
    ok(await kubectl('apply', '--server-side', '--force-conflicts', '--field-manager', 'other-applier', '-f', path.join(dir, 'ssa2.yaml')), 'forced');
    assert.equal((await ctl!.client.get<Deployment>('Deployment', 'ssa')).spec.template.spec.containers[0]!.env?.find((e) => e.name === 'A')?.value, '2');
  });

  it('get: the same columns as kite get, -o wide, -A, selectors, -o yaml/jsonpath/name', async () => {
    await eventually(async () => (await ctl!.client.list<Pod>('Pod', { labelSelector: 'app=web' })).items.filter((p) => p.spec.nodeName).length === 3, 20_000, 'web pods bound');
    assert.match(ok(await kubectl('get', 'deployments'), 'get deploy'), /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nssa\s+/m);
    const wide = ok(await kubectl('get', 'pods', '-o', 'wide', '-l', 'app=web'), 'get pods -o wide');
    assert.match(wide, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/m);
    assert.equal(wide.trim().split('\n').length, 4);
    assert.match(ok(await kubectl('get', 'pods', '-A', '-l', 'app=web'), 'get -A'), /^NAMESPACE\s+NAME\s+.*\ndefault\s+web-/m);
    const byNode = ok(await kubectl('get', 'pods', '--field-selector', 'spec.nodeName=kn-1', '-o', 'name'), 'field selector');
    const pods = (await ctl!.client.list<Pod>('Pod', {})).items.filter((p) => p.spec.nodeName === 'kn-1');
    assert.deepEqual(byNode.trim().split('\n').filter(Boolean).sort(), pods.map((p) => `pod/${p.metadata.name}`).sort());
    const yaml = ok(await kubectl('get', 'deployment', 'web', '-o', 'yaml'), 'get -o yaml');
    assert.match(yaml, /^kind: Deployment$/m);
    assert.match(yaml, /^ {2}replicas: 3$/m);
    assert.equal(ok(await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'), 'jsonpath'), 'busybox:1');
    const missing = await kubectl('get', 'deployment', 'nope');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Error from server \(NotFound\): deployments.apps "nope" not found/);
  });

  it('describe deployment, pod and node, with events', async () => {
    assert.match(ok(await kubectl('describe', 'deployment', 'web'), 'describe deploy'), /Replicas:\s+3 desired/);
    const pod = (await ctl!.client.list<Pod>('Pod', { labelSelector: 'app=web' })).items[0]!;
    const described = ok(await kubectl('describe', 'pod', pod.metadata.name), 'describe pod');
    assert.match(described, new RegExp(`Name:\\s+${pod.metadata.name}`));
    assert.match(described, /Events:/);
    assert.match(ok(await kubectl('describe', 'node', 'kn-1'), 'describe node'), /Name:\s+kn-1/);
    // A Service's pods come from EndpointSlices, which Kite projects from its Endpoints.
    await ctl!.client.apply([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } as KObject]);
    await eventually(async () => ((await ctl!.client.get<KObject & { subsets?: { addresses?: unknown[] }[] }>('Endpoints', 'web')).subsets?.[0]?.addresses?.length ?? 0) > 0, 20_000, 'web endpoints');
    assert.match(ok(await kubectl('describe', 'service', 'web'), 'describe svc'), /^Endpoints:\s+\d+\.\d+\.\d+\.\d+:80/m);
  });

  it('scale, rollout status, rollout undo, and get -w sees the rollout', async () => {
    const watch = spawn(KUBECTL_132, ['--cache-dir', path.join(dir, 'wcache'), 'get', 'deployments', '-w', '--field-selector', 'metadata.name=web', '-o', 'jsonpath={.spec.replicas}{" "}{.spec.template.spec.containers[0].image}{"\\n"}'], { env: { KUBECONFIG: k.kubeconfig, HOME: os.tmpdir(), PATH: process.env.PATH ?? '' } });
    let seen = '';
    watch.stdout.on('data', (d: Buffer) => (seen += d.toString()));
    try {
      assert.equal(ok(await kubectl('scale', 'deployment', 'web', '--replicas', '2'), 'scale'), 'deployment.apps/web scaled\n');
      assert.equal((await ctl!.client.get<Deployment>('Deployment', 'web')).spec.replicas, 2);
      ok(await kubectl('rollout', 'status', 'deployment/web', '--timeout', '40s'), 'rollout status');
      ok(await kubectl('set', 'image', 'deployment/web', 'main=busybox:1.36'), 'set image');
      ok(await kubectl('rollout', 'status', 'deployment/web', '--timeout', '40s'), 'rollout status after set image');
      assert.match(ok(await kubectl('rollout', 'undo', 'deployment/web'), 'undo'), /deployment.apps\/web rolled back/);
      await eventually(async () => (await ctl!.client.get<Deployment>('Deployment', 'web')).spec.template.spec.containers[0]!.image === 'busybox:1', 10_000, 'undone');
      await eventually(() => /^2 busybox:1\.36$/m.test(seen) && /^2 busybox:1$/m.test(seen), 10_000, `get -w to show the rollout (saw ${JSON.stringify(seen)})`);
    } finally {
      watch.kill();
    }
  });

  it('label, annotate and edit (EDITOR a script)', async () => {
    ok(await kubectl('label', 'deployment', 'web', 'team=blue'), 'label');
    ok(await kubectl('annotate', 'deployment', 'web', 'note=hello'), 'annotate');
    const editor = write('editor.sh', '#!/bin/sh\nsed -i "s/note: hello/note: edited/" "$1"\n');
    fs.chmodSync(editor, 0o755);
    assert.match(ok(await k.run(['edit', 'deployment', 'web'], { env: { EDITOR: editor } }), 'edit'), /deployment.apps\/web edited/);
    const d = await ctl!.client.get<Deployment>('Deployment', 'web');
    assert.equal(d.metadata.labels?.team, 'blue');
    assert.equal(d.metadata.annotations?.note, 'edited');
    ok(await kubectl('label', 'deployment', 'web', 'team-'), 'unlabel');
    assert.equal((await ctl!.client.get<Deployment>('Deployment', 'web')).metadata.labels?.team, undefined);
  });

  it('cordon and drain: the node is unschedulable and its pods are evicted to the other node', async () => {
    await eventually(async () => (await ctl!.client.list<Pod>('Pod', { labelSelector: 'app=web' })).items.some((p) => p.spec.nodeName === 'kn-2'), 20_000, 'a web pod on kn-2');
    assert.match(ok(await kubectl('drain', 'kn-2', '--ignore-daemonsets', '--timeout', '40s'), 'drain'), /node\/kn-2 drained/);
    assert.equal((await ctl!.client.get<Node>('Node', 'kn-2')).spec.unschedulable, true);
    await eventually(async () => (await ctl!.client.list<Pod>('Pod', { fieldSelector: 'spec.nodeName=kn-2' })).items.length === 0, 20_000, 'kn-2 empty');
    ok(await kubectl('uncordon', 'kn-2'), 'uncordon');
    assert.ok(!(await ctl!.client.get<Node>('Node', 'kn-2')).spec.unschedulable);
  });

  it('top nodes and pods from the usage agents report (metrics.k8s.io)', async () => {
    const nodesTop = await eventually(async () => {
      const r = await kubectl('top', 'nodes');
      return r.code === 0 && /^kn-1\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/m.test(r.stdout) ? r.stdout : undefined;
    }, 30_000, 'kubectl top nodes to show kn-1');
    assert.match(nodesTop, /^NAME\s+CPU\(cores\)\s+CPU\(?%\)?\s+MEMORY\(bytes\)\s+MEMORY\(?%\)?/m);
    const podsTop = await eventually(async () => {
      const r = await kubectl('top', 'pods', '-l', 'app=web');
      return r.code === 0 && /^web-\S+\s+\d+m\s+\d+Mi/m.test(r.stdout) ? r.stdout : undefined;
    }, 30_000, 'kubectl top pods to show web pods');
    assert.match(podsTop, /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/m);
  });

  it('explain deployment.spec from the OpenAPI schemas of Kite\'s own kinds', async () => {
    const out = ok(await kubectl('explain', 'deployment.spec'), 'explain');
    assert.match(out, /^KIND:\s+Deployment/m);
    assert.match(out, /^\s+replicas\s+<integer>/m);
    assert.match(out, /^\s+template\s+<(Object|PodTemplateSpec)>/m);
  });

  it('events, and delete -f removes what apply made', async () => {
    assert.match(ok(await kubectl('events'), 'events'), /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/m);
    const file = path.join(dir, 'web.yaml');
    assert.equal(ok(await kubectl('delete', '-f', file), 'delete -f'), 'deployment.apps "web" deleted\n');
    await assert.rejects(ctl!.client.get('Deployment', 'web'));
  });

  it('delete --cascade=orphan keeps the ReplicaSet, without its owner', async () => {
    const file = write('orphan.yaml', deployment('orphan'));
    ok(await kubectl('apply', '-f', file), 'apply');
    const rs = await eventually(async () => (await ctl!.client.list('ReplicaSet', { labelSelector: 'app=orphan' })).items[0], 10_000, 'its ReplicaSet');
    assert.equal(ok(await kubectl('delete', 'deployment', 'orphan', '--cascade=orphan'), 'delete --cascade=orphan'), 'deployment.apps "orphan" deleted\n');
    await new Promise((r) => setTimeout(r, 1500)); // the garbage collector's chance to (wrongly) act
    const kept = await ctl!.client.get<KObject>('ReplicaSet', rs.metadata.name);
    assert.equal(kept.metadata.ownerReferences, undefined);
    ok(await kubectl('delete', 'replicaset', rs.metadata.name), 'delete the orphan');
  });

  it('create, replace and dry runs through kubectl', async () => {
    const cm = write('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  k: v1\n');
    assert.equal(ok(await kubectl('create', '-f', cm, '--dry-run=server'), 'dry create'), 'configmap/cfg created (server dry run)\n');
    await assert.rejects(ctl!.client.get('ConfigMap', 'cfg'), 'a server dry run writes nothing');
    ok(await kubectl('create', '-f', cm), 'create');
    const again = await kubectl('create', '-f', cm);
    assert.match(again.stderr, /AlreadyExists/);
    write('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  k: v2\n');
    ok(await kubectl('replace', '-f', cm), 'replace');
    assert.equal((await ctl!.client.get<KObject & { data: Record<string, string> }>('ConfigMap', 'cfg')).data.k, 'v2');
  });

  describe('bad input: a Status with the right code each, the controller unharmed', () => {
    const req = (method: string, p: string, o: { body?: string | Buffer; headers?: Record<string, string> } = {}) => kubeRequest(ctl!.adminConfig, ctl!.kubeApiPort, method, p, o);
    /** Bytes written as they are on a TLS connection with the admin's certificate; what came back. */
    const rawRequest = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const cred = readClientConfig(ctl!.adminConfig);
        const socket = tls.connect({ host: '127.0.0.1', port: ctl!.kubeApiPort, ca: cred.ca, cert: cred.cert, key: cred.key, servername: CONTROLLER_SERVER_NAME }, () => socket.end(text));
        let got = '';
        socket.on('data', (d: Buffer) => (got += d.toString()));
        socket.on('close', () => resolve(got));
        socket.on('error', reject);
      });
    const isStatus = (r: Awaited<ReturnType<typeof req>>, code: number, reason: string) => {
      const s = r.json();
      assert.equal(r.status, code, r.body);
      assert.equal(s.kind, 'Status');
      assert.equal(s.code, code);
      assert.equal(s.reason, reason);
      assert.doesNotMatch(r.body, /\bat .+:\d+:\d+/, 'no stack trace');
      return s;
    };

    it('unknown paths and kinds: 404', async () => {
      isStatus(await req('GET', '/apis/widgets.example.com/v1/widgets'), 404, 'NotFound');
      isStatus(await req('GET', '/api/v1/namespaces/default/widgets'), 404, 'NotFound');
      isStatus(await req('GET', '/nonsense'), 404, 'NotFound');
      // A request line no URL parser takes: an error status, and the controller still answers.
      const raw = await rawRequest('GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      assert.match(raw, /^HTTP\/1\.1 (400|404) /);
      assert.equal((await req('GET', '/version')).status, 200);
    });

    it('an unsupported patch type: 415; malformed JSON: 400 naming the position; an oversized body: 413', async () => {
      await ctl!.client.apply([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad-input' }, data: { a: '1' } } as KObject]);
      isStatus(await req('PATCH', '/api/v1/namespaces/default/configmaps/bad-input', { body: 'a: 1', headers: { 'content-type': 'text/plain' } }), 415, 'UnsupportedMediaType');
      const malformed = isStatus(await req('POST', '/api/v1/namespaces/default/configmaps', { body: '{\n  "kind": "ConfigMap",\n  "metadata": {"name": }\n}', headers: { 'content-type': 'application/json' } }), 400, 'BadRequest');
      assert.match(String(malformed.message), /line 3, column \d+/);
      isStatus(await req('POST', '/api/v1/namespaces/default/configmaps', { body: Buffer.alloc(4 * 1024 * 1024, 0x20), headers: { 'content-type': 'application/json' } }), 413, 'RequestEntityTooLarge');
      assert.equal((await ctl!.client.get<KObject & { data: Record<string, string> }>('ConfigMap', 'bad-input')).data.a, '1', 'nothing changed');
    });

    it('a stale resourceVersion: 409 Conflict; an invalid object: 422 naming the field; unknown fields by fieldValidation', async () => {
      const current = await ctl!.client.get<KObject>('ConfigMap', 'bad-input');
      const stale = { ...current, metadata: { ...current.metadata, resourceVersion: '1' }, data: { a: '2' } };
      isStatus(await req('PUT', '/api/v1/namespaces/default/configmaps/bad-input', { body: JSON.stringify(stale), headers: { 'content-type': 'application/json' } }), 409, 'Conflict');
      const invalid = isStatus(await req('PATCH', '/apis/apps/v1/namespaces/default/deployments/ssa', { body: JSON.stringify({ spec: { replicas: -1 } }), headers: { 'content-type': 'application/merge-patch+json' } }), 422, 'Invalid');
      assert.match(JSON.stringify(invalid.details), /spec\.replicas/);
      const typo = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typo' }, data: { a: '1' }, extra: true });
      isStatus(await req('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', { body: typo, headers: { 'content-type': 'application/json' } }), 422, 'Invalid');
      const warned = await req('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn', { body: typo, headers: { 'content-type': 'application/json' } });
      assert.equal(warned.status, 201, warned.body);
      assert.match(String(warned.headers.warning), /299 - "unknown field \\"extra\\""/);
    });

    it('a watch from a compacted revision: 410 Expired', async () => {
      const client = new Etcd3({ hosts: etcd!.endpoint });
      try {
        await ctl!.client.apply([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bump' }, data: { a: String(Date.now()) } } as KObject]);
        const status = await client.maintenance.status();
        await client.kv.compact({ revision: status.header.revision, physical: true });
        // Older than the controller's own watch history, so only etcd could answer it, and etcd compacted it.
        const s = isStatus(await req('GET', '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=2'), 410, 'Expired');
        assert.match(String(s.message), /compact/i);
      } finally {
        client.close();
      }
    });

    it('a forbidden verb: 403 naming the user and the verb, through kubectl with a view user (certificate and bearer token)', async () => {
      const created = await kite(ctl!.target, ['user', 'create', 'viewer', '--role', 'view']);
      assert.equal(created.code, 0, created.stderr);
      const credential = path.join(dir, 'viewer.config');
      fs.writeFileSync(credential, created.stdout, { mode: 0o600 });
      const viewer = kubectlFor(credential, ctl!.kubeApiPort);
      try {
        ok(await viewer.run(['get', 'configmaps']), 'viewer get');
        const refused = await viewer.run(['delete', 'configmap', 'bad-input']);
        assert.notEqual(refused.code, 0);
        assert.match(refused.stderr, /Error from server \(Forbidden\): .*user "viewer" \(role view\) cannot delete configmaps in namespace "default"/);
      } finally {
        viewer.cleanup();
      }
      const tokenConfig = path.join(dir, 'viewer.kubeconfig');
      const made = await kite(ctl!.target, ['kubeconfig', '--user', 'viewer', '-o', tokenConfig]);
      assert.equal(made.code, 0, made.stderr);
      const byToken = await k.run(['get', 'configmaps', '-o', 'name'], { env: { KUBECONFIG: tokenConfig } });
      assert.match(ok(byToken, 'token get'), /configmap\/bad-input/);
      const tokenRefused = await k.run(['delete', 'configmap', 'bad-input'], { env: { KUBECONFIG: tokenConfig } });
      assert.match(tokenRefused.stderr, /Forbidden.*user "viewer"/);
      assert.equal((await req('GET', '/version')).status, 200, 'the controller is unharmed');
    });
  });

  it('@kubernetes/client-node: list, create, patch and watch through the official client', async () => {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(k.kubeconfig);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'from-client-node' }, data: { a: '1' } } });
    const list = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: '' });
    assert.ok(list.items.some((c) => c.metadata?.name === 'from-client-node'));
    const seen: string[] = [];
    const watch = new k8s.Watch(kc);
    const req = await watch.watch('/api/v1/namespaces/default/configmaps', { resourceVersion: list.metadata?.resourceVersion }, (type: string, obj: { metadata?: { name?: string } }) => seen.push(`${type} ${obj.metadata?.name}`), () => undefined);
    try {
      await core.patchNamespacedConfigMap({ namespace: 'default', name: 'from-client-node', body: [{ op: 'replace', path: '/data/a', value: '2' }] }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch));
      await eventually(() => seen.includes('MODIFIED from-client-node'), 10_000, `the watch to see the patch (saw ${seen.join(', ')})`);
      const read = await core.readNamespacedConfigMap({ namespace: 'default', name: 'from-client-node' });
      assert.equal(read.data?.a, '2');
    } finally {
      req.abort();
    }
  });

  // kubectl's generator commands send their object as Kubernetes protobuf (run and expose send
  // JSON); the API decodes it into the JSON kubectl would otherwise have sent.
  describe('kubectl create generators (protobuf bodies)', () => {
    const getJson = async <T>(...args: string[]) => JSON.parse(ok(await kubectl('get', ...args, '-o', 'json'), `get ${args.join(' ')}`)) as T;

    it('create deployment, configmap and secret generic: created as kubectl built them, sent as protobuf', async () => {
      const verbose = await kubectl('create', 'deployment', 'pb-web', '--image=busybox:1', '--replicas=2', '--port=80', '-v=7');
      assert.match(ok(verbose, 'create deployment'), /^deployment.apps\/pb-web created$/m);
      assert.match(verbose.stderr, /Content-Type: application\/vnd\.kubernetes\.protobuf/, 'kubectl sent protobuf');
      const d = await ctl!.client.get<Deployment>('Deployment', 'pb-web');
      assert.equal(d.spec.replicas, 2);
      assert.deepEqual(d.spec.selector.matchLabels, { app: 'pb-web' });
      assert.deepEqual(d.spec.template.spec.containers.map((c) => [c.name, c.image, c.ports?.map((p) => p.containerPort)]), [['busybox', 'busybox:1', [80]]]);
      await eventually(async () => (await ctl!.client.list<Pod>('Pod', { labelSelector: 'app=pb-web' })).items.filter((p) => p.spec.nodeName).length === 2, 20_000, 'pb-web pods bound');

      assert.equal(ok(await kubectl('create', 'configmap', 'pb-config', '--from-literal=a=1', '--from-literal=b=two words'), 'create configmap'), 'configmap/pb-config created\n');
      assert.deepEqual((await getJson<{ data: unknown }>('configmap', 'pb-config')).data, { a: '1', b: 'two words' });

      assert.equal(ok(await kubectl('create', 'secret', 'generic', 'pb-secret', '--from-literal=p=s3cr3t', '--from-literal=u=ü'), 'create secret'), 'secret/pb-secret created\n');
      const secret = await getJson<{ type: string; data: Record<string, string> }>('secret', 'pb-secret');
      assert.equal(secret.type, 'Opaque');
      assert.deepEqual(Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])), { p: 's3cr3t', u: 'ü' });
    });

    it('run and expose: the pod and a service selecting the deployment exist', async () => {
      assert.equal(ok(await kubectl('run', 'pb-pod', '--image=busybox:1', '--restart=Never', '--labels=from=run'), 'run'), 'pod/pb-pod created\n');
      const pod = await ctl!.client.get<Pod>('Pod', 'pb-pod');
      assert.equal(pod.spec.containers[0]!.image, 'busybox:1');
      assert.equal(pod.spec.restartPolicy, 'Never');
      assert.equal(ok(await kubectl('expose', 'deployment', 'pb-web', '--port=80', '--target-port=8080'), 'expose'), 'service/pb-web exposed\n');
      const svc = await getJson<{ spec: { selector: unknown; ports: { port: number; targetPort: unknown; protocol: string }[]; clusterIP?: string } }>('service', 'pb-web');
      assert.deepEqual(svc.spec.selector, { app: 'pb-web' });
      assert.deepEqual(svc.spec.ports.map((p) => [p.port, p.targetPort, p.protocol]), [[80, 8080, 'TCP']]);
      assert.match(svc.spec.clusterIP ?? '', /^\d+\.\d+\.\d+\.\d+$/, 'the service got a cluster IP');
    });

    it('the other generators: namespace, job, cronjob, service clusterip, serviceaccount; --dry-run=server writes nothing', async () => {
      const cases: [string[], string][] = [
        [['namespace', 'pb-ns'], 'namespace/pb-ns created'],
        [['job', 'pb-job', '--image=busybox:1', '--', 'echo', 'hi'], 'job.batch/pb-job created'],
        [['cronjob', 'pb-cron', '--image=busybox:1', '--schedule=*/5 * * * *', '--', 'date'], 'cronjob.batch/pb-cron created'],
        [['service', 'clusterip', 'pb-svc', '--tcp=80:8080'], 'service/pb-svc created'],
        [['serviceaccount', 'pb-sa'], 'serviceaccount/pb-sa created'],
      ];
      for (const [args, printed] of cases) assert.equal(ok(await kubectl('create', ...args), `create ${args[0]}`), `${printed}\n`);
      assert.equal((await ctl!.client.get<KObject>('Namespace', 'pb-ns')).metadata.name, 'pb-ns');
      const job = await getJson<{ spec: { template: { spec: { containers: { command?: string[] }[]; restartPolicy: string } } } }>('job', 'pb-job');
      assert.deepEqual([job.spec.template.spec.containers[0]!.command, job.spec.template.spec.restartPolicy], [['echo', 'hi'], 'Never']);
      assert.equal((await getJson<{ spec: { schedule: string } }>('cronjob', 'pb-cron')).spec.schedule, '*/5 * * * *');
      assert.deepEqual((await getJson<{ spec: { ports: { port: number; targetPort: unknown }[] } }>('service', 'pb-svc')).spec.ports.map((p) => [p.port, p.targetPort]), [[80, 8080]]);
      assert.equal((await ctl!.client.get<KObject>('ServiceAccount', 'pb-sa')).metadata.name, 'pb-sa');

      assert.match(ok(await kubectl('create', 'configmap', 'pb-dry', '--from-literal=a=1', '--dry-run=server'), 'dry run'), /configmap\/pb-dry created \(server dry run\)/);
      assert.match((await kubectl('get', 'configmap', 'pb-dry')).stderr, /NotFound/);
    });
  });
});
