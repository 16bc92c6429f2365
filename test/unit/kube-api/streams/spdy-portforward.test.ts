import { strict as assert } from 'node:assert';
import { silentLogger } from '../../../../common/log';
import { forbidden } from '../../../../common/errors';
import type { PortForwardInput, PortForwardStart } from '../../../../controller/api/pod-streams';
import { servePortForwardOverSpdy } from '../../../../controller/kube-api/streams/portforward-spdy';
import { FrameType, GoAwayStatus, RstStatus, controlFrame, pingFrame } from '../../../../controller/kube-api/streams/spdy/frames';
import type { SpdySession } from '../../../../controller/kube-api/streams/spdy/session';
import { echoPort, fakeApi, type FakeStreams } from './fake-api';
import { socketPair } from './socket-pair';
import { SpdyTestClient } from './spdy-test-client';

const CALLER = { kind: 'user', name: 'alice' } as const;

/** kubectl's two streams for one local connection. */
async function openPair(c: SpdyTestClient, requestId: number, port = 80): Promise<{ error: number; data: number }> {
  const headers = { port: String(port), requestid: String(requestId) };
  const error = await c.open({ ...headers, streamtype: 'error' });
  c.finish(error); // kubectl half-closes the error stream at once
  const data = await c.open({ ...headers, streamtype: 'data' });
  return { error, data };
}

describe('port-forward over SPDY (kubectl portforward.k8s.io)', () => {
  let cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const f of cleanup.splice(0)) f();
  });

  async function serve(streams: FakeStreams, pairTimeoutMs?: number): Promise<{ client: SpdyTestClient; session: SpdySession; calls: ReturnType<typeof fakeApi>['calls'] }> {
    const pair = await socketPair();
    cleanup.push(pair.close);
    const { api, calls } = fakeApi(streams);
    const session = servePortForwardOverSpdy(pair.server, undefined, { api, caller: CALLER, namespace: 'ns', pod: 'web', log: silentLogger }, pairTimeoutMs);
    return { client: new SpdyTestClient(pair.client), session, calls };
  }

  it('replies to both streams, relays bytes both ways, and finishes both when the pod side ends', async () => {
    const { client, calls } = await serve({ portForward: echoPort((b) => Buffer.from(b.toString().toUpperCase())) });
    const { error, data } = await openPair(client, 0, 8080);
    await client.until(() => client.stream(error).replied && client.stream(data).replied, 2000, 'SYN_REPLYs');
    client.write(data, 'hello ');
    client.write(data, 'world');
    await client.until(() => client.text(data) === 'HELLO WORLD', 2000, 'echo');
    client.finish(data);
    await client.until(() => client.stream(data).finished && client.stream(error).finished, 2000, 'FIN on both streams');
    assert.equal(client.text(error), '', 'no error');
    assert.deepEqual(calls.map((c) => [c.verb, c.caller, c.start]), [['portforward', CALLER, { namespace: 'ns', pod: 'web', port: 8080 }]]);
  });

  it('gives each local connection (requestid) its own forward, concurrently', async () => {
    const { client, calls } = await serve({ portForward: echoPort() });
    const a = await openPair(client, 0);
    const b = await openPair(client, 1);
    client.write(b.data, 'to-b');
    client.write(a.data, 'to-a');
    await client.until(() => client.text(a.data) === 'to-a' && client.text(b.data) === 'to-b', 2000, 'both echoes');
    assert.equal(calls.length, 2);
  });

  it('hands the client FIN to the pod as closeWrite while the pod can still answer', async () => {
    const seen: string[] = [];
    const { client } = await serve({
      portForward: async function* (_s: PortForwardStart, input: AsyncIterable<PortForwardInput>) {
        for await (const m of input) seen.push('data' in m ? `data:${m.data}` : 'closeWrite');
        yield Buffer.from('response after EOF');
      },
    });
    const { error, data } = await openPair(client, 0);
    client.write(data, 'request', true);
    await client.until(() => client.stream(data).finished && client.stream(error).finished, 2000, 'finished');
    assert.equal(client.text(data), 'response after EOF');
    assert.deepEqual(seen, ['data:request', 'closeWrite']);
  });

  it('writes a failure to the error stream in the kubelet words and finishes both streams', async () => {
    const { client } = await serve({
      // eslint-disable-next-line require-yield
      portForward: async function* (): AsyncIterable<Buffer> {
        throw forbidden('user alice cannot portforward pods in namespace ns');
      },
    });
    const { error, data } = await openPair(client, 0, 5432);
    await client.until(() => client.stream(error).finished && client.stream(data).finished, 2000, 'finished');
    assert.equal(client.text(error), 'error forwarding port 5432 to pod ns/web: user alice cannot portforward pods in namespace ns');
  });

  it('aborts the forward when the client resets the data stream', async () => {
    let aborted = false;
    const { client } = await serve({
      portForward: async function* (_s: PortForwardStart, _in: AsyncIterable<PortForwardInput>, signal: AbortSignal): AsyncIterable<Buffer> {
        yield Buffer.from('first');
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        aborted = true;
      },
    });
    const { error, data } = await openPair(client, 0);
    await client.until(() => client.text(data) === 'first', 2000, 'first bytes');
    client.reset(data);
    await client.until(() => client.stream(error).finished, 2000, 'error stream finished');
    assert.ok(aborted);
    assert.equal(client.text(error), '', 'a reset by the client is not an error to report');
  });

  it('stops reading the connection while a forward falls behind, and resumes once it catches up', async () => {
    let release: () => void = () => undefined;
    const go = new Promise<void>((r) => (release = r));
    let received = 0;
    const pair = await socketPair();
    cleanup.push(pair.close);
    const { api } = fakeApi({
      portForward: async function* (_s: PortForwardStart, input: AsyncIterable<PortForwardInput>): AsyncIterable<Buffer> {
        await go;
        for await (const m of input) {
          if ('data' in m) received += m.data.length;
          else break;
        }
        yield Buffer.from(String(received));
      },
    });
    servePortForwardOverSpdy(pair.server, undefined, { api, caller: CALLER, namespace: 'ns', pod: 'web', log: silentLogger });
    const client = new SpdyTestClient(pair.client);
    const { data } = await openPair(client, 0);
    const chunk = Buffer.alloc(32 * 1024, 1);
    for (let i = 0; i < 256; i++) client.write(data, chunk); // 8 MiB
    client.finish(data);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(pair.server.isPaused(), 'the server stopped reading');
    release();
    await client.until(() => client.stream(data).finished, 5000, 'the forward to finish');
    assert.equal(client.text(data), String(256 * chunk.length));
    assert.equal(pair.server.isPaused(), false);
  });

  it('refuses (RST_STREAM) a stream without a valid port or stream type', async () => {
    const { client, calls } = await serve({ portForward: echoPort() });
    const noPort = await client.open({ streamtype: 'data', requestid: '0' });
    const badType = await client.open({ streamtype: 'weird', port: '80', requestid: '0' });
    const badPort = await client.open({ streamtype: 'data', port: '70000', requestid: '0' });
    await client.until(() => [noPort, badType, badPort].every((id) => client.stream(id).reset !== undefined), 2000, 'resets');
    assert.equal(client.stream(noPort).reset, RstStatus.RefusedStream);
    assert.ok([noPort, badType, badPort].every((id) => !client.stream(id).replied));
    assert.equal(calls.length, 0);
  });

  it('tells the error stream when the data stream never comes', async () => {
    const { client, calls } = await serve({ portForward: echoPort() }, 50);
    const error = await client.open({ streamtype: 'error', port: '80', requestid: '7' });
    await client.until(() => client.stream(error).finished, 2000, 'error stream finished');
    assert.match(client.text(error), /timed out waiting for the data stream of request 7/);
    assert.equal(calls.length, 0);
  });

  it('pairs streams of old clients without requestid by stream id, as the kubelet does', async () => {
    const { client } = await serve({ portForward: echoPort() });
    const error = await client.open({ streamtype: 'error', port: '80' });
    const data = await client.open({ streamtype: 'data', port: '80' });
    client.write(data, 'legacy');
    await client.until(() => client.text(data) === 'legacy', 2000, 'echo');
    assert.equal(data, error + 2);
  });

  it('answers the client PINGs, and ends the session after its GOAWAY once streams are done', async () => {
    const { client, session } = await serve({ portForward: echoPort() });
    client.ping(1);
    client.ping(3);
    await client.until(() => client.pings.length === 2, 2000, 'ping replies');
    assert.deepEqual(client.pings, [1, 3]);
    client.sendGoAway();
    await client.until(() => client.goAway !== undefined && client.closed, 2000, 'GOAWAY and close');
    assert.equal(client.goAway!.status, GoAwayStatus.Ok);
    assert.ok(session.closed);
  });

  it('resets a SYN_STREAM with an even (server-side) id', async () => {
    const { client, calls } = await serve({ portForward: echoPort() });
    await client.openWithId(2, { streamtype: 'data', port: '80', requestid: '0' });
    await client.until(() => client.stream(2).reset !== undefined, 2000, 'reset');
    assert.equal(client.stream(2).reset, RstStatus.ProtocolError);
    assert.equal(calls.length, 0);
  });

  it('closes the connection with a protocol-error GOAWAY when a header block is not zlib', async () => {
    const { client, session } = await serve({ portForward: echoPort() });
    const fixed = Buffer.alloc(10);
    fixed.writeUInt32BE(1, 0);
    client.raw(controlFrame(FrameType.SynStream, 0, Buffer.concat([fixed, Buffer.from('not zlib at all')])));
    await client.until(() => client.goAway !== undefined && client.closed, 2000, 'GOAWAY and close');
    assert.equal(client.goAway!.status, GoAwayStatus.ProtocolError);
    assert.ok(session.closed);
  });

  it('closes the connection on a control frame of another SPDY version', async () => {
    const { client } = await serve({ portForward: echoPort() });
    const frame = pingFrame(1);
    frame.writeUInt16BE(0x8002, 0);
    client.raw(frame);
    await client.until(() => client.goAway !== undefined, 2000, 'GOAWAY');
    assert.equal(client.goAway!.status, GoAwayStatus.ProtocolError);
  });

  it('resets everything and aborts forwards when the transport drops', async () => {
    let aborted = false;
    const pair = await socketPair();
    const { api } = fakeApi({
      portForward: async function* (_s: PortForwardStart, _in: AsyncIterable<PortForwardInput>, signal: AbortSignal): AsyncIterable<Buffer> {
        yield Buffer.from('x');
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        aborted = true;
      },
    });
    const session = servePortForwardOverSpdy(pair.server, undefined, { api, caller: CALLER, namespace: 'ns', pod: 'web', log: silentLogger });
    const client = new SpdyTestClient(pair.client);
    const { data } = await openPair(client, 0);
    await client.until(() => client.text(data) === 'x', 2000, 'first bytes');
    pair.client.destroy();
    await new Promise<void>((resolve) => session.onClose(resolve));
    await new Promise((r) => setImmediate(r));
    assert.ok(aborted);
    pair.close();
  });
});
