// kubectl's port-forward protocol (portforward.k8s.io) over SPDY, as the kubelet serves it: for
// each local connection kubectl opens two streams carrying the same `requestid` and `port`
// headers, `streamtype: error` then `streamtype: data`. Bytes flow both ways on the data stream;
// a failure is written as text on the error stream (kubectl then drops the whole connection);
// both streams are finished when the pod's side of the connection ends.
import type * as stream from 'node:stream';
import type { PortForwardInput } from '../../api/pod-streams';
import { PacedInput } from './paced-input';
import { forwardConnection, forwardInputSize, type ForwardTarget } from './forward';
import { RstStatus } from './spdy/frames';
import { headerValue } from './spdy/headers';
import { SpdySession, type SpdyStream } from './spdy/session';

/** How long the second stream of a pair may take to arrive (the kubelet's default). */
export const STREAM_PAIR_TIMEOUT_MS = 30_000;

interface StreamPair {
  requestId: string;
  port: number;
  data?: SpdyStream;
  error?: SpdyStream;
  input?: PacedInput<PortForwardInput>;
  abort: AbortController;
  timer: NodeJS.Timeout;
}

/** Serves port-forward streams on `transport` until it closes. */
export function servePortForwardOverSpdy(transport: stream.Duplex, head: Buffer | undefined, t: ForwardTarget, pairTimeoutMs = STREAM_PAIR_TIMEOUT_MS): SpdySession {
  const pairs = new Map<string, StreamPair>();
  const session: SpdySession = new SpdySession(transport, (s) => onStream(s), t.log);

  function onStream(s: SpdyStream): void {
    const portText = headerValue(s.headers, 'port');
    const port = Number(portText);
    const type = headerValue(s.headers, 'streamtype');
    if (!portText || !Number.isInteger(port) || port < 1 || port > 65535 || (type !== 'error' && type !== 'data')) {
      t.log.debug({ port: portText, streamType: type }, 'port-forward stream refused: needs a port (1-65535) and streamtype error or data');
      s.reset(RstStatus.RefusedStream);
      return;
    }
    s.reply();
    const requestId = headerValue(s.headers, 'requestid') ?? legacyRequestId(s.id, type);
    let pair = pairs.get(requestId);
    if (!pair) {
      const created: StreamPair = {
        requestId,
        port,
        abort: new AbortController(),
        timer: setTimeout(() => expire(created), pairTimeoutMs),
      };
      created.timer.unref();
      pair = created;
      pairs.set(requestId, pair);
    }
    const p = pair;
    if ((type === 'data' && p.data) || (type === 'error' && p.error)) {
      p.error?.write(Buffer.from(`error processing stream for request ${requestId}: ${type} stream already assigned`));
      s.reset();
      return;
    }
    if (type === 'error') {
      p.error = s;
      // The client writes nothing on it (it half-closes at once); a reset ends the connection's forward.
      s.on({ reset: () => p.abort.abort() });
    } else {
      p.data = s;
      const input = new PacedInput<PortForwardInput>(forwardInputSize, { pause: () => session.holdReading(p), resume: () => session.releaseReading(p) });
      p.input = input;
      s.on({
        data: (data) => input.push({ data: Buffer.from(data) }),
        end: () => {
          input.push({ closeWrite: true });
          input.end();
        },
        reset: () => {
          p.abort.abort();
          input.end();
        },
      });
    }
    if (p.data && p.error) {
      clearTimeout(p.timer);
      void forward(p).catch((e: unknown) => t.log.error({ err: e }, 'port-forward relay failed'));
    }
  }

  async function forward(p: StreamPair): Promise<void> {
    const data = p.data!;
    const error = p.error!;
    try {
      const failure = await forwardConnection(t, p.port, p.input!, p.abort.signal, async (chunk) => {
        if (!data.write(chunk)) await session.writable();
      });
      if (failure) error.write(Buffer.from(failure));
    } finally {
      p.input!.end();
      data.end();
      error.end();
      pairs.delete(p.requestId);
    }
  }

  function expire(p: StreamPair): void {
    if (pairs.get(p.requestId) !== p) return;
    pairs.delete(p.requestId);
    p.error?.write(Buffer.from(`timed out waiting for the ${p.data ? 'error' : 'data'} stream of request ${p.requestId}`));
    p.error?.end();
    p.data?.reset();
    p.input?.end();
  }

  session.onClose(() => {
    for (const p of pairs.values()) {
      clearTimeout(p.timer);
      p.abort.abort();
      p.input?.end();
    }
    pairs.clear();
  });
  session.start(head);
  return session;
}

/**
 * Clients older than requestid headers open the error stream then the data stream with the next
 * odd id: the kubelet pairs them by the error stream's id, and so does Kite.
 */
function legacyRequestId(streamId: number, type: 'error' | 'data'): string {
  return String(type === 'error' ? streamId : streamId - 2);
}
