// The kite CLI as a user runs it, against a real controller on a real etcd.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';
import type { Deployment, KObject, Pod } from '../../common/api/types';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { startController, kite, type ControllerHandle, type CliResult } from '../harness/processes';
import { freePort } from '../harness/ports';
import { requireCommand } from '../harness/require';

const PREFIX = '/kite-it-cli';

function deploymentYaml(name: string, extra: { replicas?: string; cpu?: string; selector?: string; field?: string } = {}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  replicas: ${extra.replicas ?? '1'}
  selector:
    matchLabels:
      app: ${extra.selector ?? name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: main
          image: busybox:1
${extra.field ? `          ${extra.field}\n` : ''}${extra.cpu ? `          resources:\n            requests:\n              cpu: ${extra.cpu}\n` : ''}`;
}

function configMapYaml(name: string, value = 'v', labels = ''): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
${labels ? `  labels:\n${labels.split(',').map((l) => `    ${l.replace('=', ': ')}`).join('\n')}\n` : ''}data:
  key: ${value}
`;
}

function podYaml(name: string, namespace = 'default', extraSpec = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
  labels:
    app: ${name}
spec:
${extraSpec}  containers:
    - name: main
      image: busybox:1
`;
}

/** A failed command: non-zero exit, a message on stderr, and never a stack trace. */
function assertCleanFailure(r: CliResult, pattern: RegExp): void {
  assert.notEqual(r.code, 0, `expected failure, got exit 0\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /^\s+at .+:\d+:\d+\)?$/m, `stack trace on stderr:\n${r.stderr}`);
}

describe('kite CLI (integration: etcd + controller)', function () {
  this.timeout(60_000);
  let etcd: EtcdHandle | undefined;
  let ctl: ControllerHandle | undefined;
  let dir: string;
  let run: (args: string[], stdin?: string | Buffer, env?: Record<string, string>) => Promise<CliResult>;

  const write = (name: string, text: string | Buffer) => {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };

  /** Names of every object of these kinds, across namespaces, whose name starts with `prefix`. */
  async function objectsNamed(prefix: string, kinds = ['Deployment', 'Pod', 'ConfigMap', 'Service', 'ReplicaSet']): Promise<string[]> {
    const found: string[] = [];
    for (const kind of kinds) {
      const res = await ctl!.client.list(kind, { allNamespaces: true });
      for (const o of res.items) if (o.metadata.name.startsWith(prefix)) found.push(`${kind}/${o.metadata.name}`);
    }
    return found;
  }

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    etcd = await startEtcd();
    ctl = await startController({ etcd: etcd.endpoint, prefix: PREFIX, id: 'cli-it', leaderTtlSeconds: 2 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-cli-it-'));
    run = (args, stdin, env) => kite(ctl!.target, args, stdin, env);
  });

  after(async () => {
    await ctl?.stop();
    await etcd?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('apply', () => {
    it('apply -f FILE creates, then reports unchanged and configured', async () => {
      const file = write('web.yaml', deploymentYaml('web'));
      const first = await run(['apply', '-f', file]);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(first.stdout, 'deployment.apps/web created\n');
      assert.equal((await run(['apply', '-f', file])).stdout, 'deployment.apps/web unchanged\n');
      write('web.yaml', deploymentYaml('web', { replicas: '2' }));
      assert.equal((await run(['apply', '-f', file])).stdout, 'deployment.apps/web configured\n');
      assert.equal((await ctl!.client.get<Deployment>('Deployment', 'web')).spec.replicas, 2);
    });

    it('apply -f DIR applies every manifest in it', async () => {
      write('dir/a.yaml', configMapYaml('dir-a'));
      write('dir/nested/b.yml', configMapYaml('dir-b'));
      write('dir/notes.txt', 'not a manifest');
      const r = await run(['apply', '-f', path.join(dir, 'dir')]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.stdout.trim().split('\n').sort(), ['configmap/dir-a created', 'configmap/dir-b created']);
    });

    it('apply -f - reads stdin, several documents at once', async () => {
      const r = await run(['apply', '-f', '-'], `${configMapYaml('stdin-a')}---\n${configMapYaml('stdin-b')}`);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'configmap/stdin-a created\nconfigmap/stdin-b created\n');
    });

    it('warns about a Kubernetes field with no effect in Kite, saying why, but applies', async () => {
      const r = await run(['apply', '-f', '-'], podYaml('prio-pod', 'default', '  priorityClassName: high\n'));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /Warning: .*spec\.priorityClassName: has no effect in Kite: Kite does not preempt/);
      assert.equal(r.stdout, 'pod/prio-pod created\n');
    });
  });

  describe('get and describe', () => {
    before(async () => {
      const r = await run(['apply', '-f', '-'], ['apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n', podYaml('po-one'), podYaml('po-two'), podYaml('po-other', 'other'), configMapYaml('sel-red', 'v', 'color=red'), configMapYaml('sel-blue', 'v', 'color=blue')].join('---\n'));
      assert.equal(r.code, 0, r.stderr);
    });

    it('get deploy prints a table', async () => {
      const r = await run(['get', 'deploy']);
      assert.equal(r.code, 0, r.stderr);
      const [header, ...rows] = r.stdout.trim().split('\n');
      assert.match(header!, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
      assert.ok(rows.some((l) => /^web\s+\d+\/2\s/.test(l)), r.stdout);
    });

    it('get of several kinds prints a table per kind that has objects, and one message when none has', async () => {
      const r = await run(['get', 'sts,cm,deploy', '-l', 'color=red']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^NAME\s+DATA\s+AGE\nsel-red\s/);
      assert.doesNotMatch(r.stdout + r.stderr, /No resources found/);
      const none = await run(['get', 'sts,cm', '-l', 'color=none']);
      assert.equal(none.code, 0, none.stderr);
      assert.equal(none.stdout, '');
      assert.equal(none.stderr, 'No resources found in default namespace.\n');
    });

    it('get po -o json prints a List of pods', async () => {
      const r = await run(['get', 'po', '-o', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const parsed = JSON.parse(r.stdout) as { kind: string; items: Pod[] };
      assert.equal(parsed.kind, 'List');
      const names = parsed.items.map((p) => p.metadata.name);
      assert.ok(names.includes('po-one') && names.includes('po-two'), names.join(','));
      assert.ok(!names.includes('po-other'), 'a pod of another namespace was listed');
    });

    it('get po NAME -o yaml prints the object', async () => {
      const r = await run(['get', 'po', 'po-one', '-o', 'yaml']);
      assert.equal(r.code, 0, r.stderr);
      const parsed = YAML.parse(r.stdout) as KObject | { items: KObject[] };
      const obj = 'items' in parsed ? parsed.items[0]! : parsed;
      assert.equal(obj.kind, 'Pod');
      assert.equal(obj.metadata.name, 'po-one');
      assert.match(obj.metadata.uid ?? '', /^[0-9a-f-]{36}$/);
    });

    it('get po -o wide adds the node column', async () => {
      const r = await run(['get', 'po', '-o', 'wide']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout.split('\n')[0]!, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);
      assert.match(r.stdout, /^po-one\s+0\/1\s+Pending/m);
    });

    it('get -l filters by label', async () => {
      const r = await run(['get', 'cm', '-l', 'color=red', '-o', 'name']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'configmap/sel-red\n');
    });

    it('get -A lists every namespace with a NAMESPACE column', async () => {
      const r = await run(['get', 'po', '-A']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout.split('\n')[0]!, /^NAMESPACE\s+NAME/);
      assert.match(r.stdout, /^other\s+po-other\s/m);
      assert.match(r.stdout, /^default\s+po-one\s/m);
    });

    it('get of a missing object fails with NotFound', async () => {
      assertCleanFailure(await run(['get', 'po', 'nope']), /Error from server \(NotFound\): .*nope/);
    });

    it('describe shows the object', async () => {
      const r = await run(['describe', 'pod', 'po-one']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Name:\s+po-one$/m);
      assert.match(r.stdout, /^Namespace:\s+default$/m);
      assert.match(r.stdout, /busybox:1/);
    });

    it('version shows the leader', async () => {
      const r = await run(['version']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Client Version: v\d/m);
      assert.match(r.stdout, /^Server Version: v\d/m);
      assert.match(r.stdout, /^Controller: cli-it \(leader\)$/m);
      assert.match(r.stdout, /^Leader: cli-it$/m);
    });

    it('get componentstatus shows controller, etcd and leader health', async () => {
      const r = await run(['get', 'componentstatus']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^controller\s+Healthy/m);
      assert.match(r.stdout, /^etcd\s+Healthy/m);
      assert.match(r.stdout, /^leader\s+Healthy\s+leader cli-it/m);
    });
  });

  describe('delete', () => {
    it('delete KIND NAME deletes one object', async () => {
      await run(['apply', '-f', '-'], configMapYaml('del-me'));
      const r = await run(['delete', 'configmap', 'del-me']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'configmap/del-me deleted\n');
      assert.deepEqual(await objectsNamed('del-me', ['ConfigMap']), []);
    });

    it('delete -f deletes the objects of a manifest', async () => {
      const file = write('del.yaml', `${configMapYaml('del-f-a')}---\n${configMapYaml('del-f-b')}`);
      assert.equal((await run(['apply', '-f', file])).code, 0);
      const r = await run(['delete', '-f', file]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'configmap/del-f-a deleted\nconfigmap/del-f-b deleted\n');
      assert.deepEqual(await objectsNamed('del-f-', ['ConfigMap']), []);
    });

    it('delete of a missing object exits 1 with NotFound', async () => {
      assertCleanFailure(await run(['delete', 'configmap', 'never-was']), /NotFound.*never-was/);
    });
  });

  describe('finding the server', () => {
    it('an unreachable controller gives one clear line and exit code 1', async () => {
      const port = await freePort();
      // A valid credential, for a controller that is not there.
      const r = await kite(`127.0.0.1:${port}`, ['get', 'po', '--request-timeout', '3s'], undefined, { KITE_CONFIG: ctl!.adminConfig });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^Unable to connect to the server: /);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.equal(r.stdout, '');
    });

    it('reads the server from the file named by KITE_CONFIG', async () => {
      // The admin's credential file with only its server changed: the server comes from the file.
      const admin = fs.readFileSync(ctl!.adminConfig, 'utf8').replace(/^server: .*$/m, `server: ${ctl!.target}`);
      const config = write('kite-config', admin);
      const r = await kite('', ['version'], undefined, { KITE_SERVER: '', KITE_CONFIG: config });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Leader: cli-it$/m);
    });
  });

  describe('bad input: a clear error naming what and where, and nothing written', () => {
    /** Applies `input` (a file's text, or stdin bytes), expects failure matching `pattern`, then checks nothing named bad-* exists. */
    async function rejectsApply(input: string | Buffer, pattern: RegExp, via: 'file' | 'stdin' = 'file'): Promise<CliResult> {
      const r = via === 'stdin' ? await run(['apply', '-f', '-'], input) : await run(['apply', '-f', write(`bad-${randomBytes(4).toString('hex')}.yaml`, input)]);
      assertCleanFailure(r, pattern);
      assert.equal(r.stdout, '', 'nothing may be reported as applied');
      assert.deepEqual(await objectsNamed('bad-'), []);
      return r;
    }

    it('invalid YAML: names the file, line and column', async () => {
      await rejectsApply('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad-yaml\ndata:\n  key: a: b\n', /bad-[0-9a-f]+\.yaml: document 1: YAML error at line 6, column 8: /);
    });

    it('an empty file', async () => {
      await rejectsApply('', /no objects found/);
      await rejectsApply('---\n# only a comment\n', /no objects found/);
    });

    it('an unknown kind', async () => {
      await rejectsApply('apiVersion: v1\nkind: Gizmo\nmetadata:\n  name: bad-kind\n', /Gizmo/);
    });

    it('an unknown apiVersion', async () => {
      await rejectsApply(deploymentYaml('bad-apiversion').replace('apps/v1', 'apps/v7'), /apps\/v7/);
    });

    it('a missing name', async () => {
      await rejectsApply('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    a: b\ndata:\n  k: v\n', /document 1: metadata\.name is required/);
    });

    it('a name that is not DNS-1123', async () => {
      await rejectsApply(configMapYaml('Bad_Name.'), /metadata\.name.*(DNS|lower)/i);
    });

    it('a malformed cpu quantity', async () => {
      await rejectsApply(deploymentYaml('bad-cpu', { cpu: '12XB' }), /cpu.*12XB|12XB.*cpu/);
    });

    it('negative replicas', async () => {
      await rejectsApply(deploymentYaml('bad-replicas', { replicas: '-1' }), /replicas/);
    });

    it('a selector that does not match the template labels', async () => {
      await rejectsApply(deploymentYaml('bad-selector', { selector: 'something-else' }), /selector/);
    });

    it('the same kind/name twice: the valid first one is not written either', async () => {
      await rejectsApply(`${configMapYaml('bad-twice', 'one')}---\n${configMapYaml('bad-twice', 'two')}`, /bad-twice/);
    });

    it('a 10 MiB manifest', async () => {
      const big = configMapYaml('bad-big', 'x'.repeat(10 * 1024 * 1024));
      await rejectsApply(big, /larger than|over the limit/);
      await rejectsApply(big, /larger than|over the limit/, 'stdin');
    });

    it('binary garbage on stdin', async () => {
      const garbage = Buffer.concat([Buffer.from([0x00, 0xff, 0xfe, 0x00]), randomBytes(4096)]);
      await rejectsApply(garbage, /stdin: not a text manifest/, 'stdin');
    });

    it('an unknown field', async () => {
      await rejectsApply(deploymentYaml('bad-field', { field: 'imagePullPolice: Always' }), /imagePullPolice/);
    });

    it('kite scale with a bad --replicas changes nothing', async () => {
      const before = await ctl!.client.get<Deployment>('Deployment', 'web');
      for (const bad of ['-1', 'abc', '100000000']) {
        const r = await run(['scale', 'deployment/web', `--replicas=${bad}`]);
        assertCleanFailure(r, /--replicas/);
      }
      const after = await ctl!.client.get<Deployment>('Deployment', 'web');
      assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
      assert.equal(after.spec.replicas, before.spec.replicas);
    });

    it('leaves the controller alive and answering', async () => {
      const r = await run(['get', 'deploy', 'web', '-o', 'name']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'deployment.apps/web\n');
      const ok = await run(['scale', 'deployment/web', '--replicas', '3']);
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal((await ctl!.client.get<Deployment>('Deployment', 'web')).spec.replicas, 3);
    });
  });
});
