// The server side of one SPDY/3.1 connection, as the kubelet's port-forward uses it: the client
// opens every stream (SYN_STREAM with headers), the server accepts it (SYN_REPLY) or refuses it
// (RST_STREAM); DATA flows both ways until each side's FIN; PINGs are answered. Works over any
// duplex byte stream (the upgraded socket, or a WebSocket carrying SPDY).
//
// No flow control: kubectl's SPDY library (moby/spdystream) neither sends nor honours
// WINDOW_UPDATE, so neither does this. Backpressure is the transport's: writes report a full
// buffer (await writable()), and holdReading() pauses reading the transport.
import type * as stream from 'node:stream';
import type { Logger } from '../../../../common/log';
import { errorMessage } from '../../../../common/errors';
import {
  FLAG_FIN,
  FLAG_UNIDIRECTIONAL,
  FrameType,
  GoAwayStatus,
  MAX_FRAME_PAYLOAD,
  RstStatus,
  SPDY_VERSION,
  announcedFrameSize,
  dataFrame,
  goAwayFrame,
  parseIdAndValue,
  parseSynStream,
  pingFrame,
  readFrame,
  rstStreamFrame,
  synReplyFrame,
  type Frame,
} from './frames';
import { HeaderCompressor, HeaderDecompressor, decodeHeaderBlock, encodeHeaderBlock, type SpdyHeaders } from './headers';

/** Outgoing DATA frames carry at most this much (kubectl copies in 32 KiB pieces itself). */
export const MAX_DATA_CHUNK = 64 * 1024;

class ProtocolError extends Error {
  override name = 'SpdyProtocolError';
}

export interface SpdyStreamEvents {
  /** Bytes from the client. */
  data?: (data: Buffer) => void;
  /** The client's FIN: it sends nothing more (it may still read). */
  end?: () => void;
  /** RST_STREAM from the client, or the connection ended before the stream did. */
  reset?: () => void;
}

/** One client-opened stream. */
export class SpdyStream {
  private replied = false;
  private localDone = false;
  private remoteDone: boolean;
  private resetDone = false;
  private events: SpdyStreamEvents = {};

  constructor(
    private readonly session: SpdySession,
    readonly id: number,
    readonly headers: SpdyHeaders,
    finFromClient: boolean,
    unidirectional: boolean,
  ) {
    this.remoteDone = finFromClient;
    // A unidirectional stream may not be written to: as if already finished on this side.
    if (unidirectional) this.localDone = true;
  }

  /** Sets the listeners (once, right after the stream arrives). A FIN already on the SYN_STREAM is reported as an end. */
  on(events: SpdyStreamEvents): void {
    this.events = events;
    if (this.remoteDone && !this.resetDone) queueMicrotask(() => this.events.end?.());
  }

  /** Whether the client finished sending (FIN or reset). */
  get remoteEnded(): boolean {
    return this.remoteDone;
  }

  /** Accepts the stream (an empty SYN_REPLY); the client waits for it before using the stream. */
  reply(): void {
    if (this.replied || this.resetDone) return;
    this.replied = true;
    this.session.sendReply(this.id);
  }

  /** Sends bytes (replying first if needed). False when the transport's buffer is full: await session.writable(). */
  write(data: Buffer): boolean {
    if (this.localDone || this.resetDone) return true;
    this.reply();
    let ok = true;
    for (let at = 0; at < data.length; at += MAX_DATA_CHUNK) ok = this.session.sendFrame(dataFrame(this.id, data.subarray(at, at + MAX_DATA_CHUNK)));
    return ok;
  }

  /** FIN: nothing more from this side. */
  end(): void {
    if (this.localDone || this.resetDone) return;
    this.reply();
    this.localDone = true;
    this.session.sendFrame(dataFrame(this.id, Buffer.alloc(0), true));
    this.maybeForget();
  }

  /** RST_STREAM: abandons the stream both ways. */
  reset(status: number = RstStatus.Cancel): void {
    if (this.resetDone) return;
    this.resetDone = this.localDone = this.remoteDone = true;
    this.session.sendFrame(rstStreamFrame(this.id, status));
    this.session.forget(this.id);
  }

  /** @internal */
  receiveData(data: Buffer, fin: boolean): void {
    if (this.remoteDone) return;
    if (data.length) this.events.data?.(data);
    if (fin) this.receiveFin();
  }

  /** @internal */
  receiveFin(): void {
    if (this.remoteDone) return;
    this.remoteDone = true;
    this.events.end?.();
    this.maybeForget();
  }

  /** @internal the client reset it, or the connection is gone */
  receiveReset(): void {
    if (this.resetDone) return;
    this.resetDone = this.localDone = this.remoteDone = true;
    this.session.forget(this.id);
    this.events.reset?.();
  }

  private maybeForget(): void {
    if (this.localDone && this.remoteDone) this.session.forget(this.id);
  }
}

export class SpdySession {
  private readonly streams = new Map<number, SpdyStream>();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private buffer: Buffer = Buffer.alloc(0);
  private pumping = false;
  private lastClientStreamId = 0;
  private goneAway = false;
  private isClosed = false;
  private readonly holds = new Set<object>();
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    private readonly transport: stream.Duplex,
    private readonly onStream: (stream: SpdyStream) => void,
    private readonly log: Logger,
  ) {}

  /** Starts reading; `head` is what arrived with the upgrade request after its headers. */
  start(head?: Buffer): void {
    this.transport.on('data', (chunk: Buffer) => this.receive(chunk));
    this.transport.on('end', () => this.close());
    this.transport.on('close', () => this.close());
    this.transport.on('error', (e: Error) => {
      this.log.debug({ err: e }, 'SPDY transport error');
      this.close();
    });
    if (head?.length) this.receive(head);
    this.transport.resume();
  }

  get closed(): boolean {
    return this.isClosed;
  }

  onClose(listener: () => void): void {
    if (this.isClosed) queueMicrotask(listener);
    else this.closeListeners.push(listener);
  }

  /** Resolves once the transport can take more (at once when it can, or when it closed). */
  writable(): Promise<void> {
    if (this.isClosed || !this.transport.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.transport.off('drain', done);
        this.transport.off('close', done);
        resolve();
      };
      this.transport.on('drain', done);
      this.transport.on('close', done);
    });
  }

  /** Stops reading the transport until every holder has released (bounded input per stream). */
  holdReading(holder: object): void {
    this.holds.add(holder);
    this.transport.pause();
  }

  releaseReading(holder: object): void {
    if (!this.holds.delete(holder) || this.holds.size > 0 || this.isClosed) return;
    this.transport.resume();
  }

  /** GOAWAY, then closes the transport; every open stream is reset. */
  close(status: number = GoAwayStatus.Ok): void {
    if (this.isClosed) return;
    if (!this.transport.destroyed && this.transport.writable) this.sendFrame(goAwayFrame(this.lastClientStreamId, status));
    this.isClosed = true;
    for (const s of [...this.streams.values()]) s.receiveReset();
    this.streams.clear();
    this.decompressor.close();
    this.transport.end();
    // A peer that never closes its side must not keep the socket forever.
    const timer = setTimeout(() => this.transport.destroy(), 5_000);
    timer.unref();
    this.transport.once('close', () => clearTimeout(timer));
    for (const l of this.closeListeners.splice(0)) l();
  }

  /** @internal */
  sendFrame(frame: Buffer): boolean {
    if (this.isClosed || this.transport.destroyed || !this.transport.writable) return true;
    return this.transport.write(frame);
  }

  /** @internal */
  sendReply(streamId: number): void {
    this.sendFrame(synReplyFrame(streamId, this.compressor.compress(encodeHeaderBlock({}))));
  }

  /** @internal */
  forget(streamId: number): void {
    this.streams.delete(streamId);
    // After the client's GOAWAY, the connection ends with its last stream.
    if (this.goneAway && this.streams.size === 0) this.close();
  }

  private receive(chunk: Buffer): void {
    if (this.isClosed) return;
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    void this.pump();
  }

  /** Handles whole frames in order; header blocks are inflated asynchronously, so one at a time. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.isClosed) {
        const announced = announcedFrameSize(this.buffer);
        if (announced !== undefined && announced > MAX_FRAME_PAYLOAD + 8) throw new ProtocolError(`frame of ${announced} bytes`);
        const next = readFrame(this.buffer);
        if (!next) break;
        this.buffer = this.buffer.subarray(next.size);
        await this.handle(next.frame);
      }
    } catch (e) {
      this.log.warn({ err: errorMessage(e) }, 'SPDY protocol error: closing the connection');
      this.close(GoAwayStatus.ProtocolError);
    } finally {
      this.pumping = false;
    }
  }

  private async handle(frame: Frame): Promise<void> {
    if (frame.kind === 'data') {
      // Data for a stream that is gone (reset, finished) is dropped, as spdystream does.
      this.streams.get(frame.streamId)?.receiveData(frame.data, (frame.flags & FLAG_FIN) !== 0);
      return;
    }
    if (frame.version !== SPDY_VERSION) throw new ProtocolError(`SPDY version ${frame.version} (only 3 is spoken)`);
    switch (frame.type) {
      case FrameType.SynStream:
        return this.handleSynStream(frame.payload, frame.flags);
      case FrameType.SynReply:
      case FrameType.Headers: {
        // Never expected from a client here, but their header blocks advance the shared zlib
        // stream: they must be inflated or every later block would fail.
        if (frame.payload.length < 4) throw new ProtocolError('HEADERS/SYN_REPLY frame too short');
        await this.decompressor.decompress(frame.payload.subarray(4));
        if (frame.flags & FLAG_FIN) this.streams.get(frame.payload.readUInt32BE(0) & 0x7fffffff)?.receiveFin();
        return;
      }
      case FrameType.RstStream: {
        const rst = parseIdAndValue(frame.payload);
        if (!rst) throw new ProtocolError('RST_STREAM frame too short');
        this.streams.get(rst.id)?.receiveReset();
        return;
      }
      case FrameType.Ping: {
        if (frame.payload.length < 4) throw new ProtocolError('PING frame too short');
        const id = frame.payload.readUInt32BE(0);
        // Odd ids are the client's own pings: echo them. (Kite never pings, so no even id is ours.)
        if (id % 2 === 1) this.sendFrame(pingFrame(id));
        return;
      }
      case FrameType.GoAway:
        // The client opens no more streams; the ones it has run to their end.
        this.goneAway = true;
        if (this.streams.size === 0) this.close();
        return;
      case FrameType.Settings:
      case FrameType.WindowUpdate:
      default:
        // Flow control is not used (see above); unknown control frames are ignored, as SPDY says.
        return;
    }
  }

  private async handleSynStream(payload: Buffer, flags: number): Promise<void> {
    const syn = parseSynStream(payload);
    if (!syn) throw new ProtocolError('SYN_STREAM frame too short');
    // Inflate first whatever happens to the stream: the zlib stream is shared by all of them.
    const headers = decodeHeaderBlock(await this.decompressor.decompress(syn.headerBlock));
    if (this.isClosed) return;
    if (syn.streamId % 2 === 0 || syn.streamId <= this.lastClientStreamId) {
      this.sendFrame(rstStreamFrame(syn.streamId, RstStatus.ProtocolError));
      return;
    }
    this.lastClientStreamId = syn.streamId;
    if (this.goneAway) {
      this.sendFrame(rstStreamFrame(syn.streamId, RstStatus.RefusedStream));
      return;
    }
    const s = new SpdyStream(this, syn.streamId, headers, (flags & FLAG_FIN) !== 0, (flags & FLAG_UNIDIRECTIONAL) !== 0);
    this.streams.set(syn.streamId, s);
    this.onStream(s);
  }
}
