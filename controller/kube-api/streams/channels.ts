// The Kubernetes channel protocol over WebSocket (v4/v5.channel.k8s.io): every binary message is
// one byte naming the channel, then that channel's bytes. exec/attach use 0 stdin, 1 stdout,
// 2 stderr, 3 status (a JSON Status), 4 terminal size, 255 "this channel is closed" (v5 only);
// port-forward uses 2i for port i's data and 2i+1 for its errors.

export const Channel = { Stdin: 0, Stdout: 1, Stderr: 2, Status: 3, Resize: 4, Close: 255 } as const;

export const V5_CHANNEL = 'v5.channel.k8s.io';
export const V4_CHANNEL = 'v4.channel.k8s.io';

export function channelFrame(channel: number, data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const frame = Buffer.allocUnsafe(body.length + 1);
  frame[0] = channel;
  body.copy(frame, 1);
  return frame;
}

/** A message split into its channel and bytes; undefined for an empty message. */
export function splitChannelFrame(message: Buffer): { channel: number; data: Buffer } | undefined {
  if (message.length === 0) return undefined;
  return { channel: message[0]!, data: message.subarray(1) };
}

/** `{"Width":W,"Height":H}` as kubectl sends on the resize channel; undefined when it is not that. */
export function parseResize(data: Buffer): { cols: number; rows: number } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { Width, Height } = parsed as { Width?: unknown; Height?: unknown };
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffff;
  return ok(Width) && ok(Height) ? { cols: Width, rows: Height } : undefined;
}

/** The port announcement port-forward sends first on both channels of a port: 2 bytes, little-endian. */
export function portPrefix(port: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(port);
  return b;
}

/** The first of `offered` (in the client's order) that the server speaks, or undefined. */
export function chooseProtocol(offered: readonly string[], supported: readonly string[]): string | undefined {
  return offered.find((p) => supported.includes(p));
}

/** The subprotocols a WebSocket upgrade request offers, in order. */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  const raw = Array.isArray(header) ? header.join(',') : (header ?? '');
  return raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}
