// The controller's link to etcd (issue 11, part 7), with real processes: an etcd serving clients
// over TLS and requiring a client certificate, and an etcd cluster of three members one of which
// goes away and comes back.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Etcd3 } from 'etcd3';
import type { ConfigMap, Deployment, ReplicaSet, Secret } from '../../common/api/types';
import type { KiteClient } from '../../common/client';
import { isSealed } from '../../controller/security/keyring';
import { KeyLayout } from '../../controller/store/keys';
import { startEtcd, startEtcdCluster, type EtcdClusterHandle, type EtcdHandle, type TlsFiles } from '../harness/etcd';
import { freePort } from '../harness/ports';
import { eventually, launch, startController, type ControllerHandle } from '../harness/processes';
import { requireCommand } from '../harness/require';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function configMap(name: string, data: Record<string, string>): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data } as ConfigMap;
}

function secret(name: string, values: Record<string, string>): Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'default' },
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, b64(v)])),
  };
}

function deployment(name: string): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'busybox:1' }] } },
    },
  } as Deployment;
}

/**
 * The API answers: a ConfigMap is written and read back, and a Deployment gets its ReplicaSet
 * from the leader's reconciler (so its watches on etcd work too).
 */
async function assertServes(client: KiteClient, name: string): Promise<void> {
  const step = async <T>(what: string, p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      throw new Error(`${name}: ${what}: ${String(e)}`, { cause: e });
    }
  };
  await step('apply ConfigMap', client.apply([configMap(name, { step: name })]));
  assert.equal((await step('get ConfigMap', client.get<ConfigMap>('ConfigMap', name, 'default'))).data?.step, name);
  await step('apply Deployment', client.apply([deployment(name)]));
  await eventually(
    async () => (await client.list<ReplicaSet>('ReplicaSet', { namespace: 'default', labelSelector: `app=${name}` })).items.length === 1,
    15_000,
    `the ReplicaSet of deployment ${name}`,
  );
}

/** A controller launched directly (startController would wait for it to serve): its own keys and admin credential paths. */
async function launchController(etcd: string, flags: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-etcd-sec-'));
  const grpcPort = await freePort();
  const args = ['--etcd', etcd, '--listen', `127.0.0.1:${grpcPort}`, '--http', `127.0.0.1:${await freePort()}`];
  args.push('--keys-file', path.join(dir, 'keys.json'), '--admin-config', path.join(dir, 'admin.config'), ...flags);
  const proc = launch('controller/main.ts', args);
  const log = () => fs.readFileSync(proc.logFile, 'utf8');
  return { ...proc, grpcPort, adminConfig: path.join(dir, 'admin.config'), log, dir };
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('etcd security: client TLS and several members (integration: etcd)', function () {
  this.timeout(60_000);

  describe('an etcd that serves TLS and requires a client certificate', () => {
    let etcd: EtcdHandle | undefined;
    let tls: TlsFiles;
    let ctl: ControllerHandle | undefined;
    const prefix = '/kite-etcd-tls';

    before(async function () {
      requireCommand(this, 'etcd', 'etcd');
      etcd = await startEtcd({ tls: true });
      tls = etcd.tls!;
      assert.match(etcd.endpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
      ctl = await startController({ etcd: etcd.endpoint, prefix, etcdTls: tls });
    });
    after(async () => {
      await ctl?.stop();
      await etcd?.stop();
    });

    it('a controller given the CA, certificate and key serves: apply, get, reconcile, and a Secret round trip stored sealed', async () => {
      await assertServes(ctl!.client, 'over-tls');

      await ctl!.client.apply([secret('db', { password: 'tls-etcd-password-value' })]);
      const back = await ctl!.client.get<Secret>('Secret', 'db', 'default');
      assert.equal(back.data?.password, b64('tls-etcd-password-value'));

      // It really is this etcd (over TLS with the same client certificate), and the value is sealed there.
      const raw = new Etcd3({
        hosts: [etcd!.endpoint],
        credentials: { rootCertificate: fs.readFileSync(tls.caFile), certChain: fs.readFileSync(tls.certFile), privateKey: fs.readFileSync(tls.keyFile) },
      });
      try {
        const stored = await raw.get(new KeyLayout(prefix).object('Secret', 'default', 'db')).string();
        assert.ok(stored, 'the Secret is not in the TLS etcd');
        assert.ok(isSealed(stored), 'the Secret is stored in plain text');
        assert.ok(!stored.includes('tls-etcd-password-value') && !stored.includes(b64('tls-etcd-password-value')));
      } finally {
        raw.close();
      }
    });

    it('a controller without a client certificate, or without any etcd TLS flag, never serves and logs why', async () => {
      const caOnly = await launchController(etcd!.endpoint, ['--etcd-cafile', tls.caFile]);
      const noTls = await launchController(etcd!.endpoint, []);
      try {
        // etcd's handshake refuses a client without a certificate (TLS alert 42, bad certificate);
        // with no --etcd-cafile the controller cannot verify etcd's certificate.
        const refusal = (log: string, why: RegExp) => log.split('\n').some((line) => why.test(line) && line.includes('cannot load the cluster CA from etcd'));
        await eventually(() => refusal(caOnly.log(), /sslv3 alert bad certificate/), 15_000, 'the refusal of a client without a certificate in its log');
        await eventually(() => refusal(noTls.log(), /unable to verify the first certificate/), 15_000, "the unverifiable etcd certificate in its log");
        for (const c of [caOnly, noTls]) {
          // Still retrying (etcd may be fixed), but nothing served and no credential written.
          assert.equal(await Promise.race([c.exited, new Promise((r) => setTimeout(() => r('running'), 200))]), 'running');
          assert.equal(fs.existsSync(c.adminConfig), false, 'the admin credential was written');
          assert.equal(await portAnswers(c.grpcPort), false, 'the API port is open');
          assert.doesNotMatch(c.log(), /controller started/);
        }
      } finally {
        await Promise.all([caOnly.stop(), noTls.stop()]);
        for (const c of [caOnly, noTls]) fs.rmSync(c.dir, { recursive: true, force: true });
      }
    });

    it('a missing --etcd-cafile, or a certificate without its key, exits non-zero naming the flag and the file', async () => {
      const missing = path.join(os.tmpdir(), `kite-no-such-dir-${process.pid}`, 'ca.crt');
      const badCa = await launchController(etcd!.endpoint, ['--etcd-cafile', missing, '--etcd-certfile', tls.certFile, '--etcd-keyfile', tls.keyFile]);
      const noKey = await launchController(etcd!.endpoint, ['--etcd-cafile', tls.caFile, '--etcd-certfile', tls.certFile]);
      try {
        assert.notEqual(await badCa.exited, 0);
        assert.equal(badCa.log().trim(), `error: --etcd-cafile ${missing}: ENOENT: no such file or directory, open '${missing}'`);
        assert.notEqual(await noKey.exited, 0);
        assert.equal(noKey.log().trim(), 'error: --etcd-certfile and --etcd-keyfile go together');
      } finally {
        for (const c of [badCa, noKey]) fs.rmSync(c.dir, { recursive: true, force: true });
      }
    });
  });

  describe('an etcd cluster of three members', () => {
    let cluster: EtcdClusterHandle | undefined;
    let ctl: ControllerHandle | undefined;

    before(async function () {
      requireCommand(this, 'etcd', 'etcd');
      cluster = await startEtcdCluster(3);
      ctl = await startController({ etcd: cluster.endpoints.join(','), prefix: '/kite-etcd-cluster' });
    });
    after(async () => {
      await ctl?.stop();
      await cluster?.stop();
    });

    it('a controller given every member keeps serving while any one member (the leader too) is down, and after it is back', async () => {
      await assertServes(ctl!.client, 'all-up');
      let stoppedTheLeader = false;
      // Each member in turn, so whichever one the controller's connections and watches use goes
      // away once; the raft leader is among them (leadership only moves when the leader stops).
      for (const [i, member] of cluster!.members.entries()) {
        if ((await cluster!.leader()) === i) stoppedTheLeader = true;
        await member.stop();
        await assertServes(ctl!.client, `without-m${i}`);
        await member.restart();
        // The controller shuns a member that failed for a while (a circuit breaker per member,
        // half-open after 1 s): only once it talks to this one again is stopping the next a
        // "one member down" case rather than two.
        await eventually(async () => (await member.kvRequestsServed()) > 0, 10_000, `the controller using m${i} again`);
        await assertServes(ctl!.client, `m${i}-back`);
      }
      assert.ok(stoppedTheLeader, 'the raft leader was never stopped');
      const configMaps = await ctl!.client.list<ConfigMap>('ConfigMap', { namespace: 'default' });
      assert.equal(configMaps.items.length, 7);
    });
  });
});
