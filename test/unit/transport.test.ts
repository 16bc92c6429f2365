// The transport as every process uses it: TLS with certificates from a cluster CA, verified both
// ways, over real gRPC on loopback.
import { strict as assert } from 'node:assert';
import * as tls from 'node:tls';
import { KiteClient } from '../../common/client';
import { grpc, loadProto } from '../../common/grpc';
import { bindServer, channelOptions, createServer, PLAINTEXT, type TransportSecurity } from '../../common/transport';
import { createCertificateAuthority, issueKeyAndCertificate, certificateFacts, type CertificateAuthority } from '../../common/pki/certs';
import { CertificateSource } from '../../common/pki/certificate-source';
import { CONTROLLER_SERVER_NAME, identityOfPeer, type Identity } from '../../common/pki/identity';
import { isKiteError } from '../../common/errors';
import type { ConfigMap } from '../../common/api/types';
import type { KiteHandlers } from '../../common/generated/kite/v1/Kite';

const HOUR = 3600_000;

async function credential(ca: CertificateAuthority, identity: Identity): Promise<CertificateSource> {
  const kc = await issueKeyAndCertificate(ca, identity, HOUR);
  return new CertificateSource(ca.cert, { key: kc.key, cert: kc.cert + ca.cert });
}

function tlsTo(certs: CertificateSource, serverName = CONTROLLER_SERVER_NAME): TransportSecurity {
  return { mode: 'tls', certs, serverName };
}

describe('transport', function () {
  this.timeout(20_000);
  let ca: CertificateAuthority;
  let otherCa: CertificateAuthority;
  let server: grpc.Server;
  let serverCerts: CertificateSource;
  let target: string;
  /** Who the last Get came from, as the server saw it. */
  let lastCaller: Identity | undefined;
  const clients: KiteClient[] = [];
  const big = 'x'.repeat(5 * 1024 * 1024);

  const client = (security: TransportSecurity) => {
    const c = new KiteClient(target, security, 5_000);
    clients.push(c);
    return c;
  };

  before(async () => {
    ca = await createCertificateAuthority();
    otherCa = await createCertificateAuthority();
    server = createServer();
    const handlers: Partial<KiteHandlers> = {
      Get: (call, cb) => {
        lastCaller = identityOfPeer(call.getAuthContext()?.sslPeerCertificate);
        cb(null, { object_json: JSON.stringify({ kind: 'ConfigMap', metadata: { name: call.request.name }, data: { big } }) });
      },
      Update: (call, cb) => cb(null, { object_json: call.request.object_json }),
    };
    server.addService(loadProto().kite.v1.Kite.service, handlers as KiteHandlers);
    serverCerts = await credential(ca, { kind: 'controller' });
    const port = await bindServer(server, '127.0.0.1:0', { mode: 'tls', certs: serverCerts, clientCertificates: 'request' });
    target = `127.0.0.1:${port}`;
  });

  after(() => {
    for (const c of clients) c.close();
    server.forceShutdown();
  });

  it('carries messages beyond gRPC default 4 MiB limit both ways, and names the caller from its certificate', async () => {
    const c = client(tlsTo(await credential(ca, { kind: 'user', name: 'alice' })));
    const got = await c.get<ConfigMap>('ConfigMap', 'cm');
    assert.equal(got.data?.big?.length, big.length);
    assert.deepEqual(lastCaller, { kind: 'user', name: 'alice' });
    const echoed = await c.update<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { big } });
    assert.equal(echoed.data?.big?.length, big.length);
  });

  it('refuses a request larger than the server accepts, and keeps serving', async () => {
    const c = client(tlsTo(await credential(ca, { kind: 'user', name: 'alice' })));
    const huge = 'x'.repeat(17 * 1024 * 1024);
    await assert.rejects(c.update<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { huge } }), (e: unknown) => isKiteError(e, 'ResourceExhausted'));
    assert.equal((await c.get<ConfigMap>('ConfigMap', 'after')).metadata.name, 'after');
  });

  it('refuses a plaintext client', async () => {
    await assert.rejects(client(PLAINTEXT).get('ConfigMap', 'cm'), (e: unknown) => isKiteError(e, 'Unavailable'));
  });

  it('does not trust a server whose certificate another CA signed', async () => {
    const stranger = await credential(otherCa, { kind: 'user', name: 'alice' });
    await assert.rejects(client(tlsTo(stranger)).get('ConfigMap', 'cm'), (e: unknown) => isKiteError(e, 'Unavailable'));
  });

  it('gives no identity to a client certificate from another CA', async () => {
    const foreign = await issueKeyAndCertificate(otherCa, { kind: 'user', name: 'admin' }, HOUR);
    // Trusts the right CA, presents a certificate the cluster never issued.
    const c = client(tlsTo(new CertificateSource(ca.cert, foreign)));
    lastCaller = { kind: 'controller' };
    await c.get('ConfigMap', 'cm');
    assert.equal(lastCaller, undefined);
  });

  it('refuses a server whose certificate names something else (a node cannot pass for the controller)', async () => {
    const c = client(tlsTo(await credential(ca, { kind: 'user', name: 'alice' }), 'n1.node.kite'));
    await assert.rejects(c.get('ConfigMap', 'cm'), (e: unknown) => isKiteError(e, 'Unavailable'));
  });

  it('serves a renewed certificate on new connections without a restart', async () => {
    const before = certificateFacts(serverCerts.identity!.cert).serial;
    const renewed = await issueKeyAndCertificate(ca, { kind: 'controller' }, HOUR);
    serverCerts.setIdentity({ key: renewed.key, cert: renewed.cert + ca.cert });
    await new Promise((r) => setTimeout(r, 50));
    // A connection of its own, so the handshake is new.
    const c = new KiteClient(target, tlsTo(await credential(ca, { kind: 'user', name: 'bob' })), 5_000);
    clients.push(c);
    const served = await new Promise<string>((resolve, reject) => {
      const [host, port] = target.split(':');
      const s = tls.connect({ host, port: Number(port), servername: CONTROLLER_SERVER_NAME, ca: ca.cert, ALPNProtocols: ['h2'] }, () => {
        resolve(s.getPeerCertificate().serialNumber);
        s.destroy();
      });
      s.once('error', reject);
    });
    assert.notEqual(served, before);
    assert.equal(served, certificateFacts(renewed.cert).serial);
    await c.get('ConfigMap', 'still-works');
  });

  it('gives a connection of its own only when asked (hollow nodes)', () => {
    assert.equal(channelOptions({ security: PLAINTEXT })['grpc.use_local_subchannel_pool'], undefined);
    assert.equal(channelOptions({ security: PLAINTEXT, ownConnection: true })['grpc.use_local_subchannel_pool'], 1);
  });
});
