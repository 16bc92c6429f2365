import assert from 'node:assert/strict';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { probeCheck } from '../../../node-agent/pods/probes';

/** A raw HTTP server answering every request with `response` (header lines as given). */
async function rawServer(response: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer((sock) => {
    sock.once('data', () => sock.end(response));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((r) => server.close(() => r())) };
}

describe('HTTP probes', () => {
  const container = { name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 0 }] };
  const target = { ip: () => '127.0.0.1' };

  it('accepts a server whose header lines end with a bare LF (busybox httpd CGI), as the kubelet does', async () => {
    const s = await rawServer('HTTP/1.1 200 OK\r\nContent-Type: text/plain\n\nhello\n');
    try {
      const check = probeCheck({ httpGet: { path: '/cgi-bin/hello', port: s.port } }, container, target as never);
      assert.equal((await check(1000)).ok, true);
    } finally {
      await s.close();
    }
  });

  it('judges by status code and resolves a named port', async () => {
    const s = await rawServer('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
    try {
      const named = { ...container, ports: [{ name: 'http', containerPort: s.port }] };
      const check = probeCheck({ httpGet: { path: '/', port: 'http' } }, named, target as never);
      assert.deepEqual(await check(1000), { ok: false, message: 'HTTP probe failed with statuscode: 503' });
    } finally {
      await s.close();
    }
  });
});
