// Port-forward over plain WebSocket channels (v4.channel.k8s.io, or no subprotocol), as client
// libraries such as @kubernetes/client-node speak it: the ports come in the query, port i gets
// channel 2i for data and 2i+1 for errors, and each channel's first message from the server is
// the port as 2 bytes little-endian. One connection per port; the socket closes when all ended.
import type { PortForwardInput } from '../../api/pod-streams';
import { invalid } from '../../../common/errors';
import { portPrefix } from './channels';
import type { ChannelSocket } from './channel-socket';
import { PacedInput } from './paced-input';
import { forwardConnection, forwardInputSize, type ForwardTarget } from './forward';

/** Channels are one byte: port i's error channel 2i+1 must fit. */
export const MAX_CHANNEL_PORTS = 128;

/** The ports of `port=` (the kubelet's name) and `ports=` (client-node's), repeated or comma-separated. */
export function parseForwardPorts(query: URLSearchParams): number[] {
  const texts = [...query.getAll('port'), ...query.getAll('ports')].flatMap((v) => v.split(','));
  if (texts.length === 0) throw invalid('query parameter "port" is required');
  const ports = texts.map((text) => {
    const port = Number(text.trim());
    if (!/^\d+$/.test(text.trim()) || port < 1 || port > 65535) throw invalid(`port ${JSON.stringify(text)} is not a TCP port (1-65535)`);
    return port;
  });
  if (ports.length > MAX_CHANNEL_PORTS) throw invalid(`at most ${MAX_CHANNEL_PORTS} ports can be forwarded over one connection, not ${ports.length}`);
  return ports;
}

/** Serves the ports over `sock`; resolves once it is closed. Never rejects. */
export async function servePortForwardChannels(sock: ChannelSocket, ports: number[], t: ForwardTarget): Promise<void> {
  const conns = ports.map((port) => ({
    port,
    input: new PacedInput<PortForwardInput>(forwardInputSize, sock.flow),
    abort: new AbortController(),
  }));
  sock.onMessage((channel, data) => {
    // The client writes only on data channels; anything else is ignored, as the kubelet does.
    if (channel % 2 === 0 && data.length > 0) conns[channel / 2]?.input.push({ data: Buffer.from(data) });
  });
  void sock.closed.then(() => {
    for (const c of conns) {
      c.abort.abort();
      c.input.end();
    }
  });
  await Promise.all(
    conns.map(async (c, i) => {
      await sock.send(2 * i, portPrefix(c.port));
      await sock.send(2 * i + 1, portPrefix(c.port));
      const failure = await forwardConnection(t, c.port, c.input, c.abort.signal, (chunk) => sock.send(2 * i, chunk));
      if (failure) await sock.send(2 * i + 1, failure);
      c.input.end();
    }),
  );
  sock.close();
  await sock.closed;
}
