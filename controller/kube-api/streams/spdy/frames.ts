// SPDY/3.1 framing (the SPDY/3 draft plus 3.1's session flow control, which Kite does not need):
// splitting frames off a byte stream and building the few a port-forward server sends. Pure
// functions over Buffers; header blocks are headers.ts's business, streams session.ts's.

export const SPDY_VERSION = 3;

export const FrameType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

/** FLAG_FIN on SYN_STREAM, SYN_REPLY, HEADERS and DATA: the sender sends nothing more on the stream. */
export const FLAG_FIN = 0x01;
/** FLAG_UNIDIRECTIONAL on SYN_STREAM: the receiver may not send on the stream. */
export const FLAG_UNIDIRECTIONAL = 0x02;

export const RstStatus = {
  ProtocolError: 1,
  InvalidStream: 2,
  RefusedStream: 3,
  UnsupportedVersion: 4,
  Cancel: 5,
  InternalError: 6,
  FlowControlError: 7,
  StreamInUse: 8,
  StreamAlreadyClosed: 9,
  FrameTooLarge: 11,
} as const;

export const GoAwayStatus = { Ok: 0, ProtocolError: 1, InternalError: 2 } as const;

/** Frames carry a 24-bit length. */
export const MAX_FRAME_PAYLOAD = 0xffffff;
const HEADER_SIZE = 8;

export type Frame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'control'; version: number; type: number; flags: number; payload: Buffer };

/** The first whole frame in `buf` and how many bytes it took, or undefined while it is incomplete. */
export function readFrame(buf: Buffer): { frame: Frame; size: number } | undefined {
  if (buf.length < HEADER_SIZE) return undefined;
  const first = buf.readUInt32BE(0);
  const flagsAndLength = buf.readUInt32BE(4);
  const flags = flagsAndLength >>> 24;
  const length = flagsAndLength & 0xffffff;
  const size = HEADER_SIZE + length;
  if (buf.length < size) return undefined;
  const payload = buf.subarray(HEADER_SIZE, size);
  if (first & 0x80000000) {
    return { frame: { kind: 'control', version: (first >>> 16) & 0x7fff, type: first & 0xffff, flags, payload }, size };
  }
  return { frame: { kind: 'data', streamId: first & 0x7fffffff, flags, data: payload }, size };
}

/** How long the frame at the front of `buf` says it is (header included), once its header is in. */
export function announcedFrameSize(buf: Buffer): number | undefined {
  return buf.length < HEADER_SIZE ? undefined : HEADER_SIZE + (buf.readUInt32BE(4) & 0xffffff);
}

export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) throw new RangeError(`SPDY control frame payload of ${payload.length} bytes exceeds ${MAX_FRAME_PAYLOAD}`);
  const head = Buffer.alloc(HEADER_SIZE);
  head.writeUInt32BE((0x80000000 | (SPDY_VERSION << 16) | type) >>> 0, 0);
  head.writeUInt32BE(((flags << 24) | payload.length) >>> 0, 4);
  return Buffer.concat([head, payload]);
}

export function dataFrame(streamId: number, data: Buffer, fin = false): Buffer {
  if (data.length > MAX_FRAME_PAYLOAD) throw new RangeError(`SPDY data frame of ${data.length} bytes exceeds ${MAX_FRAME_PAYLOAD}`);
  const head = Buffer.alloc(HEADER_SIZE);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE((((fin ? FLAG_FIN : 0) << 24) | data.length) >>> 0, 4);
  return Buffer.concat([head, data]);
}

/** SYN_REPLY: stream id, then the (compressed) header block. */
export function synReplyFrame(streamId: number, compressedHeaders: Buffer, fin = false): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(streamId & 0x7fffffff);
  return controlFrame(FrameType.SynReply, fin ? FLAG_FIN : 0, Buffer.concat([id, compressedHeaders]));
}

export function rstStreamFrame(streamId: number, status: number): Buffer {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(streamId & 0x7fffffff, 0);
  p.writeUInt32BE(status, 4);
  return controlFrame(FrameType.RstStream, 0, p);
}

export function pingFrame(id: number): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(id >>> 0);
  return controlFrame(FrameType.Ping, 0, p);
}

export function goAwayFrame(lastGoodStreamId: number, status: number): Buffer {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(lastGoodStreamId & 0x7fffffff, 0);
  p.writeUInt32BE(status, 4);
  return controlFrame(FrameType.GoAway, 0, p);
}

export interface SynStream {
  streamId: number;
  associatedStreamId: number;
  priority: number;
  /** The compressed header block. */
  headerBlock: Buffer;
}

/** The fixed fields of a SYN_STREAM payload; undefined when it is too short to have them. */
export function parseSynStream(payload: Buffer): SynStream | undefined {
  if (payload.length < 10) return undefined;
  return {
    streamId: payload.readUInt32BE(0) & 0x7fffffff,
    associatedStreamId: payload.readUInt32BE(4) & 0x7fffffff,
    priority: payload[8]! >>> 5,
    headerBlock: payload.subarray(10),
  };
}

/** RST_STREAM, WINDOW_UPDATE and GOAWAY all start with a stream id and a 32-bit value. */
export function parseIdAndValue(payload: Buffer): { id: number; value: number } | undefined {
  if (payload.length < 8) return undefined;
  return { id: payload.readUInt32BE(0) & 0x7fffffff, value: payload.readUInt32BE(4) };
}
