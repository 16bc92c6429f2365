import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Container } from '../../../common/api/types';
import { FakeClock, systemClock } from '../../../common/clock';
import { runHook } from '../../../node-agent/pods/lifecycle-hooks';
import type { ProbeTarget } from '../../../node-agent/pods/probes';

const container: Container = { name: 'app', image: 'x', ports: [{ name: 'http', containerPort: 1 }] };

describe('lifecycle hooks', () => {
  let server: Server;
  let port = 0;
  const paths: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.statusCode = req.url === '/fail' ? 500 : 200;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  const target = (exitCode = 0, calls: string[][] = []): ProbeTarget => ({
    ip: () => '127.0.0.1',
    exec: async (cmd) => {
      calls.push(cmd);
      return exitCode;
    },
  });

  it('runs exec in the container and judges its exit code', async () => {
    const calls: string[][] = [];
    assert.deepEqual(await runHook({ exec: { command: ['nginx', '-s', 'quit'] } }, container, target(0, calls), systemClock, 1000), { ok: true, message: '' });
    assert.deepEqual(calls, [['nginx', '-s', 'quit']]);
    const failed = await runHook({ exec: { command: ['false'] } }, container, target(1), systemClock, 1000);
    assert.equal(failed.ok, false);
    assert.match(failed.message, /exited with 1/);
  });

  it('sends an HTTP GET to the pod (a named port resolves through the container)', async () => {
    const c: Container = { ...container, ports: [{ name: 'http', containerPort: port }] };
    assert.equal((await runHook({ httpGet: { path: '/drain', port: 'http' } }, c, target(), systemClock, 1000)).ok, true);
    assert.ok(paths.includes('/drain'));
    const r = await runHook({ httpGet: { path: '/fail', port } }, c, target(), systemClock, 1000);
    assert.equal(r.ok, false);
    assert.match(r.message, /statuscode: 500/);
  });

  it('sleeps on the clock, never past the deadline', async () => {
    const clock = new FakeClock(0);
    let done = false;
    const p = runHook({ sleep: { seconds: 30 } }, container, target(), clock, 5000).then((r) => {
      done = true;
      return r;
    });
    clock.advance(4999);
    await Promise.resolve();
    assert.equal(done, false);
    clock.advance(1);
    assert.deepEqual(await p, { ok: true, message: '' });
  });

  it('does nothing for a tcpSocket hook, as the kubelet', async () => {
    const calls: string[][] = [];
    assert.deepEqual(await runHook({ tcpSocket: { port: 9 } }, container, target(0, calls), systemClock, 1000), { ok: true, message: '' });
    assert.deepEqual(calls, []);
  });
});
