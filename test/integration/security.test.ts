// Secure by default (issue 11), with real processes: a real etcd, real controller processes, agents
// in this process (joining with tokens like any node) and as processes, and raw gRPC and TLS
// clients playing the attacker: plaintext, another CA, expired certificates, bad tokens, a node
// posing as another, users beyond their role, garbage on the wire, oversized requests.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { Etcd3 } from 'etcd3';
import type { ConfigMap, KObject, Namespace, Node, Pod, Secret } from '../../common/api/types';
import { isNodeReady } from '../../common/api/node';
import { KiteClient } from '../../common/client';
import { readClientConfig } from '../../common/client-config';
import { grpc, loadProto } from '../../common/grpc';
import { silentLogger } from '../../common/log';
import { caPin, createCertificateAuthority, createCertificateRequest, issueKeyAndCertificate, type CertificateAuthority, type KeyAndCert } from '../../common/pki/certs';
import { CertificateSource } from '../../common/pki/certificate-source';
import { CONTROLLER_SERVER_NAME, nodeServerName, type Identity } from '../../common/pki/identity';
import { dial, PLAINTEXT, type TransportSecurity } from '../../common/transport';
import type { DispatcherClient } from '../../common/generated/kite/v1/Dispatcher';
import type { AgentStreamsClient } from '../../common/generated/kite/v1/AgentStreams';
import type { AgentMessage } from '../../common/generated/kite/v1/AgentMessage';
import type { ControllerMessage__Output } from '../../common/generated/kite/v1/ControllerMessage';
import type { CertificateResponse__Output } from '../../common/generated/kite/v1/CertificateResponse';
import { ClusterCa } from '../../controller/security/cluster-ca';
import { KeyRing, sealedKeyId } from '../../controller/security/keyring';
import { KeyLayout } from '../../controller/store/keys';
import { Agent } from '../../node-agent/agent';
import { FakeExecutor } from '../../node-agent/executor/fake';
import { clusterDir, joinCredentials } from '../harness/credentials';
import { startEtcd, type EtcdHandle } from '../harness/etcd';
import { startHollowNode, type HollowNode } from '../harness/hollow-node';
import { eventually, kite, programCommand, startAgent, startController, type AgentHandle, type ControllerHandle } from '../harness/processes';
import { requireCommand } from '../harness/require';
import { rejects } from '../harness/assertions';

const PREFIX = '/kite-it-security';
const RENEW_PREFIX = '/kite-it-security-renew';
const MAX_WATCHES = 4;
const ROOT = path.resolve(__dirname, '../..');
const GiB = 2 ** 30;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** TLS to the controller (or a node's stream port): trust `ca`, present `identity` if any. */
function tlsAs(ca: string, identity?: KeyAndCert, serverName = CONTROLLER_SERVER_NAME): TransportSecurity {
  return { mode: 'tls', certs: new CertificateSource(ca, identity), serverName };
}


/** A raw gRPC call's error (status code and details); fails if the call succeeds. */
function callError<R>(fn: (cb: (e: grpc.ServiceError | null, r?: R) => void) => unknown): Promise<grpc.ServiceError> {
  return new Promise((resolve, reject) => {
    fn((e, r) => (e ? resolve(e) : reject(new Error(`expected the call to fail, it answered ${JSON.stringify(r)?.slice(0, 200)}`))));
  });
}

function call<R>(fn: (cb: (e: grpc.ServiceError | null, r?: R) => void) => unknown): Promise<R> {
  return new Promise((resolve, reject) => {
    fn((e, r) => (e ? reject(e) : resolve(r as R)));
  });
}

/** The error that ends a server stream (and the messages before it); fails if it ends cleanly or stays open. */
function streamError(stream: grpc.ClientReadableStream<unknown> | grpc.ClientDuplexStream<unknown, unknown>, timeoutMs = 10_000): Promise<grpc.ServiceError> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.cancel();
      reject(new Error(`the stream was not refused within ${timeoutMs} ms`));
    }, timeoutMs);
    stream.on('data', () => undefined);
    stream.on('error', (e: grpc.ServiceError) => {
      clearTimeout(timer);
      resolve(e);
    });
    stream.on('end', () => {
      clearTimeout(timer);
      reject(new Error('the stream ended without an error'));
    });
  });
}

function registration(name: string): AgentMessage {
  return { register: { name, cpu_millis: 4000, memory_bytes: 4 * GiB, max_pods: 20, os: 'linux', arch: 'amd64', runtime: 'fake', runtime_version: 'fake', address: '127.0.0.1', agent_version: 'test' } };
}

function secret(name: string, values: Record<string, string>, namespace = 'default'): Secret {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque', data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, b64(v)])) };
}

function configMap(name: string, namespace = 'default', data: Record<string, string> = { k: 'v' }): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

function namespace(name: string): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/** A pod bound to `node` (no scheduling), reading `secretName` into its environment. */
function podOn(name: string, node: string, secretName?: string): Pod {
  const env = secretName ? [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: secretName, key: 'password' } } }] : undefined;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: node, containers: [{ name: 'main', image: 'busybox:1', ...(env ? { env } : {}) }] } } as Pod;
}

/** The certificate a TLS handshake with the controller shows, verified against the cluster CA. */
function servingCertificate(port: number, ca: string): Promise<{ serial: string; notAfter: Date }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: CONTROLLER_SERVER_NAME, ca, ALPNProtocols: ['h2'] });
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      const c = socket.getPeerCertificate();
      socket.destroy();
      resolve({ serial: c.serialNumber, notAfter: new Date(c.valid_to) });
    });
  });
}

/**
 * Writes bytes on a fresh connection and reads until the server hangs up: resolves true when it
 * closed the connection within 5 s (what a server that recognises garbage does), false otherwise.
 */
function serverHangsUp(socket: net.Socket, bytes: Buffer[]): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (closedByServer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(closedByServer);
    };
    const timer = setTimeout(() => finish(false), 5000);
    socket.on('data', () => undefined); // read what it answers (a GOAWAY), or 'end' never comes
    socket.on('end', () => finish(true));
    socket.on('error', () => finish(true));
    socket.once(socket instanceof tls.TLSSocket ? 'secureConnect' : 'connect', () => {
      for (const b of bytes) socket.write(b);
    });
  });
}

/** Runs `kite-controller ARGS` to completion. */
function runController(args: string[], timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...programCommand('controller/main.ts'), ...args], { cwd: ROOT, env: { ...process.env, KITE_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('Security (integration: etcd + controllers + agents)', function () {
  this.timeout(90_000);
  let etcd: EtcdHandle | undefined;
  let ctl: ControllerHandle | undefined;
  let renewCtl: ControllerHandle | undefined;
  let raw: Etcd3;
  let admin: KiteClient;
  /** The cluster CA certificate (PEM), as the admin's credential carries it. */
  let caCert: string;
  /** The admin's own key and certificate. */
  let adminIdentity: KeyAndCert;
  /** The cluster CA with its key, read from etcd with the cluster's keys file (as a controller does). */
  let clusterCa: ClusterCa;
  /** A CA that is not the cluster's. */
  let otherCa: CertificateAuthority;
  let nodeB: HollowNode | undefined;
  let renewNode: HollowNode | undefined;
  let processAgent: AgentHandle | undefined;
  let controllerExited = false;
  const agents: Agent[] = [];
  const clients: { close(): void }[] = [];
  /** Every join token secret handed out in this suite: none may be logged. */
  const tokens: string[] = [];

  const dispatcher = (security: TransportSecurity): DispatcherClient => {
    const c = dial(ctl!.target, loadProto().kite.v1.Dispatcher, { security, ownConnection: true });
    clients.push(c);
    return c;
  };
  const kiteClient = (security: TransportSecurity, target = ctl!.target): KiteClient => {
    const c = new KiteClient(target, security, 5000);
    clients.push(c);
    return c;
  };

  /** Joins as node `name` with a token the way an agent does (CSR + Join); returns its credential. */
  async function joinAs(name: string, token: string): Promise<KeyAndCert> {
    const { key, csr } = await createCertificateRequest({ kind: 'node', name });
    const res = await call<CertificateResponse__Output>((cb) => dispatcher(tlsAs(caCert)).Join({ token, node_name: name, csr }, { deadline: Date.now() + 10_000 }, cb));
    return { key, cert: res.certificate };
  }

  /** A user with a credential from the API (the key never leaves this process). */
  async function createUser(name: string, role: string, ns = ''): Promise<{ client: KiteClient; identity: KeyAndCert }> {
    const { key, csr } = await createCertificateRequest({ kind: 'user', name });
    const res = await admin.createUser(name, role, ns, csr);
    const identity = { key, cert: res.certificate };
    return { client: kiteClient(tlsAs(res.ca, identity)), identity };
  }

  /** An in-process agent on the fake runtime that joins with these credentials. */
  function newAgent(name: string, token: string, caHash: string, controller = ctl!.target): Agent {
    const agent = new Agent({
      controller,
      name,
      runtime: 'fake',
      executor: new FakeExecutor(name),
      cpuMillis: 4000,
      memoryBytes: 4 * GiB,
      maxPods: 20,
      log: silentLogger,
      defaultMetrics: false,
      token,
      caHash,
    });
    agents.push(agent);
    return agent;
  }

  async function issuedBy(ca: CertificateAuthority | ClusterCa, identity: Identity, validityMs: number): Promise<KeyAndCert> {
    return ca instanceof ClusterCa ? ca.issue(identity, validityMs) : issueKeyAndCertificate(ca, identity, validityMs);
  }

  before(async function () {
    requireCommand(this, 'etcd', 'etcd');
    etcd = await startEtcd();
    // The renewal test's controller starts now, so its 20 s certificates age while the others run.
    [ctl, renewCtl] = await Promise.all([
      startController({ etcd: etcd.endpoint, prefix: PREFIX, extraArgs: ['--max-watches-per-client', String(MAX_WATCHES)] }),
      startController({ etcd: etcd.endpoint, prefix: RENEW_PREFIX, extraArgs: ['--cert-validity', '20s'] }),
    ]);
    void ctl.exited.then(() => (controllerExited = true));
    admin = ctl.client;
    const config = readClientConfig(ctl.adminConfig);
    caCert = config.ca!;
    adminIdentity = { cert: config.cert!, key: config.key! };
    raw = new Etcd3({ hosts: [etcd.endpoint] });
    clusterCa = await ClusterCa.loadOrCreate(raw, new KeyLayout(PREFIX), KeyRing.loadOrCreate(path.join(clusterDir(etcd.endpoint, PREFIX), 'encryption-keys.json')), silentLogger);
    assert.equal(clusterCa.certificate, caCert, 'the test reads the same cluster CA the controller serves');
    otherCa = await createCertificateAuthority();
    tokens.push(joinCredentials(ctl.target).token, joinCredentials(renewCtl.target).token);
    [nodeB, renewNode] = await Promise.all([startHollowNode(ctl.target, admin, 'node-b'), startHollowNode(renewCtl.target, renewCtl.client, 'renew-node')]);
  });

  after(async () => {
    for (const c of clients) c.close();
    await Promise.all(agents.map((a) => a.stop().catch(() => undefined)));
    await nodeB?.agent.stop();
    await renewNode?.agent.stop();
    await processAgent?.stop();
    await ctl?.stop();
    await renewCtl?.stop();
    raw?.close();
    await etcd?.stop();
  });

  describe('mTLS on the controller port', () => {
    it('refuses a plaintext gRPC client', async () => {
      const plain = kiteClient(PLAINTEXT);
      await rejects(plain.version(), 'Unavailable');
      await rejects(plain.list('Pod'), 'Unavailable');
      // The Dispatcher on the same port, where joining needs no certificate, is no different.
      const err = await callError((cb) => dispatcher(PLAINTEXT).Join({ token: 'abcdef.0123456789abcdef', node_name: 'x', csr: '' }, { deadline: Date.now() + 5000 }, cb));
      assert.ok([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED].includes(err.code), `${err.code}: ${err.details}`);
    });

    it('answers Unauthenticated to every API call with a certificate from another CA', async () => {
      // The admin's name, signed by another CA; the client trusts the right CA, so TLS completes.
      const forged = kiteClient(tlsAs(caCert, await issuedBy(otherCa, { kind: 'user', name: 'admin' }, 3600_000)));
      const noCert = /no valid client certificate/;
      await rejects(forged.version(), 'Unauthenticated', noCert);
      await rejects(forged.whoAmI(), 'Unauthenticated', noCert);
      await rejects(forged.list('Pod'), 'Unauthenticated', noCert);
      await rejects(forged.get('Namespace', 'default'), 'Unauthenticated', noCert);
      await rejects(forged.apply([configMap('forged-by-other-ca')]), 'Unauthenticated', noCert);
      await rejects(forged.delete('Namespace', 'default'), 'Unauthenticated', noCert);
      await rejects(forged.createToken(0, 'forged'), 'Unauthenticated', noCert);
      await rejects(forged.listUsers(), 'Unauthenticated', noCert);
      const abort = new AbortController();
      await rejects((async () => {
        for await (const ev of forged.watch('Pod', {}, abort.signal)) return ev;
      })(), 'Unauthenticated', noCert);
      // A node certificate from another CA cannot open an agent session either.
      const forgedNode = await issuedBy(otherCa, { kind: 'node', name: 'node-b' }, 3600_000);
      const err = await streamError(dispatcher(tlsAs(caCert, forgedNode)).Session());
      assert.equal(err.code, grpc.status.UNAUTHENTICATED, err.details);
      // Nothing was written; the admin still works.
      await rejects(admin.get('ConfigMap', 'forged-by-other-ca', 'default'), 'NotFound');
      assert.equal((await admin.get<Namespace>('Namespace', 'default')).metadata.deletionTimestamp, undefined);
    });

    it('refuses an expired certificate signed by the cluster CA the same way', async () => {
      // The admin's own identity from the right CA: expiry is the only thing wrong with it.
      const expired = await issuedBy(clusterCa, { kind: 'user', name: 'admin' }, 1);
      await sleep(1100); // certificate times have one-second resolution
      const client = kiteClient(tlsAs(caCert, expired));
      await rejects(client.version(), 'Unauthenticated', /no valid client certificate/);
      await rejects(client.list('Pod'), 'Unauthenticated', /no valid client certificate/);
      await rejects(client.createToken(0, 'expired'), 'Unauthenticated');
      // The same identity with a live certificate gets through: the expiry was the reason.
      const fresh = kiteClient(tlsAs(caCert, await issuedBy(clusterCa, { kind: 'user', name: 'admin' }, 3600_000)));
      assert.equal((await fresh.whoAmI()).name, 'admin');
    });

    it('a client that trusts another CA refuses the controller', async () => {
      const client = kiteClient(tlsAs(otherCa.cert, adminIdentity));
      await rejects(client.version(), 'Unavailable', /certificate/i);
    });
  });

  describe('joining', () => {
    const joinFails = async (token: string, message: RegExp, caHash = caPin(caCert)) => {
      const name = `joiner-${randomBytes(3).toString('hex')}`;
      const agent = newAgent(name, token, caHash);
      await rejects(agent.start(), 'Unauthenticated', message);
      await rejects(admin.get('Node', name), 'NotFound');
      return name;
    };

    it('refuses a bogus, a malformed, a deleted and an expired token', async () => {
      await joinFails('abcdef.0123456789abcdef', /join token is not valid/);
      await joinFails('not-a-token', /join token is malformed/);
      const deleted = await admin.createToken(0, 'to delete');
      tokens.push(deleted.token);
      await admin.deleteToken(deleted.info!.id);
      await joinFails(deleted.token, /join token is not valid \(unknown, deleted/);
      const shortLived = await admin.createToken(1, 'expires in 1 s');
      tokens.push(shortLived.token);
      await sleep(1200);
      await joinFails(shortLived.token, new RegExp(`join token ${shortLived.info!.id} expired`));
    });

    it('refuses a --ca-hash that is not the controller CA before sending the token', async () => {
      const res = await admin.createToken(0, 'valid, but offered to the wrong CA pin');
      tokens.push(res.token);
      const name = await joinFails(res.token, /presented no CA matching --ca-hash/, caPin(otherCa.cert));
      // The token was never presented: the controller issued nothing for that name, and it still works.
      assert.doesNotMatch(fs.readFileSync(ctl!.logFile, 'utf8'), new RegExp(`"node":"${name}"`));
      const later = newAgent(name, res.token, res.ca_hash);
      await later.start();
      await eventually(async () => isNodeReady(await admin.get<Node>('Node', name)), 15_000, `node ${name} Ready`);
    });

    it('a valid token joins', async () => {
      const res = await admin.createToken(3600, 'valid');
      tokens.push(res.token);
      assert.equal(res.ca_hash, caPin(caCert));
      const agent = newAgent('joiner-ok', res.token, res.ca_hash);
      await agent.start();
      await eventually(async () => isNodeReady(await admin.get<Node>('Node', 'joiner-ok')), 15_000, 'node joiner-ok Ready');
      // Tokens are listed without their secret.
      const listed = await admin.listTokens();
      assert.ok(listed.some((t) => t.id === res.info!.id && t.description === 'valid'));
      assert.ok(!JSON.stringify(listed).includes(res.token.split('.')[1]!));
    });
  });

  describe('node identity', () => {
    let aIdentity: KeyAndCert;
    let aMessages: ControllerMessage__Output[];
    let aSession: grpc.ClientDuplexStream<AgentMessage, ControllerMessage__Output>;
    let heartbeat: ReturnType<typeof setInterval> | undefined;

    before(async () => {
      aIdentity = await joinAs('node-a', joinCredentials(ctl!.target).token);
      aMessages = [];
      aSession = dispatcher(tlsAs(caCert, aIdentity)).Session();
      aSession.on('data', (m: ControllerMessage__Output) => aMessages.push(m));
      aSession.on('error', () => undefined);
      aSession.write(registration('node-a'));
      heartbeat = setInterval(() => aSession.write({ heartbeat: { cpu_usage_millis: 0, memory_usage_bytes: 0, pods: [] } }), 1000);
      await eventually(() => aMessages.some((m) => m.msg === 'welcome'), 10_000, 'node-a welcomed');
    });
    after(() => {
      if (heartbeat) clearInterval(heartbeat);
      aSession?.end();
    });

    const upserts = () => aMessages.flatMap((m) => (m.msg === 'assignments' ? (m.assignments?.upserts ?? []) : []));

    it("a node certificate for A cannot register as B", async () => {
      const session = dispatcher(tlsAs(caCert, aIdentity)).Session();
      session.write(registration('node-b'));
      const err = await streamError(session);
      assert.equal(err.code, grpc.status.PERMISSION_DENIED, err.details);
      assert.match(err.details, /node "node-a" cannot register as "node-b"/);
      // B is still B's: Ready, served by its own agent.
      assert.ok(nodeB!.agent.session.connected);
      assert.ok(isNodeReady(await admin.get<Node>('Node', 'node-b')));
    });

    it("A's session never receives B's pods or B's Secrets", async () => {
      await admin.apply([secret('a-secret', { password: 'a-password-1111' }), secret('b-secret', { password: 'b-password-2222' })]);
      await admin.apply([podOn('b-pod', 'node-b', 'b-secret'), podOn('a-pod', 'node-a', 'a-secret')]);
      await eventually(async () => (await admin.get<Pod>('Pod', 'b-pod', 'default')).status?.phase === 'Running', 15_000, 'b-pod Running on node-b');
      // A's stream delivers (its own pod arrived with its own Secret)...
      await eventually(() => upserts().some((u) => u.pod_json.includes('"a-pod"')), 10_000, 'a-pod assigned to node-a');
      const aPod = upserts().find((u) => u.pod_json.includes('"a-pod"'))!;
      assert.ok(aPod.secrets_json.some((s) => s.includes('"a-secret"')));
      // ...and never carried B's pod or Secret.
      const everything = JSON.stringify(aMessages);
      assert.ok(!everything.includes('b-pod'), "node-a received b-pod");
      assert.ok(!everything.includes('b-secret'), "node-a received b-secret");
      assert.ok(!everything.includes(b64('b-password-2222')) && !everything.includes('b-password-2222'), "node-a received b-secret's value");
    });

    it('A reporting status for a pod bound to B changes nothing in the store', async () => {
      const before = await admin.get<Pod>('Pod', 'b-pod', 'default');
      assert.equal(before.status?.phase, 'Running');
      aSession.write({
        status: { pods: [{ uid: before.metadata.uid!, namespace: 'default', name: 'b-pod', phase: 'Failed', reason: 'Forged', message: 'forged by node-a', observed_at: new Date().toISOString(), containers: [], terminated: true }] },
      });
      aSession.write({ events: { events: [{ pod_uid: before.metadata.uid!, type: 'Warning', reason: 'Forged', message: 'forged event by node-a' }] } });
      const ignored = () => fs.readFileSync(ctl!.logFile, 'utf8').split('\n').some((l) => l.includes('ignoring pod status report') && l.includes('"pod":"default/b-pod"'));
      await eventually(ignored, 10_000, 'the controller to ignore the forged report');
      await sleep(300);
      const after = await admin.get<Pod>('Pod', 'b-pod', 'default');
      assert.equal(after.status?.phase, 'Running');
      assert.equal(after.metadata.deletionTimestamp, undefined);
      assert.ok(!JSON.stringify(after).includes('orged'), 'the forged report reached the pod');
      const events = await admin.list<KObject & { reason?: string }>('Event', { namespace: 'default' });
      assert.ok(!events.items.some((e) => e.reason === 'Forged'), 'the forged event was recorded');
    });

    it("deleting a node revokes its certificate; a re-join replaces the old certificate", async () => {
      const token = joinCredentials(ctl!.target).token;
      const first = await joinAs('node-r', token);
      /** 'welcomed', or the error the controller ended the session with. */
      const register = (identity: KeyAndCert) =>
        new Promise<'welcomed' | grpc.ServiceError>((resolve) => {
          const session = dispatcher(tlsAs(caCert, identity)).Session();
          const done = (outcome: 'welcomed' | grpc.ServiceError) => {
            resolve(outcome);
            session.end();
            session.cancel();
          };
          session.on('data', (m: ControllerMessage__Output) => m.msg === 'welcome' && done('welcomed'));
          session.on('error', (e: grpc.ServiceError) => done(e));
          session.write(registration('node-r'));
        });
      // Joining again (a replaced host, or a stolen token) makes the first certificate useless, though it has not expired.
      const second = await joinAs('node-r', token);
      const refused = await register(first);
      assert.notEqual(refused, 'welcomed');
      assert.equal((refused as grpc.ServiceError).code, grpc.status.PERMISSION_DENIED);
      assert.match((refused as grpc.ServiceError).details, /certificate of node "node-r" is no longer valid/);
      const { csr } = await createCertificateRequest({ kind: 'node', name: 'node-r' });
      const renewErr = await callError((cb) => dispatcher(tlsAs(caCert, first)).RenewCertificate({ csr }, { deadline: Date.now() + 10_000 }, cb));
      assert.equal(renewErr.code, grpc.status.PERMISSION_DENIED);
      assert.equal(await register(second), 'welcomed');
      // Deleting the node revokes the current certificate too.
      await eventually(async () => (await admin.list<Node>('Node')).items.some((n) => n.metadata.name === 'node-r'), 10_000, 'node-r registered');
      await admin.delete('Node', 'node-r');
      const afterDelete = await register(second);
      assert.equal((afterDelete as grpc.ServiceError).code, grpc.status.PERMISSION_DENIED);
    });

    it('a node registered before certificate records existed (an upgraded cluster) keeps its certificate; a deleted one does not', async () => {
      const token = joinCredentials(ctl!.target).token;
      const old = await joinAs('node-u', token);
      const session = dispatcher(tlsAs(caCert, old)).Session();
      const welcomed = new Promise<void>((resolve, reject) => {
        session.on('data', (m: ControllerMessage__Output) => m.msg === 'welcome' && resolve());
        session.on('error', reject);
      });
      session.write(registration('node-u'));
      await welcomed;
      session.end();
      session.cancel();
      // As a cluster made before records: the Node exists, its certificate has no record.
      const recordKey = new KeyLayout(PREFIX).nodeCertificate('node-u');
      await raw.delete().key(recordKey);
      const again = dispatcher(tlsAs(caCert, old)).Session();
      const outcome = await new Promise<string>((resolve) => {
        again.on('data', (m: ControllerMessage__Output) => m.msg === 'welcome' && resolve('welcomed'));
        again.on('error', (e: grpc.ServiceError) => resolve(e.details));
        again.write(registration('node-u'));
      });
      again.end();
      again.cancel();
      assert.equal(outcome, 'welcomed');
      assert.ok(await raw.get(recordKey).string(), 'the certificate was recorded as the current one');
      await admin.delete('Node', 'node-u');
      assert.equal(await raw.get(recordKey).string(), 'revoked');
    });

    it('a node certificate cannot call the user API', async () => {
      const asNode = kiteClient(tlsAs(caCert, aIdentity));
      await rejects(asNode.list('Pod'), 'Forbidden', /node "node-a" cannot list pods/);
      await rejects(asNode.get('Secret', 'b-secret', 'default'), 'Forbidden', /node "node-a"/);
      await rejects(asNode.apply([configMap('by-node-a')]), 'Forbidden', /node "node-a"/);
      await rejects(asNode.createToken(0, 'by node'), 'Forbidden', /node "node-a"/);
      await rejects(admin.get('ConfigMap', 'by-node-a', 'default'), 'NotFound');
    });

    it('a user certificate cannot open an agent session', async () => {
      const session = dispatcher(tlsAs(caCert, adminIdentity)).Session();
      session.write(registration('admin'));
      const err = await streamError(session);
      assert.equal(err.code, grpc.status.PERMISSION_DENIED, err.details);
      assert.match(err.details, /user "admin" cannot open an agent session/);
      await rejects(admin.get('Node', 'admin'), 'NotFound');
    });

    it('Join for the name of a Ready node is refused', async () => {
      const { csr } = await createCertificateRequest({ kind: 'node', name: 'node-b' });
      const err = await callError((cb) => dispatcher(tlsAs(caCert)).Join({ token: joinCredentials(ctl!.target).token, node_name: 'node-b', csr }, { deadline: Date.now() + 10_000 }, cb));
      assert.equal(err.code, grpc.status.PERMISSION_DENIED, err.details);
      assert.match(err.details, /node "node-b" is registered and Ready/);
      // A request naming another node than the one asked for is refused too.
      const other = await createCertificateRequest({ kind: 'node', name: 'node-c' });
      const err2 = await callError((cb) => dispatcher(tlsAs(caCert)).Join({ token: joinCredentials(ctl!.target).token, node_name: 'node-d', csr: other.csr }, { deadline: Date.now() + 10_000 }, cb));
      assert.equal(err2.code, grpc.status.PERMISSION_DENIED, err2.details);
    });

    it("the agent's logs/exec endpoint lets only the controller through", async () => {
      processAgent = await startAgent({ controller: ctl!.target, name: 'streams-node', runtime: 'fake' });
      await eventually(async () => isNodeReady(await admin.get<Node>('Node', 'streams-node')), 20_000, 'streams-node Ready');
      await admin.apply([podOn('logged', 'streams-node')]);
      const pod = await eventually(async () => {
        const p = await admin.get<Pod>('Pod', 'logged', 'default');
        return p.status?.phase === 'Running' ? p : undefined;
      }, 15_000, 'pod logged Running');
      const target = `127.0.0.1:${processAgent.streamPort}`;
      const streams = (security: TransportSecurity): AgentStreamsClient => {
        const c = dial(target, loadProto().kite.v1.AgentStreams, { security, ownConnection: true });
        clients.push(c);
        return c;
      };
      const logs = (security: TransportSecurity) => streamError(streams(security).Logs({ pod_uid: pod.metadata.uid!, container: 'main', tail_lines: -1 }, { deadline: Date.now() + 5000 }));
      const serverName = nodeServerName('streams-node');

      const plain = await logs(PLAINTEXT);
      assert.ok([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED].includes(plain.code), `plaintext: ${plain.code} ${plain.details}`);
      const noCert = await logs(tlsAs(caCert, undefined, serverName));
      assert.ok([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED].includes(noCert.code), `no certificate: ${noCert.code} ${noCert.details}`);
      const otherCaCert = await logs(tlsAs(caCert, await issuedBy(otherCa, { kind: 'controller' }, 3600_000), serverName));
      assert.ok([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED].includes(otherCaCert.code), `another CA's controller certificate: ${otherCaCert.code} ${otherCaCert.details}`);
      const asUser = await logs(tlsAs(caCert, adminIdentity, serverName));
      assert.equal(asUser.code, grpc.status.PERMISSION_DENIED, asUser.details);
      assert.match(asUser.details, /user "admin" cannot use this agent's logs\/exec endpoint/);
      const asNode = await logs(tlsAs(caCert, aIdentity, serverName));
      assert.equal(asNode.code, grpc.status.PERMISSION_DENIED, asNode.details);
      assert.match(asNode.details, /node "node-a" cannot use this agent's logs\/exec endpoint/);
      const execAsNode = await streamError(
        (() => {
          const s = streams(tlsAs(caCert, aIdentity, serverName)).Exec({ deadline: Date.now() + 5000 });
          s.write({ start: { pod_uid: pod.metadata.uid!, container: 'main', command: ['sh'] } });
          return s;
        })(),
      );
      assert.equal(execAsNode.code, grpc.status.PERMISSION_DENIED, execAsNode.details);
      const forwardAsNode = await streamError(
        (() => {
          const s = streams(tlsAs(caCert, aIdentity, serverName)).PortForward({ deadline: Date.now() + 5000 });
          s.write({ start: { pod_uid: pod.metadata.uid!, port: 80 } });
          return s;
        })(),
      );
      assert.equal(forwardAsNode.code, grpc.status.PERMISSION_DENIED, forwardAsNode.details);

      // The controller's own identity gets through: `kite logs` relays through it.
      const res = await kite(ctl!.target, ['logs', 'logged']);
      assert.equal(res.code, 0, res.stderr);
    });

    it('join tokens never appear in the logs', () => {
      const secrets = tokens.map((t) => t.split('.')[1]!).filter(Boolean);
      assert.ok(secrets.length >= 5);
      const logs: [string, string][] = [
        ['controller', fs.readFileSync(ctl!.logFile, 'utf8')],
        ['renewal controller', fs.readFileSync(renewCtl!.logFile, 'utf8')],
        ...(processAgent ? [['agent process', fs.readFileSync(processAgent.logFile, 'utf8')] as [string, string]] : []),
      ];
      for (const [who, text] of logs) {
        assert.ok(text.length > 0, `${who} logged nothing`);
        for (const s of secrets) assert.ok(!text.includes(s), `a join token's secret appears in the ${who}'s log`);
      }
    });
  });

  describe('users and roles', () => {
    it('a view user cannot apply nor read Secrets, and can list pods', async () => {
      const { client } = await createUser('viewer', 'view');
      await rejects(client.apply([configMap('by-viewer')]), 'Forbidden', /user "viewer" \(role view\) cannot create configmaps in namespace "default"/);
      await rejects(client.get('Secret', 'a-secret', 'default'), 'Forbidden', /user "viewer" \(role view\) cannot get secrets in namespace "default"/);
      await rejects(client.list('Secret', { namespace: 'default' }), 'Forbidden', /cannot list secrets/);
      await rejects(client.list('Secret', { allNamespaces: true }), 'Forbidden', /cannot list secrets in all namespaces/);
      await rejects(client.delete('Pod', 'b-pod', 'default'), 'Forbidden', /cannot delete pods/);
      const pods = await client.list<Pod>('Pod', { namespace: 'default' });
      assert.ok(pods.items.some((p) => p.metadata.name === 'b-pod'));
      await rejects(admin.get('ConfigMap', 'by-viewer', 'default'), 'NotFound');
    });

    it('an edit user of namespace team writes in team but not in default', async () => {
      await admin.apply([namespace('team')]);
      const { client } = await createUser('team-editor', 'edit', 'team');
      const who = await client.whoAmI();
      assert.deepEqual([who.name, who.role, who.namespace], ['team-editor', 'edit', 'team']);
      await client.apply([configMap('team-config', 'team'), secret('team-secret', { password: 'team-pw' }, 'team')]);
      assert.equal((await client.get<Secret>('Secret', 'team-secret', 'team')).data?.password, b64('team-pw'));
      await rejects(client.apply([configMap('team-config', 'default')]), 'Forbidden', /user "team-editor" \(role edit in namespace "team"\) cannot create configmaps in namespace "default"/);
      await rejects(client.list('Pod', { allNamespaces: true }), 'Forbidden');
      await rejects(client.apply([namespace('team-2')]), 'Forbidden', /cannot create namespaces at the cluster scope/);
      await rejects(admin.get('ConfigMap', 'team-config', 'default'), 'NotFound');
      await rejects(admin.get('Namespace', 'team-2'), 'NotFound');
    });

    it("deleting a user makes its certificate stop working at once", async () => {
      const { client } = await createUser('leaver', 'edit');
      assert.equal((await client.whoAmI()).role, 'edit');
      await client.apply([configMap('by-leaver')]);
      await admin.deleteUser('leaver');
      await rejects(client.list('Pod'), 'Unauthenticated', /user "leaver" has no account/);
      await rejects(client.apply([configMap('by-leaver-2')]), 'Unauthenticated');
      await rejects(admin.get('ConfigMap', 'by-leaver-2', 'default'), 'NotFound');
    });

    it('only cluster admins create tokens and users', async () => {
      const { client: editor } = await createUser('editor', 'edit');
      const { client: nsAdmin } = await createUser('team-admin', 'admin', 'team');
      const { csr } = await createCertificateRequest({ kind: 'user', name: 'sneaky' });
      for (const [who, c] of [['editor', editor], ['team-admin', nsAdmin]] as const) {
        await rejects(c.createToken(0, 'by ' + who), 'Forbidden', new RegExp(`user "${who}" .*cannot create tokens`));
        await rejects(c.createUser('sneaky', 'admin', '', csr), 'Forbidden', new RegExp(`user "${who}" .*cannot create users`));
        await rejects(c.listTokens(), 'Forbidden');
      }
      assert.ok(!(await admin.listUsers()).some((u) => u.name === 'sneaky'));
      // An admin cannot have a user certificate issued for someone else's name either.
      await rejects(admin.createUser('sneaky', 'view', '', (await createCertificateRequest({ kind: 'user', name: 'admin' })).csr), 'Forbidden', /names user "admin", not user "sneaky"/);
    });
  });

  describe('Secrets at rest', () => {
    const values = { password: 'hunter2-at-rest-0001', apiKey: 'sk-live-at-rest-0002' };
    const more = { password: 'second-at-rest-0003' };

    async function assertNoPlaintextInEtcd(plain: string[]): Promise<void> {
      const all = await raw.getAll().prefix(PREFIX + '/').exec();
      assert.ok(all.kvs.length > 10);
      for (const kv of all.kvs) {
        const text = kv.key.toString('latin1') + '\n' + kv.value.toString('latin1');
        for (const p of plain) {
          assert.ok(!text.includes(p), `a Secret value in plain text at ${kv.key.toString()}`);
          assert.ok(!text.includes(b64(p)), `a Secret value in base64 at ${kv.key.toString()}`);
        }
      }
    }

    it('etcd holds no Secret value in plain text or base64', async () => {
      await admin.apply([secret('at-rest', values), secret('at-rest-2', more, 'team')]);
      await assertNoPlaintextInEtcd([...Object.values(values), ...Object.values(more), 'b-password-2222', 'team-pw']);
      assert.equal((await admin.get<Secret>('Secret', 'at-rest', 'default')).data?.apiKey, b64(values.apiKey));
    });

    it('kite-controller secrets rotate-key keeps every Secret readable through the running controller', async () => {
      const keys = new KeyLayout(PREFIX);
      const before = await admin.list<Secret>('Secret', { allNamespaces: true });
      assert.ok(before.items.length >= 4);
      const res = await runController([
        'secrets', 'rotate-key',
        '--etcd', etcd!.endpoint,
        '--etcd-prefix', PREFIX,
        '--keys-file', path.join(clusterDir(etcd!.endpoint, PREFIX), 'encryption-keys.json'),
      ]);
      assert.equal(res.code, 0, res.stderr);
      const keyId = /primary key is now (\S+?):/.exec(res.stdout)?.[1];
      assert.ok(keyId, res.stdout);
      // Every Secret in etcd is now sealed under the new key...
      const stored = await raw.getAll().prefix(keys.kindPrefix('Secret')).strings();
      assert.equal(Object.keys(stored).length, before.items.length);
      for (const [k, v] of Object.entries(stored)) assert.equal(sealedKeyId(v), keyId, k);
      // ...and the running controller reads each one as before (it loads the new key on demand).
      for (const s of before.items) {
        const now = await admin.get<Secret>('Secret', s.metadata.name, s.metadata.namespace);
        assert.deepEqual(now.data, s.data, `${s.metadata.namespace}/${s.metadata.name}`);
      }
      const after = await admin.list<Secret>('Secret', { allNamespaces: true });
      assert.deepEqual(after.items.map((s) => s.data), before.items.map((s) => s.data));
      // New writes work and stay sealed.
      await admin.apply([secret('after-rotation', { password: 'after-rotation-0004' })]);
      assert.equal((await admin.get<Secret>('Secret', 'after-rotation', 'default')).data?.password, b64('after-rotation-0004'));
      await assertNoPlaintextInEtcd(['after-rotation-0004', ...Object.values(values)]);
    });
  });

  describe('bad input', () => {
    it('survives garbage bytes, plain and inside TLS, on the controller port', async () => {
      const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
      for (let i = 0; i < 3; i++) {
        assert.ok(await serverHangsUp(net.connect({ host: '127.0.0.1', port: ctl!.grpcPort }), [randomBytes(4096)]), 'garbage instead of a TLS handshake was not hung up on');
      }
      // Over a real TLS connection (no client certificate): garbage instead of HTTP/2, a preface
      // then garbage, and a frame header announcing a huge frame followed by junk.
      const overTls = (bytes: Buffer[]) => serverHangsUp(tls.connect({ host: '127.0.0.1', port: ctl!.grpcPort, servername: CONTROLLER_SERVER_NAME, ca: caCert, ALPNProtocols: ['h2'] }), bytes);
      assert.ok(await overTls([randomBytes(8192)]), 'garbage instead of HTTP/2 was not hung up on');
      assert.ok(await overTls([preface, randomBytes(8192)]), 'garbage HTTP/2 frames were not hung up on');
      assert.ok(await overTls([preface, Buffer.from([0xff, 0xff, 0xff, 0x01, 0x04, 0x00, 0x00, 0x00, 0x01]), randomBytes(1024)]), 'an oversized frame was not hung up on');
      assert.ok(!controllerExited, 'the controller exited');
      assert.ok((await admin.version()).version);
    });

    it('answers an oversized request ResourceExhausted and writes nothing', async () => {
      const big = configMap('too-big', 'default', { blob: 'x'.repeat(17 * 1024 * 1024) });
      await rejects(admin.apply([big]), 'ResourceExhausted');
      await rejects(admin.get('ConfigMap', 'too-big', 'default'), 'NotFound');
      assert.ok((await admin.list('Pod')).items.length >= 1);
    });

    it('answers more watches than --max-watches-per-client ResourceExhausted naming the limit', async () => {
      const { client } = await createUser('watcher', 'view');
      const abort = new AbortController();
      try {
        // Each watch is admitted once its first event (the initial BOOKMARK at the latest) arrives.
        for (let i = 0; i < MAX_WATCHES; i++) {
          const it = client.watch('ConfigMap', { namespace: 'default' }, abort.signal)[Symbol.asyncIterator]();
          assert.ok(!(await it.next()).done);
        }
        const over = client.watch('ConfigMap', { namespace: 'default' }, abort.signal)[Symbol.asyncIterator]();
        await rejects(over.next(), 'ResourceExhausted', new RegExp(`user "watcher" already has ${MAX_WATCHES} watches open \\(at most ${MAX_WATCHES} per client\\)`));
        // The limit is per client: the admin still watches.
        const adminAbort = new AbortController();
        assert.ok(!(await admin.watch('ConfigMap', { namespace: 'default' }, adminAbort.signal)[Symbol.asyncIterator]().next()).done);
        adminAbort.abort();
      } finally {
        abort.abort();
      }
      // Closed watches are given back.
      await eventually(async () => {
        const again = new AbortController();
        try {
          return !(await client.watch('ConfigMap', { namespace: 'default' }, again.signal)[Symbol.asyncIterator]().next()).done;
        } finally {
          again.abort();
        }
      }, 10_000, 'a watch admitted again after the others closed');
    });

    it('is still alive and answering after all of it', async () => {
      assert.ok(!controllerExited, 'the controller exited');
      process.kill(ctl!.pid, 0);
      assert.equal((await admin.whoAmI()).name, 'admin');
      const res = await kite(ctl!.target, ['get', 'nodes']);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, /node-b/);
    });

    it('kite-controller --insecure is refused: there is no insecure mode', async () => {
      const res = await runController(['--insecure', '--etcd', etcd!.endpoint, '--etcd-prefix', '/kite-it-security-insecure'], 30_000);
      assert.notEqual(res.code, 0);
      assert.match(res.stderr, /unknown option '--insecure'/);
      // It wrote nothing.
      const written = await raw.getAll().prefix('/kite-it-security-insecure').keys();
      assert.deepEqual(written, []);
    });
  });

  describe('certificate renewal without restart', () => {
    it('keeps serving past --cert-validity 20s with a fresh certificate, and its agent stays connected', async () => {
      const ca = readClientConfig(renewCtl!.adminConfig).ca!;
      const first = await servingCertificate(renewCtl!.grpcPort, ca);
      assert.ok(first.notAfter.getTime() - Date.now() <= 20_000, `the serving certificate lives ${first.notAfter.toISOString()}`);
      // Past the first certificate's expiry.
      await sleep(Math.max(0, first.notAfter.getTime() - Date.now() + 1500));
      const second = await servingCertificate(renewCtl!.grpcPort, ca);
      assert.notEqual(second.serial, first.serial);
      assert.ok(second.notAfter.getTime() > Date.now(), `the new certificate expires ${second.notAfter.toISOString()}`);
      // The admin's long-lived connection and a brand-new process both get answers.
      assert.ok((await renewCtl!.client.version()).version);
      const res = await kite(renewCtl!.target, ['get', 'nodes']);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, /renew-node\s+Ready/);
      // The agent joined with a 20 s certificate and is still connected and Ready.
      assert.ok(renewNode!.agent.session.connected);
      assert.ok(isNodeReady(await renewCtl!.client.get<Node>('Node', 'renew-node')));
    });
  });
});
