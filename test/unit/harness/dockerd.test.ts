import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SOCKET, dockerdSockets, ensureDocker } from '../../harness/dockerd';

/** A stand-in engine on a unix socket: /_ping fails until `healthy` is set. */
function fakeEngine(socketPath: string, state: { healthy: boolean }): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/_ping') && state.healthy) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('OK');
    } else {
      res.writeHead(500);
      res.end('starting');
    }
  });
  return new Promise((resolve) => server.listen(socketPath, () => resolve(server)));
}

const lockFor = (socketPath: string) => join(tmpdir(), `kite-dockerd-start-${socketPath.replace(/[^a-zA-Z0-9]/g, '_')}.lock`);

describe('test harness: ensureDocker', function () {
  this.timeout(20_000);
  let dir: string;
  let server: Server | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kite-dockerd-unit-'));
  });

  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('knows which sockets a dockerd command line serves', () => {
    assert.deepEqual(dockerdSockets(['dockerd']), [DEFAULT_SOCKET]);
    assert.deepEqual(dockerdSockets(['/usr/sbin/dockerd', '--host', 'unix:///tmp/a.sock', '--data-root', '/x']), ['/tmp/a.sock']);
    assert.deepEqual(dockerdSockets(['dockerd', '--host=unix:///tmp/b.sock', '-H', 'tcp://0.0.0.0:2375']), ['/tmp/b.sock']);
    assert.deepEqual(dockerdSockets(['dockerd', '-H', 'fd://']), [DEFAULT_SOCKET]);
  });

  it('waits for an engine whose socket exists but does not answer yet, instead of starting another', async () => {
    const socketPath = join(dir, 'docker.sock');
    const state = { healthy: false };
    server = await fakeEngine(socketPath, state);
    setTimeout(() => (state.healthy = true), 1000);
    const t0 = Date.now();
    const h = await ensureDocker(socketPath, 10_000);
    assert.equal(h.started, false);
    assert.ok(Date.now() - t0 >= 900, 'it waited for the engine');
  });

  it('waits for another harness that holds the start lock, and reuses what it brings up', async () => {
    const socketPath = join(dir, 'docker.sock');
    const lock = lockFor(socketPath);
    writeFileSync(lock, String(process.pid)); // a live holder (this very process)
    try {
      const state = { healthy: true };
      setTimeout(() => void fakeEngine(socketPath, state).then((s) => (server = s)), 800);
      const h = await ensureDocker(socketPath, 10_000);
      assert.equal(h.started, false);
    } finally {
      rmSync(lock, { force: true });
    }
  });
});
