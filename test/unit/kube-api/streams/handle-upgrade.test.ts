// handlePodStreamUpgrade behind a real HTTP server on the loopback, driven by WebSocket and SPDY
// clients the way kubectl and client-node drive the API server, with a fake ApiService.
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type * as net from 'node:net';
import { WebSocket } from 'ws';
import { forbidden, notFound } from '../../../../common/errors';
import { silentLogger } from '../../../../common/log';
import type { ExecInput, ExecOutput, ExecStart, LogChunk, LogsQuery, PortForwardStart } from '../../../../controller/api/pod-streams';
import { handlePodStreamUpgrade, type StreamRequest } from '../../../../controller/kube-api/streams';
import { echoPort, fakeApi, type FakeApi, type FakeStreams } from './fake-api';
import { SpdyTestClient } from './spdy-test-client';
import { connectRawWebSocket } from './ws-client-frames';

const CALLER = { kind: 'user', name: 'alice' } as const;

async function until(predicate: () => boolean, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
const V5 = 'v5.channel.k8s.io';
const V4 = 'v4.channel.k8s.io';

interface Received {
  ws: WebSocket;
  protocol: string;
  /** Bytes per channel, in order. */
  channels: Map<number, Buffer[]>;
  closed: Promise<{ code: number }>;
}

function text(r: Received, channel: number): string {
  return Buffer.concat(r.channels.get(channel) ?? []).toString();
}

function status(r: Received): Record<string, unknown> | undefined {
  const s = text(r, 3);
  return s ? (JSON.parse(s) as Record<string, unknown>) : undefined;
}

describe('handlePodStreamUpgrade', () => {
  let server: http.Server;
  let base = '';
  let fake: FakeApi;
  const sockets = new Set<net.Socket>();

  function route(req: http.IncomingMessage): StreamRequest | undefined {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)$/.exec(url.pathname);
    return m ? { namespace: m[1]!, pod: m[2]!, subresource: m[3] as StreamRequest['subresource'], query: url.searchParams } : undefined;
  }

  before(async () => {
    server = http.createServer((req, res) => {
      const target = route(req);
      if (!target) return void res.writeHead(404).end();
      handlePodStreamUpgrade({ api: fake.api, log: silentLogger }, CALLER, target, req, req.socket, Buffer.alloc(0));
    });
    server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      const target = route(req);
      if (!target) return void socket.destroy();
      handlePodStreamUpgrade({ api: fake.api, log: silentLogger }, CALLER, target, req, socket, head);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  function use(streams: FakeStreams): FakeApi {
    fake = fakeApi(streams);
    return fake;
  }

  /** Connects as kubectl does and collects every channel until the server closes. */
  function connect(path: string, protocols: string[]): Promise<Received> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://${base}${path}`, protocols);
      const channels = new Map<number, Buffer[]>();
      const closed = new Promise<{ code: number }>((r) => ws.once('close', (code) => r({ code })));
      ws.on('message', (data: Buffer) => {
        const list = channels.get(data[0]!) ?? [];
        list.push(data.subarray(1));
        channels.set(data[0]!, list);
      });
      ws.once('open', () => resolve({ ws, protocol: ws.protocol, channels, closed }));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`unexpected ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** A WebSocket upgrade the server refuses: its HTTP status and Status body. */
  function refusedUpgrade(path: string, protocols: string[]): Promise<{ code: number; body: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://${base}${path}`, protocols);
      ws.once('open', () => reject(new Error('the upgrade was accepted')));
      ws.once('error', () => undefined);
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body: JSON.parse(body) as Record<string, unknown> }));
      });
    });
  }

  /** A raw request (any method and headers): status, headers, body, or the upgraded socket. */
  function rawRequest(path: string, headers: Record<string, string>, method = 'GET'): Promise<{ code: number; headers: http.IncomingHttpHeaders; body: string; socket?: net.Socket; head?: Buffer }> {
    return new Promise((resolve, reject) => {
      const [host, port] = base.split(':');
      const req = http.request({ host, port: Number(port), path, method, headers });
      req.once('upgrade', (res, socket, head) => resolve({ code: res.statusCode ?? 0, headers: res.headers, body: '', socket, head }));
      req.once('response', (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.once('error', reject);
      req.end();
    });
  }

  const execPath = (query: string) => `/api/v1/namespaces/ns/pods/web/exec?${query}`;

  describe('exec', () => {
    it('echoes v5, passes the command, splits stdout/stderr and ends with the exit code as NonZeroExitCode', async () => {
      use({
        exec: async function* (): AsyncIterable<ExecOutput> {
          yield { stdout: Buffer.from('out\n') };
          yield { stderr: Buffer.from('err\n') };
          yield { exitCode: 7 };
        },
      });
      const r = await connect(execPath('command=sh&command=-c&command=echo%20out&container=app&stdout=true&stderr=true'), [V5, V4]);
      assert.equal(r.protocol, V5, 'the chosen subprotocol is echoed');
      assert.equal((await r.closed).code, 1000, 'a normal closure ends every stream');
      assert.equal(text(r, 1), 'out\n');
      assert.equal(text(r, 2), 'err\n');
      assert.deepEqual(status(r), {
        metadata: {},
        status: 'Failure',
        message: 'command terminated with non-zero exit code: exit code 7',
        reason: 'NonZeroExitCode',
        details: { causes: [{ reason: 'ExitCode', message: '7' }] },
      });
      assert.deepEqual(fake.calls[0]!.start, { namespace: 'ns', pod: 'web', container: 'app', command: ['sh', '-c', 'echo out'], tty: false, stdin: false } satisfies ExecStart);
      assert.deepEqual(fake.calls[0]!.caller, CALLER);
    });

    it('ends with Success for exit code 0', async () => {
      use({ exec: async function* () { yield { exitCode: 0 } as ExecOutput; } });
      const r = await connect(execPath('command=true&stdout=true'), [V5]);
      await r.closed;
      assert.deepEqual(status(r), { metadata: {}, status: 'Success' });
    });

    it("starts a TTY exec at the client's first terminal size, then delivers stdin, resizes and stdin EOF ([255, 0])", async () => {
      const seen: ExecInput[] = [];
      use({
        exec: async function* (_s: ExecStart, input: AsyncIterable<ExecInput>): AsyncIterable<ExecOutput> {
          for await (const m of input) {
            seen.push(m);
            if ('stdin' in m) yield { stdout: m.stdin };
            if ('closeStdin' in m) break;
          }
          yield { exitCode: 0 };
        },
      });
      const r = await connect(execPath('command=cat&stdin=true&stdout=true&tty=true'), [V5]);
      r.ws.send(Buffer.from([4, ...Buffer.from('{"Width":100,"Height":30}')]));
      r.ws.send(Buffer.from([0, ...Buffer.from('typed')]));
      r.ws.send(Buffer.from([4, ...Buffer.from('{"Width":120,"Height":40}')]));
      r.ws.send(Buffer.from([255, 0]));
      await r.closed;
      assert.equal(text(r, 1), 'typed');
      assert.deepEqual(fake.calls[0]!.start, { namespace: 'ns', pod: 'web', container: undefined, command: ['cat'], tty: true, stdin: true, cols: 100, rows: 30 } satisfies ExecStart);
      assert.deepEqual(seen, [{ stdin: Buffer.from('typed') }, { resize: { cols: 120, rows: 40 } }, { closeStdin: true }]);
    });

    it('starts a TTY exec without a size when the client sends none in time', async () => {
      use({ exec: async function* () { yield { exitCode: 0 } as ExecOutput; } });
      const began = Date.now();
      const r = await connect(execPath('command=sh&stdout=true&tty=true'), [V5]);
      await r.closed;
      assert.ok(Date.now() - began >= 400, 'it waited for a size first');
      assert.deepEqual(fake.calls[0]!.start, { namespace: 'ns', pod: 'web', container: undefined, command: ['sh'], tty: true, stdin: false } satisfies ExecStart);
      assert.deepEqual(status(r), { metadata: {}, status: 'Success' });
    });

    it('speaks v4 when only v4 is offered (no close signal there)', async () => {
      const seen: ExecInput[] = [];
      use({
        exec: async function* (_s: ExecStart, input: AsyncIterable<ExecInput>): AsyncIterable<ExecOutput> {
          for await (const m of input) {
            seen.push(m);
            if ('stdin' in m) break;
          }
          yield { exitCode: 3 };
        },
      });
      const r = await connect(execPath('command=cat&stdin=true&stdout=true'), [V4]);
      assert.equal(r.protocol, V4);
      r.ws.send(Buffer.from([255, 0]));
      r.ws.send(Buffer.from([0, 0x61]));
      await r.closed;
      assert.deepEqual(seen, [{ stdin: Buffer.from('a') }], 'the v5 close signal means nothing in v4');
      assert.equal(status(r)!.reason, 'NonZeroExitCode');
    });

    it('drops output streams the client did not ask for (stderr with a TTY)', async () => {
      use({
        exec: async function* (): AsyncIterable<ExecOutput> {
          yield { stderr: Buffer.from('hidden') };
          yield { stdout: Buffer.from('shown') };
          yield { exitCode: 0 };
        },
      });
      const r = await connect(execPath('command=sh&stdin=true&stdout=true&stderr=true&tty=true'), [V5]);
      await r.closed;
      assert.equal(text(r, 1), 'shown');
      assert.equal(r.channels.has(2), false);
    });

    it('reports an error after the upgrade as a Failure Status on channel 3 (code and reason), then closes', async () => {
      use({
        exec: async function* (): AsyncIterable<ExecOutput> {
          throw notFound('pods "web" not found in namespace "ns"');
        },
      });
      const r = await connect(execPath('command=ls&stdout=true'), [V5]);
      assert.equal((await r.closed).code, 1000);
      assert.deepEqual(status(r), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "web" not found in namespace "ns"', reason: 'NotFound', code: 404 });
    });

    it('aborts the exec when the client goes away', async () => {
      let aborted: () => void = () => undefined;
      const wasAborted = new Promise<void>((r) => (aborted = r));
      use({
        exec: async function* (_s: ExecStart, _in: AsyncIterable<ExecInput>, signal: AbortSignal): AsyncIterable<ExecOutput> {
          yield { stdout: Buffer.from('running') };
          await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
          aborted();
        },
      });
      const r = await connect(execPath('command=sleep&stdout=true'), [V5]);
      await until(() => text(r, 1) === 'running');
      r.ws.terminate();
      await wasAborted;
    });

    it('stops pulling output while the client does not read (bounded buffering)', async function () {
      this.timeout(10_000);
      let produced = 0;
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      use({
        exec: async function* (_s: ExecStart, _in: AsyncIterable<ExecInput>, signal: AbortSignal): AsyncIterable<ExecOutput> {
          while (!signal.aborted && produced < 512 * 1024 * 1024) {
            produced += chunk.length;
            yield { stdout: chunk };
          }
        },
      });
      const r = await connect(execPath('command=yes&stdout=true'), [V5]);
      r.ws.pause();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const stalled = produced;
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(produced, stalled, 'the producer is held while the client reads nothing');
      assert.ok(produced < 64 * 1024 * 1024, `at most a few buffers' worth in flight, not ${produced} bytes`);
      r.ws.resume();
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.ok(produced > stalled, 'and released once it reads again');
      r.ws.terminate();
    });

    const refusals: { name: string; query: string; protocols: string[]; streams?: FakeStreams; code: number; reason: string; message: RegExp }[] = [
      { name: 'a caller the API refuses', query: 'command=ls&stdout=true', protocols: [V5], streams: { authorize: () => { throw forbidden('user alice cannot exec into pods in namespace "ns"'); } }, code: 403, reason: 'Forbidden', message: /cannot exec/ },
      { name: 'no command', query: 'stdout=true', protocols: [V5], code: 400, reason: 'BadRequest', message: /at least one command/ },
      { name: 'no stream at all', query: 'command=ls', protocols: [V5], code: 400, reason: 'BadRequest', message: /at least 1 of stdin, stdout, stderr/ },
      { name: 'only subprotocols Kite does not speak', query: 'command=ls&stdout=true', protocols: ['v3.channel.k8s.io', 'base64.channel.k8s.io'], code: 400, reason: 'BadRequest', message: /none of the offered WebSocket subprotocols \[v3\.channel\.k8s\.io, base64\.channel\.k8s\.io\]/ },
    ];
    for (const c of refusals) {
      it(`answers ${c.name} before the upgrade with a ${c.code} Status`, async () => {
        use({ exec: async function* () { yield { exitCode: 0 } as ExecOutput; }, ...c.streams });
        const { code, body } = await refusedUpgrade(execPath(c.query), c.protocols);
        assert.equal(code, c.code);
        assert.equal(body.kind, 'Status');
        assert.equal(body.reason, c.reason);
        assert.equal(body.code, c.code);
        assert.match(String(body.message), c.message);
      });
    }

    it('answers a request without Upgrade with 400 "Upgrade request required"', async () => {
      use({});
      const r = await rawRequest(execPath('command=ls&stdout=true'), {}, 'POST');
      assert.equal(r.code, 400);
      assert.equal(JSON.parse(r.body).message, 'Upgrade request required');
    });

    it("answers kubectl's SPDY retry with 400 naming WebSocket, and a refused caller with the same 403 both ways", async () => {
      use({ exec: async function* () { yield { exitCode: 0 } as ExecOutput; } });
      const spdy = { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' };
      const r = await rawRequest(execPath('command=ls&stdout=true'), spdy, 'POST');
      assert.equal(r.code, 400);
      assert.match(JSON.parse(r.body).message, /not supported by Kite: use a WebSocket client speaking v5\.channel\.k8s\.io/);
      use({ authorize: () => { throw forbidden('no exec for you'); } });
      const refused = await rawRequest(execPath('command=ls&stdout=true'), spdy, 'POST');
      assert.equal(refused.code, 403);
    });
  });

  describe('attach', () => {
    const attachPath = (query: string) => `/api/v1/namespaces/ns/pods/web/attach?${query}`;

    it("relays the container's output from now on (logs follow, tail 0) by stream, then Success", async () => {
      use({
        logs: async function* (): AsyncIterable<LogChunk> {
          yield { data: Buffer.from('line 1\n'), stream: 'stdout' };
          yield { data: Buffer.from('oops\n'), stream: 'stderr' };
        },
      });
      const r = await connect(attachPath('container=app&stdout=true&stderr=true'), [V5]);
      await r.closed;
      assert.equal(text(r, 1), 'line 1\n');
      assert.equal(text(r, 2), 'oops\n');
      assert.deepEqual(status(r), { metadata: {}, status: 'Success' });
      assert.deepEqual(fake.calls[0]!.start, { namespace: 'ns', pod: 'web', container: 'app', follow: true, tailLines: 0 } satisfies LogsQuery);
    });

    it('refuses stdin with a clear Failure Status after the upgrade', async () => {
      use({ logs: async function* () { yield { data: Buffer.from('x'), stream: 'stdout' } as LogChunk; } });
      const r = await connect(attachPath('stdin=true&stdout=true&tty=true'), [V5]);
      await r.closed;
      const s = status(r)!;
      assert.equal(s.status, 'Failure');
      assert.equal(s.code, 400);
      assert.equal(s.message, 'attach with stdin is not supported by Kite; use exec');
      assert.equal(r.channels.has(1), false);
    });
  });

  describe('portforward', () => {
    const pfPath = (query = '') => `/api/v1/namespaces/ns/pods/web/portforward${query ? `?${query}` : ''}`;

    it('speaks v4 channels as client-node does: port prefix on both channels, data both ways, close when the connection ends', async () => {
      use({ portForward: echoPort((b) => Buffer.from(b.toString().toUpperCase())) });
      const r = await connect(pfPath('ports=8080'), [V5, V4, 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io']);
      assert.equal(r.protocol, V4);
      r.ws.send(Buffer.from([0, ...Buffer.from('ping')]));
      await until(() => text(r, 0).length >= 6);
      const data = Buffer.concat(r.channels.get(0)!);
      assert.deepEqual([...data.subarray(0, 2)], [0x90, 0x1f], 'port 8080 little-endian first');
      assert.equal(data.subarray(2).toString(), 'PING');
      assert.deepEqual([...Buffer.concat(r.channels.get(1)!)], [0x90, 0x1f], 'the error channel announces the port too');
      r.ws.close();
      await r.closed;
      assert.deepEqual(fake.calls[0]!.start, { namespace: 'ns', pod: 'web', port: 8080 } satisfies PortForwardStart);
    });

    it('reports a forwarding failure on the error channel and closes once every port is done', async () => {
      use({
        portForward: async function* (s: PortForwardStart): AsyncIterable<Buffer> {
          if (s.port === 81) throw notFound('nothing listens');
          yield Buffer.from('ok');
        },
      });
      const r = await connect(pfPath('port=80&port=81'), [V4]);
      assert.equal((await r.closed).code, 1000);
      assert.equal(Buffer.concat(r.channels.get(2)!).subarray(2).toString(), '');
      assert.equal(Buffer.concat(r.channels.get(3)!).subarray(2).toString(), 'error forwarding port 81 to pod ns/web: nothing listens');
      assert.equal(Buffer.concat(r.channels.get(0)!).subarray(2).toString(), 'ok');
    });

    it('carries SPDY tunnelled in a WebSocket (SPDY/3.1+portforward.k8s.io, kubectl 1.31+)', async () => {
      use({ portForward: echoPort() });
      const [host, port] = base.split(':');
      const ws = await connectRawWebSocket(host!, Number(port), pfPath(), 'SPDY/3.1+portforward.k8s.io');
      assert.equal(ws.statusCode, 101);
      assert.equal(ws.protocol, 'SPDY/3.1+portforward.k8s.io', 'the tunnelling subprotocol is echoed');
      const client = new SpdyTestClient(ws.stream);
      const error = await client.open({ streamtype: 'error', port: '80', requestid: '0' });
      client.finish(error);
      const data = await client.open({ streamtype: 'data', port: '80', requestid: '0' });
      client.write(data, 'through the tunnel', true);
      await client.until(() => client.stream(data).finished && client.stream(error).finished, 2000, 'finished');
      assert.equal(client.text(data), 'through the tunnel');
      assert.ok(client.stream(data).replied && client.stream(error).replied);
      ws.socket.destroy();
    });

    it('upgrades a plain SPDY/3.1 request (kubectl without WebSockets) and serves port-forward on the socket', async () => {
      use({ portForward: echoPort() });
      const r = await rawRequest(pfPath(), { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'portforward.k8s.io' }, 'POST');
      assert.equal(r.code, 101);
      assert.equal(r.headers['x-stream-protocol-version'], 'portforward.k8s.io');
      assert.equal(r.headers.upgrade, 'SPDY/3.1');
      const client = new SpdyTestClient(r.socket!);
      const error = await client.open({ streamtype: 'error', port: '80', requestid: '0' });
      const data = await client.open({ streamtype: 'data', port: '80', requestid: '0' });
      client.write(data, 'raw spdy', true);
      await client.until(() => client.stream(data).finished && client.stream(error).finished, 2000, 'finished');
      assert.equal(client.text(data), 'raw spdy');
      r.socket!.destroy();
    });

    it('refuses a forbidden caller before the upgrade (403), whichever the transport', async () => {
      use({ portForward: echoPort(), authorize: () => { throw forbidden('user alice cannot portforward'); } });
      const ws = await rawRequest(pfPath(), { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': 'SPDY/3.1+portforward.k8s.io' });
      assert.equal(ws.code, 403);
      const spdy = await rawRequest(pfPath(), { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'portforward.k8s.io' }, 'POST');
      assert.equal(spdy.code, 403);
      assert.equal(JSON.parse(spdy.body).reason, 'Forbidden');
    });

    const refusals: { name: string; path: string; protocols?: string[]; headers?: Record<string, string>; message: RegExp }[] = [
      { name: 'v4 channels without ports', path: pfPath(), protocols: [V4], message: /query parameter "port" is required/ },
      { name: 'only unknown subprotocols', path: pfPath('port=80'), protocols: ['v5.channel.k8s.io', 'base64.channel.k8s.io'], message: /none of the offered/ },
      { name: 'SPDY without portforward.k8s.io', path: pfPath(), headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' }, message: /unable to negotiate protocol/ },
      { name: 'no Upgrade at all', path: pfPath(), headers: {}, message: /Upgrade request required/ },
    ];
    for (const c of refusals) {
      it(`answers ${c.name} with 400`, async () => {
        use({ portForward: echoPort() });
        if (c.protocols) {
          const r = await refusedUpgrade(c.path, c.protocols);
          assert.equal(r.code, 400);
          assert.match(String(r.body.message), c.message);
        } else {
          const r = await rawRequest(c.path, c.headers!, 'POST');
          assert.equal(r.code, 400);
          assert.match(JSON.parse(r.body).message, c.message);
        }
      });
    }
  });

  it('survives a client that sends garbage after the upgrade', async () => {
    use({ portForward: echoPort() as unknown as FakeStreams['portForward'] });
    const r = await rawRequest('/api/v1/namespaces/ns/pods/web/portforward', { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'portforward.k8s.io' }, 'POST');
    // A control frame of SPDY/2: the session cannot speak it and closes.
    r.socket!.write(Buffer.from('8002000100000000', 'hex'));
    const goAway: Buffer[] = [];
    r.socket!.on('data', (d: Buffer) => goAway.push(d));
    await new Promise<void>((resolve) => r.socket!.once('close', () => resolve()));
    assert.equal(Buffer.concat(goAway).toString('hex'), '80030007000000080000000000000001', 'GOAWAY with PROTOCOL_ERROR');
    // The server still answers.
    use({ exec: async function* () { yield { exitCode: 0 } as ExecOutput; } });
    const ok = await connect(execPath('command=true&stdout=true'), [V5]);
    await ok.closed;
    assert.deepEqual(status(ok), { metadata: {}, status: 'Success' });
  });
});
