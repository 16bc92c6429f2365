import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod, Secret } from '../../../common/api/types';
import { FakeClock } from '../../../common/clock';
import { silentLogger } from '../../../common/log';
import { FakeExecutor } from '../../../node-agent/executor/fake';
import type { CommandRunner } from '../../../node-agent/network/commands';
import { PodManager } from '../../../node-agent/pods/manager';
import { prepareMounts, redactSecretValues, REDACTED } from '../../../node-agent/pods/resolve';
import { MOUNTED_MARKER, TMPFS_MAGIC, cleanupSecretsDir, ensureSecretsDir, hostOf, isTmpfs, secretVolumeDir, type SecretsDirHost } from '../../../node-agent/pods/secret-volumes';
import { execRunner } from '../../../node-agent/network/commands';

const EXT4_MAGIC = 0xef53;

/** A host whose filesystem type and mount command the test decides. */
function fakeHost(opts: { tmpfs: boolean; mountWorks: boolean }): SecretsDirHost & { commands: string[] } {
  let mounted = false;
  const commands: string[] = [];
  const runner: CommandRunner = {
    run(cmd, args) {
      commands.push([cmd, ...args].join(' '));
      if (cmd === 'mount') {
        if (!opts.mountWorks) return Promise.reject(new Error('mount: only root can do that'));
        mounted = true;
      }
      if (cmd === 'umount') mounted = false;
      return Promise.resolve('');
    },
  };
  return { commands, runner, statfs: () => ({ type: opts.tmpfs || mounted ? TMPFS_MAGIC : EXT4_MAGIC }) };
}

const secret = (name: string, values: Record<string, string>): Secret => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name },
  data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});

function podWithSecretVolume(uid: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid },
    spec: {
      volumes: [
        { name: 'creds', secret: { secretName: 's' } },
        { name: 'conf', configMap: { name: 'cm' } },
      ],
      containers: [{ name: 'main', image: 'img:1', volumeMounts: [{ name: 'creds', mountPath: '/creds' }, { name: 'conf', mountPath: '/conf' }] }],
    },
  };
}

describe('secret volumes in memory', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kite-secrets-unit-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a dir that is already tmpfs, private, without mounting', async () => {
    const host = fakeHost({ tmpfs: true, mountWorks: true });
    assert.equal(await ensureSecretsDir(join(dir, 'secrets'), host), 'tmpfs');
    assert.deepEqual(host.commands, []);
    assert.equal(statSync(join(dir, 'secrets')).mode & 0o777, 0o700);
  });

  it('mounts a private 64m tmpfs on a dir that is on disk, and marks it as its own', async () => {
    const host = fakeHost({ tmpfs: false, mountWorks: true });
    const target = join(dir, 'secrets');
    assert.equal(await ensureSecretsDir(target, host), 'mounted');
    assert.deepEqual(host.commands, [`mount -t tmpfs -o mode=0700,size=64m tmpfs ${target}`]);
    assert.ok(existsSync(join(target, MOUNTED_MARKER)));
  });

  it('fails with what to do when the tmpfs cannot be mounted', async () => {
    const host = fakeHost({ tmpfs: false, mountWorks: false });
    const target = join(dir, 'secrets');
    await assert.rejects(ensureSecretsDir(target, host), (e: Error) => {
      assert.ok(e.message.includes(`secrets dir ${target} is not on tmpfs`));
      assert.match(e.message, /only root can do that/);
      assert.match(e.message, /--secrets-dir/);
      return true;
    });
  });

  it('--cleanup unmounts only the tmpfs the agent mounted', async () => {
    const mine = fakeHost({ tmpfs: false, mountWorks: true });
    const target = join(dir, 'secrets');
    await ensureSecretsDir(target, mine);
    const r = await cleanupSecretsDir(target, mine);
    assert.deepEqual(r.done, [`unmounted the secrets tmpfs at ${target}`]);
    assert.equal(mine.commands.at(-1), `umount ${target}`);

    const theirs = fakeHost({ tmpfs: true, mountWorks: true });
    const other = join(dir, 'shm');
    await ensureSecretsDir(other, theirs);
    assert.deepEqual(await cleanupSecretsDir(other, theirs), { done: [], problems: [] });
    assert.deepEqual(theirs.commands, []);
  });

  it('/dev/shm is recognised as tmpfs by the real statfs', function () {
    if (!existsSync('/dev/shm')) this.skip();
    assert.equal(isTmpfs(hostOf(execRunner), '/dev/shm'), true);
  });

  it('writes Secret volumes under <secretsDir>/<pod uid>/<volume>, ConfigMaps stay in the pod dir', async () => {
    const dataDir = join(dir, 'data');
    const secretsDir = join(dir, 'secrets');
    const pod = podWithSecretVolume('0123abcd-ef45');
    const mounts = await prepareMounts(
      { pod, configMaps: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } }], secrets: [secret('s', { token: 't0k3n' })] },
      pod.spec.containers[0]!,
      dataDir,
      secretsDir,
    );
    assert.equal(mounts[0]!.hostPath, join(secretsDir, '0123abcd-ef45', 'creds'));
    assert.equal(readFileSync(join(mounts[0]!.hostPath, 'token'), 'utf8'), 't0k3n');
    assert.ok(mounts[1]!.hostPath.startsWith(join(dataDir, 'pods', '0123abcd-ef45')));
    assert.ok(!existsSync(join(dataDir, 'pods', '0123abcd-ef45', 'volumes', 'creds')), 'nothing of the Secret on disk');
  });

  it('refuses a pod uid that would climb out of the secrets dir', async () => {
    assert.equal(secretVolumeDir('/run/s', '../etc', 'v'), undefined);
    const pod = podWithSecretVolume('../../etc');
    await assert.rejects(
      prepareMounts({ pod, configMaps: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: {} }], secrets: [secret('s', { token: 'x' })] }, pod.spec.containers[0]!, join(dir, 'd'), join(dir, 's')),
      /cannot name a directory/,
    );
  });

  it("removes a pod's Secret volumes with the pod", async () => {
    const clock = new FakeClock();
    const executor = new FakeExecutor('n', clock);
    executor.images.add('img:1');
    const secretsDir = join(dir, 'secrets');
    const m = new PodManager({ executor, nodeName: 'n', dataDir: join(dir, 'data'), secretsDir, clock, log: silentLogger, onStatus: () => undefined });
    await m.recover();
    const pod = podWithSecretVolume('uid-sv');
    m.sync(true, [{ pod, configMaps: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } }], secrets: [secret('s', { token: 't0k3n' })] }], []);
    const podSecrets = join(secretsDir, 'uid-sv');
    await until(() => existsSync(join(podSecrets, 'creds', 'token')), clock);
    m.sync(true, [], []);
    await until(() => !existsSync(podSecrets), clock);
    await m.stop();
  });

  it('redacts Secret values (decoded, base64, each line) from messages', () => {
    const a = { pod: podWithSecretVolume('u'), configMaps: [], secrets: [secret('s', { pw: 'hunter2-pass', pem: 'line-one-abc\nline-two-def', tiny: 'ab' })] };
    const b64 = Buffer.from('hunter2-pass').toString('base64');
    const out = redactSecretValues(a, `env PW=hunter2-pass (${b64}); key line-two-def; ab stays`);
    assert.equal(out, `env PW=${REDACTED} (${REDACTED}); key ${REDACTED}; ab stays`);
  });

  it('a container create error quoting a Secret env value reaches neither the status nor the Events', async () => {
    const clock = new FakeClock();
    const executor = new FakeExecutor('n', clock);
    executor.images.add('img:1');
    executor.scripts.set('main', { createError: 'invalid environment variable: DB_PASSWORD=s3cret-db-pass' });
    const events: string[] = [];
    let last: string | undefined;
    const m = new PodManager({
      executor,
      nodeName: 'n',
      dataDir: join(dir, 'data'),
      clock,
      log: silentLogger,
      onStatus: (rs) => (last = rs.at(-1)?.containers?.[0]?.message ?? last),
      onEvent: (e) => events.push(e.message),
    });
    await m.recover();
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default', uid: 'uid-env' },
      spec: { containers: [{ name: 'main', image: 'img:1', env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 's', key: 'pw' } } }] }] },
    };
    m.sync(true, [{ pod, configMaps: [], secrets: [secret('s', { pw: 's3cret-db-pass' })] }], []);
    await until(() => last !== undefined && events.some((e) => e.includes('invalid environment variable')), clock);
    assert.equal(last, `invalid environment variable: DB_PASSWORD=${REDACTED}`);
    assert.ok(events.every((e) => !e.includes('s3cret-db-pass')), events.join('\n'));
    assert.equal(m.podStatus('uid-env')?.containers?.[0]?.message, `invalid environment variable: DB_PASSWORD=${REDACTED}`);
    await m.stop();
  });
});

async function until(done: () => boolean, clock: FakeClock, maxSteps = 400): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    if (done()) return;
    await new Promise((r) => setTimeout(r, 2));
    clock.advance(50);
  }
  throw new Error('condition not reached');
}
