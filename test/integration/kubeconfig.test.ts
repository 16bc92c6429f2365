// kite kubeconfig and users' API tokens against a real controller on a real etcd: the admin's own
// kubeconfig carries its certificate; a token for another user is minted by admins only, kept in
// etcd as a hash only, authenticates once made, and goes with its user; -o never replaces a file
// kite did not write.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Etcd3 } from 'etcd3';
import YAML from 'yaml';
import { KubeConfig } from '@kubernetes/client-node';
import { readClientConfig } from '../../common/client-config';
import { silentLogger } from '../../common/log';
import { CONTROLLER_SERVER_NAME } from '../../common/pki/identity';
import { KUBECONFIG_EXTENSION, KUBECONFIG_MARKER } from '../../cli/commands/kubeconfig';
import { KeyLayout } from '../../controller/store/keys';
import { UserTokenStore, mintUserToken, parseUserTokenRecord } from '../../controller/security/user-tokens';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { startController, kite, eventually, type ControllerHandle, type CliResult } from '../harness/processes';
import { requireCommand } from '../harness/require';
import { KUBECTL_132 as KUBECTL, kubeRequest, requireKubectl } from '../harness/kubectl';

const PREFIX = '/kite-it-kubeconfig';
const TOKEN_RE = /^kite-([a-z0-9]{8})\.([a-z0-9]{32})$/;

function assertOk(r: CliResult): void {
  assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
}

function assertCleanFailure(r: CliResult, pattern: RegExp): void {
  assert.notEqual(r.code, 0, `expected failure, got exit 0\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /^\s+at .+:\d+:\d+\)?$/m, `stack trace on stderr:\n${r.stderr}`);
}

interface Kubeconfig {
  apiVersion: string;
  kind: string;
  clusters: { name: string; cluster: Record<string, string> & { extensions?: unknown } }[];
  users: { name: string; user: Record<string, string> }[];
  contexts: { name: string; context: Record<string, string> }[];
  'current-context': string;
}

const fromBase64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');

describe('kite kubeconfig and user API tokens (integration: etcd + controller)', function () {
  this.timeout(120_000);
  let etcd: EtcdHandle | undefined;
  let ctl: ControllerHandle | undefined;
  let raw: Etcd3 | undefined;
  let tokens: UserTokenStore | undefined;
  let dir: string;
  let bobConfig: string;
  const keys = new KeyLayout(PREFIX);
  /** As the admin, or as the credential in `config`. */
  let run: (args: string[], config?: string) => Promise<CliResult>;

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    requireKubectl(this);
    etcd = await startEtcd();
    ctl = await startController({ etcd: etcd.endpoint, prefix: PREFIX, id: 'kubeconfig-it' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-kubeconfig-it-'));
    run = (args, config) => kite(ctl!.target, args, undefined, config ? { KITE_CONFIG: config } : {});
    bobConfig = path.join(dir, 'bob.config');
    assertOk(await run(['user', 'create', 'bob', '--role', 'view', '--out', bobConfig]));
    assertOk(await run(['user', 'create', 'dev', '--role', 'edit', '--out', path.join(dir, 'dev.config')]));
    raw = new Etcd3({ hosts: [etcd.endpoint] });
    // A second reader of the tokens, as another controller would be: it sees them through etcd only.
    tokens = new UserTokenStore(raw, keys, silentLogger);
    await tokens.start();
  });

  after(async () => {
    await tokens?.stop();
    raw?.close();
    await ctl?.stop();
    await etcd?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function kubeconfig(args: string[], config?: string): Promise<{ text: string; doc: Kubeconfig }> {
    const r = await run(['kubeconfig', ...args], config);
    assertOk(r);
    return { text: r.stdout, doc: YAML.parse(r.stdout) as Kubeconfig };
  }

  /** The token records in etcd, by ID. */
  async function storedTokens(): Promise<Map<string, string>> {
    const all = await raw!.getAll().prefix(keys.userTokens).strings();
    return new Map(Object.entries(all).map(([k, v]) => [k.slice(keys.userTokens.length), v]));
  }

  it("prints a kubeconfig for the admin with the admin's certificate, that kubectl and client-node read", async () => {
    const admin = readClientConfig(ctl!.adminConfig);
    const { text, doc } = await kubeconfig([]);
    assert.ok(text.startsWith(`${KUBECONFIG_MARKER}\n`), text.slice(0, 200));
    assert.equal(doc.apiVersion, 'v1');
    assert.equal(doc.kind, 'Config');
    assert.equal(doc['current-context'], 'kite');
    assert.deepEqual(doc.contexts, [{ name: 'kite', context: { cluster: 'kite', user: 'admin', namespace: 'default' } }]);
    const cluster = doc.clusters[0]!;
    assert.equal(cluster.name, 'kite');
    assert.equal(cluster.cluster.server, `https://127.0.0.1:${ctl!.kubeApiPort}`);
    assert.equal(cluster.cluster['tls-server-name'], CONTROLLER_SERVER_NAME);
    assert.deepEqual(cluster.cluster.extensions, [KUBECONFIG_EXTENSION]);
    assert.equal(fromBase64(cluster.cluster['certificate-authority-data']), admin.ca);
    assert.equal(doc.users.length, 1);
    assert.equal(doc.users[0]!.name, 'admin');
    assert.deepEqual(Object.keys(doc.users[0]!.user).sort(), ['client-certificate-data', 'client-key-data']);
    assert.equal(fromBase64(doc.users[0]!.user['client-certificate-data']), admin.cert);
    assert.equal(fromBase64(doc.users[0]!.user['client-key-data']), admin.key);

    const kc = new KubeConfig();
    kc.loadFromString(text);
    assert.equal(kc.getCurrentCluster()?.server, `https://127.0.0.1:${ctl!.kubeApiPort}`);
    assert.equal(kc.getCurrentCluster()?.tlsServerName, CONTROLLER_SERVER_NAME);
    assert.equal(kc.getCurrentUser()?.name, 'admin');
    const file = path.join(dir, 'admin.kubeconfig');
    fs.writeFileSync(file, text, { mode: 0o600 });
    // Offline: kubectl parses the file and finds the context, user and server.
    const view = execFileSync(KUBECTL, ['config', 'view', '--kubeconfig', file, '--minify', '-o', 'jsonpath={.contexts[0].context.user} {.clusters[0].cluster.server}'], { encoding: 'utf8' });
    assert.equal(view, `admin https://127.0.0.1:${ctl!.kubeApiPort}`);
  });

  it('an admin gets a token for another user; etcd keeps only its hash; the token authenticates once made', async () => {
    const { text, doc } = await kubeconfig(['--user', 'dev', '--ttl', '2h', '-n', 'team']);
    assert.deepEqual(doc.contexts, [{ name: 'kite', context: { cluster: 'kite', user: 'dev', namespace: 'team' } }]);
    assert.equal(doc.users[0]!.name, 'dev');
    assert.deepEqual(Object.keys(doc.users[0]!.user), ['token']);
    const token = doc.users[0]!.user.token!;
    const m = TOKEN_RE.exec(token);
    assert.ok(m, `not a user token: ${token}`);
    const [, id, secret] = m;
    assert.ok(!text.includes('client-key-data'), "the admin's key went into another user's kubeconfig");

    // etcd: the record under its ID holds the SHA-256 of the secret, never the secret.
    const stored = (await storedTokens()).get(id!);
    assert.ok(stored, `no record for ${id}`);
    const record = parseUserTokenRecord(stored)!;
    assert.equal(record.user, 'dev');
    assert.equal(record.createdBy, 'user "admin"');
    assert.equal(record.secretSha256, createHash('sha256').update(secret!).digest('hex'));
    assert.ok(Math.abs(Date.parse(record.expires!) - (Date.now() + 2 * 3_600_000)) < 60_000, record.expires);
    const everything = await raw!.getAll().prefix(PREFIX).strings();
    for (const [key, value] of Object.entries(everything)) assert.ok(!value.includes(secret!) && !key.includes(secret!), `the secret is stored at ${key}`);

    // Another reader of etcd (as another controller) authenticates it from its watched copy.
    await eventually(() => tokens!.authenticate(token) === 'dev', 10_000, 'the token to reach the watched copy');
    assert.equal(tokens!.authenticate(`kite-${id}.${secret!.slice(0, -1)}${secret!.endsWith('0') ? '1' : '0'}`), undefined);
  });

  it('the token lists pods on the HTTPS API (200); a wrong one is refused (401); kubectl works with the kubeconfig', async () => {
    const { text, doc } = await kubeconfig(['--user', 'dev']);
    const token = doc.users[0]!.user.token!;
    const ca = fromBase64(doc.clusters[0]!.cluster['certificate-authority-data']);
    const port = Number(new URL(doc.clusters[0]!.cluster.server!).port);
    const ok = await kubeRequest({ ca, token }, port, 'GET', '/api/v1/namespaces/default/pods');
    assert.equal(ok.status, 200, ok.body);
    assert.equal((JSON.parse(ok.body) as { kind: string }).kind, 'PodList');
    const [, id, secret] = TOKEN_RE.exec(token)!;
    for (const bad of [`kite-${id}.${secret!.slice(0, -1)}${secret!.endsWith('0') ? '1' : '0'}`, 'kite-zzzzzzzz.' + 'z'.repeat(32), 'nonsense']) {
      const refused = await kubeRequest({ ca, token: bad }, port, 'GET', '/api/v1/namespaces/default/pods');
      assert.equal(refused.status, 401, refused.body);
      assert.equal((JSON.parse(refused.body) as { kind: string; reason: string }).reason, 'Unauthorized');
    }
    const file = path.join(dir, 'dev.kubeconfig');
    fs.writeFileSync(file, text, { mode: 0o600 });
    const out = execFileSync(KUBECTL, ['--kubeconfig', file, '--cache-dir', path.join(dir, 'kubectl-cache'), 'get', 'pods'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(out, '');
    const badFile = path.join(dir, 'bad.kubeconfig');
    fs.writeFileSync(badFile, text.replace(token, `kite-${id}.${'0'.repeat(32)}`), { mode: 0o600 });
    assert.throws(
      () => execFileSync(KUBECTL, ['--kubeconfig', badFile, '--cache-dir', path.join(dir, 'kubectl-cache'), 'get', 'pods'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
      (e: { stderr?: string }) => /Unauthorized/.test(e.stderr ?? ''),
    );
  });

  it('a non-admin cannot get a token for another user, and gets its own kubeconfig with its certificate', async () => {
    const before = (await storedTokens()).size;
    const refused = await run(['kubeconfig', '--user', 'dev'], bobConfig);
    assertCleanFailure(refused, /user "bob" \(role view\) cannot create users/);
    assert.equal(refused.stdout, '');
    assert.equal((await storedTokens()).size, before, 'a refused request minted a token');

    const bob = readClientConfig(bobConfig);
    for (const args of [[], ['--user', 'bob']]) {
      const { doc } = await kubeconfig(args, bobConfig);
      assert.equal(doc.users[0]!.name, 'bob');
      assert.equal(fromBase64(doc.users[0]!.user['client-certificate-data']), bob.cert);
      assert.equal(fromBase64(doc.users[0]!.user['client-key-data']), bob.key);
      assert.equal(doc.users[0]!.user.token, undefined);
    }
    assert.equal((await storedTokens()).size, before, 'a kubeconfig for oneself minted a token');
  });

  it('refuses an unknown user, --ttl without --user, and a malformed --ttl', async () => {
    assertCleanFailure(await run(['kubeconfig', '--user', 'ghost']), /Error from server \(NotFound\): user "ghost" not found/);
    assertCleanFailure(await run(['kubeconfig', '--ttl', '1h']), /--ttl is the lifetime of the token made for --user NAME/);
    assertCleanFailure(await run(['kubeconfig', '--user', 'dev', '--ttl', 'forever']), /--ttl: "forever" is not a duration/);
  });

  it('-o writes mode 0600 and replaces a file kite wrote, never another one', async () => {
    const file = path.join(dir, 'new-dir', 'kubeconfig');
    const first = await run(['kubeconfig', '-o', file]);
    assertOk(first);
    assert.equal(first.stdout, `kubeconfig for user "admin" written to ${file}\n`);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.ok(fs.readFileSync(file, 'utf8').startsWith(KUBECONFIG_MARKER));
    // Ours: replaced (here by a token kubeconfig for dev).
    assertOk(await run(['kubeconfig', '--user', 'dev', '-o', file]));
    assert.match(fs.readFileSync(file, 'utf8'), /token: kite-/);
    // kubectl rewrites the file without the marker comment; kite's cluster extension survives.
    execFileSync(KUBECTL, ['config', 'set-context', '--current', '--namespace', 'team', '--kubeconfig', file], { encoding: 'utf8' });
    assert.ok(!fs.readFileSync(file, 'utf8').startsWith(KUBECONFIG_MARKER), 'kubectl kept the comment: this case tests nothing');
    assertOk(await run(['kubeconfig', '-o', file]));
    assert.match(fs.readFileSync(file, 'utf8'), /client-certificate-data/);

    // Not ours (a hand-written ~/.kube/config, say): refused, untouched, and no token minted.
    const foreign = path.join(dir, 'foreign-config');
    const original = 'apiVersion: v1\nkind: Config\nclusters: []\n';
    fs.writeFileSync(foreign, original, { mode: 0o644 });
    const before = (await storedTokens()).size;
    for (const args of [['-o', foreign], ['--user', 'dev', '-o', foreign]]) {
      assertCleanFailure(await run(['kubeconfig', ...args]), /foreign-config exists and was not written by kite kubeconfig; refusing to replace it/);
    }
    assert.equal(fs.readFileSync(foreign, 'utf8'), original);
    assert.equal(fs.statSync(foreign).mode & 0o777, 0o644);
    assert.equal((await storedTokens()).size, before);
    // A directory is not replaced either.
    assertCleanFailure(await run(['kubeconfig', '-o', dir]), /refusing to replace it/);
  });

  it("deleting a user deletes its tokens, in etcd and in every controller's copy", async () => {
    assertOk(await run(['user', 'create', 'temp', '--role', 'view', '--out', path.join(dir, 'temp.config')]));
    const tokenA = (await kubeconfig(['--user', 'temp'])).doc.users[0]!.user.token!;
    const tokenB = (await kubeconfig(['--user', 'temp', '--ttl', '10m'])).doc.users[0]!.user.token!;
    await eventually(() => tokens!.authenticate(tokenA) === 'temp' && tokens!.authenticate(tokenB) === 'temp', 10_000, 'the tokens to authenticate');
    const devTokens = [...(await storedTokens()).values()].filter((v) => parseUserTokenRecord(v)?.user === 'dev').length;

    assertOk(await run(['user', 'delete', 'temp']));
    const left = [...(await storedTokens()).values()].map((v) => parseUserTokenRecord(v)?.user);
    assert.ok(!left.includes('temp'), "temp's tokens are still in etcd");
    assert.equal(left.filter((u) => u === 'dev').length, devTokens, "another user's tokens went too");
    await eventually(() => tokens!.authenticate(tokenA) === undefined && tokens!.authenticate(tokenB) === undefined, 10_000, 'the deleted tokens to stop authenticating');
    const ca = readClientConfig(ctl!.adminConfig).ca!;
    const gone = await kubeRequest({ ca, token: tokenA }, ctl!.kubeApiPort, 'GET', '/api/v1/namespaces/default/pods');
    assert.equal(gone.status, 401, gone.body);
  });

  it('a token whose user has no account names the user and is refused by the authorizer (401)', async () => {
    // As if a user's deletion had not taken its tokens with it: the record is put in etcd directly.
    const { token, record } = mintUserToken('no-such-user', 3_600_000, 'test', Date.now());
    await raw!.put(keys.userTokens + record.id).value(JSON.stringify(record));
    const ca = readClientConfig(ctl!.adminConfig).ca!;
    const r = await eventually(
      async () => {
        const res = await kubeRequest({ ca, token }, ctl!.kubeApiPort, 'GET', '/api/v1/namespaces/default/pods');
        return /no account/.test(res.body) ? res : undefined;
      },
      10_000,
      'the controller to see the token',
    );
    assert.equal(r.status, 401, r.body);
    assert.match(r.body, /user \\"no-such-user\\" has no account on this cluster/);
  });
});
