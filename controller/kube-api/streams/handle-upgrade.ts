// The entry of the streaming subresources (pods/exec, pods/attach, pods/portforward): the HTTPS
// server hands over an authenticated request and its raw socket; this decides the transport,
// has the API authorize the caller, upgrades, and relays. Every failure before the upgrade is an
// HTTP response with a Status; after it, a Status on the stream. Nothing thrown escapes.
import type * as http from 'node:http';
import type * as stream from 'node:stream';
import { WebSocketServer, createWebSocketStream, type WebSocket } from 'ws';
import type { ApiService } from '../../api/service';
import type { ExecInput, ExecOutput, ExecStart, LogChunk } from '../../api/pod-streams';
import type { Identity } from '../../../common/pki/identity';
import type { Logger } from '../../../common/log';
import { invalid } from '../../../common/errors';
import { V4_CHANNEL, V5_CHANNEL, chooseProtocol, offeredProtocols } from './channels';
import { ChannelSocket } from './channel-socket';
import { parseStreamOptions, type StreamOptions } from './exec-options';
import { execInputSize, finish, readClientInput, relayAttach, relayExec } from './exec-session';
import { authorizePortForward, type ForwardTarget } from './forward';
import { PacedInput } from './paced-input';
import { parseForwardPorts, servePortForwardChannels } from './portforward-channels';
import { servePortForwardOverSpdy } from './portforward-spdy';
import { errorStatus, rejectOnSocket } from './status';

export interface StreamRequest {
  namespace: string;
  pod: string;
  subresource: 'exec' | 'attach' | 'portforward';
  query: URLSearchParams;
}

export interface StreamDeps {
  api: ApiService;
  log: Logger;
}

/** The port-forward protocol, and its name tunnelled in a WebSocket (kubectl 1.31+'s default). */
export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
export const SPDY_TUNNEL_PROTOCOL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;
const EXEC_PROTOCOLS = [V5_CHANNEL, V4_CHANNEL];

/** Messages bigger than this close the WebSocket (a SPDY frame is at most 16 MiB). */
const MAX_MESSAGE = 17 * 1024 * 1024;

export function handlePodStreamUpgrade(
  deps: StreamDeps,
  caller: Identity,
  target: StreamRequest,
  req: http.IncomingMessage,
  socket: stream.Duplex,
  head: Buffer,
): void {
  const log = deps.log.child({ component: 'kube-streams', subresource: target.subresource, pod: `${target.namespace}/${target.pod}` });
  socket.on('error', (e: Error) => log.debug({ err: e.message }, 'stream socket error'));
  try {
    if (target.subresource === 'portforward') upgradePortForward(deps, log, caller, target, req, socket, head);
    else upgradeExecOrAttach(deps, log, caller, target, target.subresource, req, socket, head);
  } catch (e) {
    const status = errorStatus(e);
    if (status.code === 500) log.error({ err: e }, 'stream request failed');
    else log.debug({ err: (e as Error).message, code: status.code }, 'stream request refused');
    try {
      rejectOnSocket(socket, status);
    } catch {
      socket.destroy();
    }
  }
}

type Transport = 'websocket' | 'spdy' | 'none' | 'other';

function transportOf(req: http.IncomingMessage): Transport {
  const upgrade = (req.headers.upgrade ?? '').trim().toLowerCase();
  if (upgrade === '') return 'none';
  if (upgrade === 'websocket') return 'websocket';
  if (upgrade === 'spdy/3.1') return 'spdy';
  return 'other';
}

function upgradeExecOrAttach(
  deps: StreamDeps,
  log: Logger,
  caller: Identity,
  target: StreamRequest,
  subresource: 'exec' | 'attach',
  req: http.IncomingMessage,
  socket: stream.Duplex,
  head: Buffer,
): void {
  const transport = transportOf(req);
  if (transport === 'none') throw invalid('Upgrade request required');
  const opts = parseStreamOptions(target.query, subresource);
  const start: ExecStart = { namespace: target.namespace, pod: target.pod, container: opts.container, command: opts.command, tty: opts.tty, stdin: opts.stdin };
  // Authorize before judging the transport: kubectl retries a failed WebSocket upgrade over SPDY,
  // and a refused caller must hear the same 403 both times. The API checks the caller when called
  // and does nothing until iterated: exec's check is never iterated (the exec starts after the
  // upgrade, once its terminal size is known); attach's stream is the one relayed.
  const abort = new AbortController();
  let logs: AsyncIterable<LogChunk> | undefined;
  if (subresource === 'exec') deps.api.exec(caller, start, NO_EXEC_INPUT, AbortSignal.abort());
  // Attach is the container's output from now on (Kite's agents have no attach), so it asks what logs ask.
  else logs = deps.api.logs(caller, { namespace: target.namespace, pod: target.pod, container: opts.container, follow: true, tailLines: 0 }, abort.signal);
  if (transport !== 'websocket') {
    throw invalid(`${subresource} over ${req.headers.upgrade} is not supported by Kite: use a WebSocket client speaking ${V5_CHANNEL} (kubectl 1.30 or later)`);
  }
  const protocol = negotiate(req, EXEC_PROTOCOLS, false);
  upgradeWebSocket(req, socket, head, protocol, log, (ws) => {
    const sock = new ChannelSocket(ws);
    const input = new PacedInput<ExecInput>(execInputSize, sock.flow);
    void sock.closed.then(() => {
      abort.abort();
      input.end();
    });
    const done = logs ? attach(sock, logs, opts, log) : exec(deps.api, caller, start, sock, protocol, opts, input, abort.signal, log);
    void done.finally(() => input.end()).catch((e: unknown) => log.error({ err: e }, `${subresource} relay failed`));
  });
}

/** Starts the exec (at the client's terminal size, for a TTY) and relays it. Never rejects. */
async function exec(
  api: ApiService,
  caller: Identity,
  start: ExecStart,
  sock: ChannelSocket,
  protocol: string,
  opts: StreamOptions,
  input: PacedInput<ExecInput>,
  signal: AbortSignal,
  log: Logger,
): Promise<void> {
  const size = await readClientInput(sock, protocol, opts, input);
  // Gone while we waited for its terminal size: nothing to start.
  if (signal.aborted || !sock.open) return sock.closed;
  let output: AsyncIterable<ExecOutput>;
  try {
    output = api.exec(caller, size ? { ...start, cols: size.cols, rows: size.rows } : start, input, signal);
  } catch (e) {
    return finish(sock, errorStatus(e));
  }
  return relayExec(sock, output, opts, log);
}

/** Nothing, ended: the input of an exec only called to have the API authorize it. */
const NO_EXEC_INPUT: AsyncIterable<ExecInput> = {
  [Symbol.asyncIterator]: () => ({ next: async () => ({ value: undefined, done: true }) }),
};

function attach(sock: ChannelSocket, output: AsyncIterable<LogChunk>, opts: StreamOptions, log: Logger): Promise<void> {
  if (opts.stdin) return finish(sock, errorStatus(invalid('attach with stdin is not supported by Kite; use exec')));
  return relayAttach(sock, output, opts, log);
}

function upgradePortForward(
  deps: StreamDeps,
  log: Logger,
  caller: Identity,
  target: StreamRequest,
  req: http.IncomingMessage,
  socket: stream.Duplex,
  head: Buffer,
): void {
  const transport = transportOf(req);
  if (transport === 'none') throw invalid('Upgrade request required');
  const forward: ForwardTarget = { api: deps.api, caller, namespace: target.namespace, pod: target.pod, log };
  authorizePortForward(forward);
  if (transport === 'spdy') {
    const versions = offeredProtocols(req.headers['x-stream-protocol-version']);
    if (!versions.includes(PORT_FORWARD_PROTOCOL)) {
      throw invalid(`unable to upgrade: unable to negotiate protocol: client supports [${versions.join(', ')}], server supports [${PORT_FORWARD_PROTOCOL}]`);
    }
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\n' +
        'Connection: Upgrade\r\n' +
        'Upgrade: SPDY/3.1\r\n' +
        `X-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`,
    );
    log.debug('port-forward over SPDY');
    servePortForwardOverSpdy(socket, head, forward);
    return;
  }
  if (transport !== 'websocket') throw invalid(`port-forward over ${req.headers.upgrade} is not supported: use a WebSocket or SPDY/3.1`);
  const protocol = negotiate(req, [SPDY_TUNNEL_PROTOCOL, V4_CHANNEL], true);
  if (protocol === SPDY_TUNNEL_PROTOCOL) {
    upgradeWebSocket(req, socket, head, protocol, log, (ws) => {
      log.debug('port-forward over SPDY tunnelled in a WebSocket');
      const duplex = createWebSocketStream(ws);
      duplex.on('error', (e: Error) => log.debug({ err: e.message }, 'SPDY tunnel error'));
      const session = servePortForwardOverSpdy(duplex, undefined, forward);
      ws.once('close', () => session.close());
    });
    return;
  }
  const ports = parseForwardPorts(target.query);
  upgradeWebSocket(req, socket, head, protocol, log, (ws) => {
    log.debug({ ports }, 'port-forward over WebSocket channels');
    void servePortForwardChannels(new ChannelSocket(ws), ports, forward).catch((e: unknown) => log.error({ err: e }, 'port-forward relay failed'));
  });
}

/**
 * The subprotocol to answer with: the client's first one the server speaks. None offered at all
 * is accepted only where `noneIsV4` (the kubelet's port-forward treats it as v4); '' then.
 */
function negotiate(req: http.IncomingMessage, supported: string[], noneIsV4: boolean): string {
  const offered = offeredProtocols(req.headers['sec-websocket-protocol']);
  if (offered.length === 0 && noneIsV4) return '';
  const chosen = chooseProtocol(offered, supported);
  if (!chosen) {
    throw invalid(`unable to upgrade: none of the offered WebSocket subprotocols [${offered.join(', ')}] is supported; the server speaks [${supported.join(', ')}]`);
  }
  return chosen;
}

/**
 * Completes the WebSocket handshake answering `protocol` (kubectl fails unless it is echoed).
 * The subprotocol is negotiated here, not by `ws`: it refuses names that are not RFC 7230 tokens,
 * and kubectl's port-forward offers "SPDY/3.1+portforward.k8s.io" (a '/' is not a token character).
 */
function upgradeWebSocket(req: http.IncomingMessage, socket: stream.Duplex, head: Buffer, protocol: string, log: Logger, onOpen: (ws: WebSocket) => void): void {
  if (req.method !== 'GET') throw invalid(`a WebSocket upgrade must be a GET, not ${req.method}`);
  delete req.headers['sec-websocket-protocol'];
  const wss = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: MAX_MESSAGE });
  if (protocol) wss.on('headers', (headers: string[]) => headers.push(`Sec-WebSocket-Protocol: ${protocol}`));
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on('error', (e: Error) => log.debug({ err: e.message }, 'WebSocket error'));
    try {
      onOpen(ws);
    } catch (e) {
      log.error({ err: e }, 'stream setup failed after the upgrade');
      ws.terminate();
    }
  });
}
