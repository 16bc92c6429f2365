// kite token / kite user / kite auth whoami as an admin and its users run them, against a real
// controller on a real etcd; credentials made by the CLI are used by the CLI.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';
import { isKiteError } from '../../common/errors';
import { silentLogger } from '../../common/log';
import { Agent } from '../../node-agent/agent';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { startController, kite, type ControllerHandle, type CliResult } from '../harness/processes';
import { requireCommand } from '../harness/require';

const PREFIX = '/kite-it-cli-security';
const OTHER_PREFIX = '/kite-it-cli-security-other';

function configMapYaml(name: string, namespace: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata:\n  key: v\n`;
}

/** A failed command: non-zero exit, the message on stderr, never a stack trace. */
function assertCleanFailure(r: CliResult, pattern: RegExp): void {
  assert.notEqual(r.code, 0, `expected failure, got exit 0\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /^\s+at .+:\d+:\d+\)?$/m, `stack trace on stderr:\n${r.stderr}`);
}

function assertOk(r: CliResult): void {
  assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
}

describe('kite token, user and auth (integration: etcd + controller)', function () {
  // Each `kite` run starts node with tsx (a second or more on a busy machine).
  this.timeout(120_000);
  let etcd: EtcdHandle | undefined;
  let ctl: ControllerHandle | undefined;
  let dir: string;
  /** As the admin, or as the credential in `config`. */
  let run: (args: string[], config?: string, stdin?: string) => Promise<CliResult>;

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    etcd = await startEtcd();
    ctl = await startController({ etcd: etcd.endpoint, prefix: PREFIX, id: 'cli-security-it' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-cli-security-it-'));
    run = (args, config, stdin) => kite(ctl!.target, args, stdin, config ? { KITE_CONFIG: config } : {});
    assertOk(await run(['create', 'ns', 'team']));
  });

  after(async () => {
    await ctl?.stop();
    await etcd?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** `kite user create NAME --role ROLE [-n NS] --out FILE`; the file's path. */
  async function createUser(name: string, role: string, namespace?: string): Promise<string> {
    const file = path.join(dir, `${name}.config`);
    const r = await run(['user', 'create', name, '--role', role, ...(namespace ? ['-n', namespace] : []), '--out', file]);
    assertOk(r);
    assert.equal(r.stdout, `user/${name} created; credential written to ${file}\n`);
    return file;
  }

  describe('tokens', () => {
    it('create prints the token and the agent command; list shows it without the secret; delete removes it', async () => {
      const created = await run(['token', 'create', '--description', 'rack 4']);
      assertOk(created);
      const [token, command, ...rest] = created.stdout.split('\n');
      assert.deepEqual(rest, ['']);
      const m = /^([a-z0-9]{6})\.([a-z0-9]{16})$/.exec(token!);
      assert.ok(m, `not a token: ${token}`);
      const [, id, secret] = m;
      const hash = /--ca-hash (sha256:[0-9a-f]{64})$/.exec(command!)?.[1];
      assert.ok(hash, command);
      assert.equal(command, `kite-agent --controller ${ctl!.target} --token ${token} --ca-hash ${hash}`);

      const listed = await run(['token', 'list']);
      assertOk(listed);
      const [header, ...rows] = listed.stdout.trim().split('\n');
      assert.match(header!, /^TOKEN ID\s+TTL\s+EXPIRES\s+DESCRIPTION$/);
      const row = rows.find((l) => l.startsWith(id!));
      // Default --ttl 24h: kubeadm's "23h" a moment later, and an RFC 3339 expiry about a day away.
      assert.match(row ?? '', /^\w{6}\s+23h\s+(\S+)\s+rack 4$/, listed.stdout);
      const expires = Date.parse(/\s23h\s+(\S+)/.exec(row!)![1]!);
      assert.ok(Math.abs(expires - (Date.now() + 24 * 3_600_000)) < 60_000, row);
      assert.ok(!listed.stdout.includes(secret!), 'token list showed a secret');

      const deleted = await run(['token', 'delete', id!]);
      assertOk(deleted);
      assert.equal(deleted.stdout, `token "${id}" deleted\n`);
      assert.ok(!(await run(['token', 'list'])).stdout.includes(id!));

      // A deleted token cannot join.
      const agent = new Agent({ controller: ctl!.target, name: 'late-node', runtime: 'fake', log: silentLogger, defaultMetrics: false, token: token!, caHash: hash! });
      try {
        await assert.rejects(agent.start(), (e: unknown) => isKiteError(e, 'Unauthenticated') && /join token is not valid/.test(e.message));
      } finally {
        await agent.stop();
      }
    });

    it('--ttl 0 never expires; the token joins a node', async () => {
      const created = await run(['token', 'create', '--ttl', '0']);
      assertOk(created);
      const [token, command] = created.stdout.split('\n');
      const id = token!.split('.')[0]!;
      const list = await run(['token', 'list']);
      assert.match(list.stdout, new RegExp(`^${id}\\s+<forever>\\s+<never>\\s+<none>$`, 'm'));
      const agent = new Agent({ controller: ctl!.target, name: 'joined-node', runtime: 'fake', log: silentLogger, defaultMetrics: false, token: token!, caHash: /sha256:\w+/.exec(command!)![0] });
      try {
        await agent.start();
      } finally {
        await agent.stop();
      }
    });

    it('delete of an unknown token fails, after deleting the known ones', async () => {
      const token = (await run(['token', 'create'])).stdout.split('\n')[0]!;
      const r = await run(['token', 'delete', 'zzzzzz', token]);
      assertCleanFailure(r, /Error from server \(NotFound\): token "zzzzzz" not found/);
      // The whole ID.SECRET is accepted as kubeadm does, and only the ID is printed back.
      assert.equal(r.stdout, `token "${token.split('.')[0]}" deleted\n`);
      assertCleanFailure(await run(['token', 'create', '--ttl', 'soon']), /--ttl: "soon" is not a duration/);
    });
  });

  describe('users', () => {
    it('user create writes a 0600 credential that works, and whoami names it', async () => {
      const file = await createUser('reader', 'view');
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      const config = YAML.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
      assert.equal(config.server, ctl!.target);
      assert.equal(config.user, 'reader');
      assert.match(config.key!, /BEGIN PRIVATE KEY/);
      const [pods, who, asJson, adminAsYaml] = await Promise.all([
        run(['get', 'pods'], file),
        run(['auth', 'whoami'], file),
        run(['auth', 'whoami', '-o', 'json'], file),
        run(['auth', 'whoami', '-o', 'yaml']),
      ]);
      assertOk(pods);
      assertOk(who);
      assert.match(who.stdout, /^USERNAME\s+ROLE\s+NAMESPACE\nreader\s+view\s+<all>\n$/);
      assert.deepEqual(JSON.parse(asJson.stdout), { kind: 'user', name: 'reader', role: 'view' });
      assert.deepEqual(YAML.parse(adminAsYaml.stdout), { kind: 'user', name: 'admin', role: 'admin' });

      // Refuses to overwrite a file (it could be the admin's own credential).
      assertCleanFailure(await run(['user', 'create', 'reader2', '--role', 'view', '--out', file]), /already exists/);
      assert.doesNotMatch((await run(['user', 'list'])).stdout, /reader2/);
    });

    it('without --out the credential goes to stdout and the note to stderr', async () => {
      const r = await run(['user', 'create', 'piped', '--role', 'edit', '-n', 'team']);
      assertOk(r);
      assert.equal(r.stderr, 'user/piped created\n');
      const file = path.join(dir, 'piped.config');
      fs.writeFileSync(file, r.stdout, { mode: 0o600 });
      const who = await run(['auth', 'whoami'], file);
      assert.match(who.stdout, /^piped\s+edit\s+team$/m);
    });

    it('a view user cannot apply or read Secrets, with a clear error and a non-zero exit', async () => {
      const file = await createUser('viewer', 'view');
      const [apply, secrets, tokens, users] = await Promise.all([
        run(['apply', '-f', '-'], file, configMapYaml('by-viewer', 'default')),
        run(['get', 'secrets'], file),
        run(['token', 'list'], file),
        run(['user', 'create', 'mallory', '--role', 'admin'], file),
      ]);
      assertCleanFailure(apply, /^error: user "viewer" \(role view\) cannot create configmaps in namespace "default"/m);
      assert.ok(!(await ctl!.client.list('ConfigMap', { namespace: 'default' })).items.some((o) => o.metadata.name === 'by-viewer'));
      assertCleanFailure(secrets, /^error: user "viewer" \(role view\) cannot list secrets/m);
      assertCleanFailure(tokens, /^error: user "viewer" \(role view\) cannot list tokens/m);
      assertCleanFailure(users, /^error: user "viewer" \(role view\) cannot create users/m);
      assert.equal(users.stdout, '', 'a refused user create printed a credential');
    });

    it('an edit user created with -n applies in its namespace only', async () => {
      const file = await createUser('team-editor', 'edit', 'team');
      // Its credential defaults to its namespace.
      const own = await run(['apply', '-f', '-'], file, configMapYaml('by-editor', 'team'));
      assertOk(own);
      assert.equal(own.stdout, 'configmap/by-editor created\n');
      assertCleanFailure(await run(['apply', '-f', '-'], file, configMapYaml('by-editor', 'default')), /cannot create configmaps in namespace "default"/);
      assertCleanFailure(await run(['get', 'pods', '-n', 'default'], file), /cannot list pods in namespace "default"/);

      const users = await run(['user', 'list']);
      assertOk(users);
      const lines = users.stdout.trim().split('\n');
      assert.match(lines[0]!, /^NAME\s+ROLE\s+NAMESPACE\s+AGE$/);
      assert.ok(lines.some((l) => /^admin\s+admin\s+<all>\s+\S+$/.test(l)), users.stdout);
      assert.ok(lines.some((l) => /^team-editor\s+edit\s+team\s+\d+s$/.test(l)), users.stdout);
    });

    it('user delete makes the credential stop working', async () => {
      const file = await createUser('leaver', 'edit');
      assertOk(await run(['get', 'pods'], file));
      const r = await run(['user', 'delete', 'leaver', 'nobody']);
      assertCleanFailure(r, /Error from server \(NotFound\): user "nobody" not found/);
      assert.equal(r.stdout, 'user "leaver" deleted\n');
      assertCleanFailure(await run(['get', 'pods'], file), /^error: .*"leaver"/m);
      assert.doesNotMatch((await run(['user', 'list'])).stdout, /leaver/);
    });
  });

  describe('connection failures', () => {
    let other: ControllerHandle | undefined;
    after(async () => other?.stop());

    it("another cluster's credential fails the TLS handshake with a helpful message", async () => {
      other = await startController({ etcd: etcd!.endpoint, prefix: OTHER_PREFIX, id: 'cli-security-other' });
      const r = await run(['get', 'pods'], other.adminConfig);
      assertCleanFailure(
        r,
        new RegExp(
          `^Unable to connect to the server: cannot reach the Kite controller at ${ctl!.target.replace(/\./g, '\\.')}: TLS handshake failed \\(self-signed certificate in certificate chain\\); is your credential \\(KITE_CONFIG or ~/\\.kite/config\\) for this cluster\\?$`,
          'm',
        ),
      );
    });

    it('a plaintext port fails the handshake with a hint about the address', async () => {
      const r = await kite(`127.0.0.1:${ctl!.httpPort}`, ['get', 'pods'], undefined, { KITE_CONFIG: ctl!.adminConfig });
      assertCleanFailure(r, /TLS handshake failed \(wrong version number\); is that the controller's gRPC address\?/);
    });
  });
});
