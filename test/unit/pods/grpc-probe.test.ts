// The gRPC probe against a real in-process grpc-js server running the standard health service.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation, service as healthService } from 'grpc-health-check';
import { goDuration, grpcHealthCheck } from '../../../node-agent/pods/grpc-probe';
import { probeCheck } from '../../../node-agent/pods/probes';

async function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, port) => (e ? reject(e) : resolve(port))),
  );
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('gRPC probes (grpc.health.v1.Health/Check)', () => {
  let server: Server;
  let port: number;
  const health = new HealthImplementation({ '': 'SERVING', 'kite.Ready': 'SERVING', 'kite.Draining': 'NOT_SERVING' });

  before(async () => {
    server = new Server();
    health.addToServer(server);
    port = await listen(server);
  });
  after(() => server.forceShutdown());

  it('succeeds when the server (service "") is SERVING', async () => {
    assert.deepEqual(await grpcHealthCheck({ host: '127.0.0.1', port }, 1000), { ok: true, message: 'service is serving' });
  });

  it('asks for the named service', async () => {
    assert.equal((await grpcHealthCheck({ host: '127.0.0.1', port, service: 'kite.Ready' }, 1000)).ok, true);
    assert.deepEqual(await grpcHealthCheck({ host: '127.0.0.1', port, service: 'kite.Draining' }, 1000), {
      ok: false,
      message: 'service unhealthy (responded with "NOT_SERVING")',
    });
  });

  it('follows the server: a service turned NOT_SERVING fails the next check', async () => {
    health.setStatus('kite.Flip', 'SERVING');
    assert.equal((await grpcHealthCheck({ host: '127.0.0.1', port, service: 'kite.Flip' }, 1000)).ok, true);
    health.setStatus('kite.Flip', 'NOT_SERVING');
    assert.equal((await grpcHealthCheck({ host: '127.0.0.1', port, service: 'kite.Flip' }, 1000)).ok, false);
  });

  it('fails on a service the server does not know (NOT_FOUND), quoting the server', async () => {
    const r = await grpcHealthCheck({ host: '127.0.0.1', port, service: 'no.Such' }, 1000);
    assert.equal(r.ok, false);
    assert.match(r.message, /^error: health rpc probe failed: rpc error: code = NotFound desc = /);
  });

  it('fails with the kubelet\'s timeout message when nothing listens', async () => {
    const refused = await closedPort();
    const t0 = Date.now();
    const r = await grpcHealthCheck({ host: '127.0.0.1', port: refused }, 1000);
    assert.deepEqual(r, { ok: false, message: `timeout: failed to connect service "127.0.0.1:${refused}" within 1s` });
    assert.ok(Date.now() - t0 < 3000, 'gave up near the timeout');
  });

  it('fails when the call outlives the timeout', async () => {
    const slow = new Server();
    // A health service that never answers.
    slow.addService(healthService, { Check: () => undefined, Watch: () => undefined, List: () => undefined });
    const slowPort = await listen(slow);
    try {
      const r = await grpcHealthCheck({ host: '127.0.0.1', port: slowPort }, 500);
      assert.deepEqual(r, { ok: false, message: 'timeout: health rpc did not complete within 500ms' });
    } finally {
      slow.forceShutdown();
    }
  });

  it('fails, naming the protocol, on a server without the health service', async () => {
    const bare = new Server();
    const barePort = await listen(bare);
    try {
      const r = await grpcHealthCheck({ host: '127.0.0.1', port: barePort }, 1000);
      assert.equal(r.ok, false);
      assert.match(r.message, /^this server does not implement the grpc health protocol \(grpc\.health\.v1\.Health\)/);
    } finally {
      bare.forceShutdown();
    }
  });

  it('closes its connection after each probe (the agent runs thousands)', async () => {
    const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
    const before = sockets();
    for (let i = 0; i < 20; i++) await grpcHealthCheck({ host: '127.0.0.1', port }, 1000);
    // Both ends of a closed connection are gone once the server has seen the close.
    for (let i = 0; i < 50 && sockets() > before; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(sockets(), before);
  });

  it('is what probeCheck runs for a grpc probe, on the pod IP', async () => {
    const check = probeCheck({ grpc: { port, service: 'kite.Draining' } }, { name: 'c', image: 'x' }, { ip: () => '127.0.0.1', exec: async () => 0 });
    assert.deepEqual(await check(1000), { ok: false, message: 'service unhealthy (responded with "NOT_SERVING")' });
  });

  it('prints durations as Go does', () => {
    assert.deepEqual([goDuration(1000), goDuration(1500), goDuration(500)], ['1s', '1.5s', '500ms']);
  });
});
