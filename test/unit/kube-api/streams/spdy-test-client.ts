// The client side of SPDY/3 as kubectl's library (moby/spdystream) plays it, for tests: opens
// streams with compressed headers (one zlib stream with the SPDY dictionary, sync-flushed per
// block, as Go's framer does), writes and half-closes them, answers nothing it need not, and
// collects what the server sends per stream.
import * as zlib from 'node:zlib';
import type * as stream from 'node:stream';
import { SPDY3_HEADER_DICTIONARY } from '../../../../controller/kube-api/streams/spdy/dictionary';
import { FLAG_FIN, FrameType, controlFrame, dataFrame, readFrame, type Frame } from '../../../../controller/kube-api/streams/spdy/frames';
import { decodeHeaderBlock, encodeHeaderBlock, type SpdyHeaders } from '../../../../controller/kube-api/streams/spdy/headers';

export interface ClientStream {
  id: number;
  replied: boolean;
  replyHeaders?: SpdyHeaders;
  data: Buffer[];
  finished: boolean;
  reset?: number;
}

export class SpdyTestClient {
  readonly streams = new Map<number, ClientStream>();
  readonly pings: number[] = [];
  goAway?: { lastGood: number; status: number };
  closed = false;
  private nextId = 1;
  private buffer = Buffer.alloc(0);
  private readonly deflater = zlib.createDeflate({ dictionary: SPDY3_HEADER_DICTIONARY, level: 9 });
  private readonly inflater = zlib.createInflate({ dictionary: SPDY3_HEADER_DICTIONARY });
  private queue: Promise<void> = Promise.resolve();
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly transport: stream.Duplex) {
    transport.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.queue = this.queue.then(() => this.drain());
    });
    transport.on('close', () => {
      this.closed = true;
      this.notify();
    });
    transport.on('end', () => {
      this.closed = true;
      this.notify();
    });
    transport.on('error', () => undefined);
  }

  /** SYN_STREAM with these headers; resolves with the new stream's id. */
  async open(headers: Record<string, string>, flags = 0): Promise<number> {
    const id = this.nextId;
    this.nextId += 2;
    this.streams.set(id, { id, replied: false, data: [], finished: false });
    const block = await this.compress(encodeHeaderBlock(headers));
    const fixed = Buffer.alloc(10);
    fixed.writeUInt32BE(id, 0);
    this.transport.write(controlFrame(FrameType.SynStream, flags, Buffer.concat([fixed, block])));
    return id;
  }

  /** A raw SYN_STREAM with a given id (for protocol-error cases). */
  async openWithId(id: number, headers: Record<string, string>): Promise<void> {
    this.streams.set(id, { id, replied: false, data: [], finished: false });
    const block = await this.compress(encodeHeaderBlock(headers));
    const fixed = Buffer.alloc(10);
    fixed.writeUInt32BE(id, 0);
    this.transport.write(controlFrame(FrameType.SynStream, 0, Buffer.concat([fixed, block])));
  }

  /** Bytes as they are, framed or not. */
  raw(bytes: Buffer): void {
    this.transport.write(bytes);
  }

  write(id: number, data: Buffer | string, fin = false): void {
    this.transport.write(dataFrame(id, Buffer.from(data), fin));
  }

  finish(id: number): void {
    this.write(id, Buffer.alloc(0), true);
  }

  reset(id: number, status = 5): void {
    const p = Buffer.alloc(8);
    p.writeUInt32BE(id, 0);
    p.writeUInt32BE(status, 4);
    this.transport.write(controlFrame(FrameType.RstStream, 0, p));
  }

  ping(id: number): void {
    const p = Buffer.alloc(4);
    p.writeUInt32BE(id);
    this.transport.write(controlFrame(FrameType.Ping, 0, p));
  }

  sendGoAway(): void {
    this.transport.write(controlFrame(FrameType.GoAway, 0, Buffer.alloc(8)));
  }

  stream(id: number): ClientStream {
    const s = this.streams.get(id);
    if (!s) throw new Error(`no stream ${id}`);
    return s;
  }

  text(id: number): string {
    return Buffer.concat(this.stream(id).data).toString();
  }

  /** Resolves once `predicate` holds (checked after every frame), or rejects after `ms`. */
  until(predicate: () => boolean, ms = 2_000, what = 'condition'): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
      const check = () => {
        if (predicate()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private compress(block: Buffer): Promise<Buffer> {
    return new Promise((resolve) => {
      const out: Buffer[] = [];
      const onData = (c: Buffer) => out.push(c);
      this.deflater.on('data', onData);
      this.deflater.write(block);
      this.deflater.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        this.deflater.off('data', onData);
        resolve(Buffer.concat(out));
      });
    });
  }

  private inflate(block: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const out: Buffer[] = [];
      const onData = (c: Buffer) => out.push(c);
      this.inflater.on('data', onData);
      this.inflater.once('error', reject);
      this.inflater.write(block);
      this.inflater.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        this.inflater.off('data', onData);
        this.inflater.off('error', reject);
        resolve(Buffer.concat(out));
      });
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const next = readFrame(this.buffer);
      if (!next) break;
      this.buffer = this.buffer.subarray(next.size);
      await this.handle(next.frame);
      this.notify();
    }
  }

  private async handle(frame: Frame): Promise<void> {
    if (frame.kind === 'data') {
      const s = this.streams.get(frame.streamId);
      if (!s) return;
      if (frame.data.length) s.data.push(Buffer.from(frame.data));
      if (frame.flags & FLAG_FIN) s.finished = true;
      return;
    }
    const p = frame.payload;
    switch (frame.type) {
      case FrameType.SynReply: {
        const s = this.streams.get(p.readUInt32BE(0));
        const headers = decodeHeaderBlock(await this.inflate(p.subarray(4)));
        if (s) {
          s.replied = true;
          s.replyHeaders = headers;
          if (frame.flags & FLAG_FIN) s.finished = true;
        }
        return;
      }
      case FrameType.RstStream: {
        const s = this.streams.get(p.readUInt32BE(0));
        if (s) s.reset = p.readUInt32BE(4);
        return;
      }
      case FrameType.Ping:
        this.pings.push(p.readUInt32BE(0));
        return;
      case FrameType.GoAway:
        this.goAway = { lastGood: p.readUInt32BE(0), status: p.readUInt32BE(4) };
        return;
    }
  }
}
