// SPDY/3 header blocks: a count, then length-prefixed name/value pairs (several values of one name
// joined by NUL), compressed with zlib against the SPDY dictionary. Each direction is ONE zlib
// stream across all the frames of a connection, flushed (not finished) after each block.
import * as zlib from 'node:zlib';
import { SPDY3_HEADER_DICTIONARY } from './dictionary';

export type SpdyHeaders = Record<string, string[]>;

/** A header block is at most this big once inflated (the client sends a handful of short headers). */
export const MAX_HEADER_BLOCK = 64 * 1024;

export function encodeHeaderBlock(headers: Record<string, string | string[]>): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(Array.isArray(value) ? value.join('\0') : value, 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

export class HeaderBlockError extends Error {
  override name = 'HeaderBlockError';
}

/** Names are lowercased (SPDY requires them so; a client that does not still gets understood). */
export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  let at = 0;
  const take = (what: string): Buffer => {
    if (at + 4 > block.length) throw new HeaderBlockError(`SPDY header block ends inside the length of ${what}`);
    const len = block.readUInt32BE(at);
    at += 4;
    if (at + len > block.length) throw new HeaderBlockError(`SPDY header block ends inside ${what} (${len} bytes announced)`);
    const out = block.subarray(at, at + len);
    at += len;
    return out;
  };
  if (block.length < 4) throw new HeaderBlockError('SPDY header block is shorter than its pair count');
  const count = block.readUInt32BE(0);
  at = 4;
  const headers: SpdyHeaders = {};
  for (let i = 0; i < count; i++) {
    const name = take(`header name ${i + 1}`).toString('utf8').toLowerCase();
    const value = take(`the value of header "${name}"`).toString('utf8');
    (headers[name] ??= []).push(...value.split('\0'));
  }
  return headers;
}

/** The first value of a header, or undefined. */
export function headerValue(headers: SpdyHeaders, name: string): string | undefined {
  return headers[name.toLowerCase()]?.[0];
}

/**
 * Compresses outgoing header blocks as zlib STORED blocks: valid zlib any inflater reads (with the
 * SPDY dictionary announced in the stream header, as SPDY requires), synchronous, and stateless
 * beyond that header. Kite's replies carry no headers, so there is nothing to gain by deflating.
 *
 * Each block ends as a zlib sync flush does, with an empty stored block (00 00 00 FF FF): Go's
 * inflater (kubectl) hands over a stored block's bytes only once it has read the next block's
 * header, and without that marker it would read past the frame and fail the connection.
 */
export class HeaderCompressor {
  private started = false;

  compress(block: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      // CMF 0x78 (deflate, 32K window); FLG 0x20 = FDICT, and 0x7820 is a multiple of 31 (FCHECK 0).
      parts.push(Buffer.from([0x78, 0x20]), u32(adler32(SPDY3_HEADER_DICTIONARY)));
    }
    for (let at = 0; at < block.length; at += 0xffff) parts.push(storedBlock(block.subarray(at, at + 0xffff)));
    parts.push(storedBlock(Buffer.alloc(0)));
    return Buffer.concat(parts);
  }
}

/** A non-final stored deflate block: BFINAL=0, BTYPE=00, then LEN and its one's complement, little-endian. */
function storedBlock(data: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt16LE(data.length, 1);
  head.writeUInt16LE(~data.length & 0xffff, 3);
  return Buffer.concat([head, data]);
}

/** Inflates incoming header blocks in order; one per connection and direction. */
export class HeaderDecompressor {
  private readonly inflater = zlib.createInflate({ dictionary: SPDY3_HEADER_DICTIONARY });
  private queue: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;

  constructor() {
    // An error (a corrupt stream) fails this and every later block; the session then ends.
    this.inflater.on('error', (e: Error) => (this.failure ??= e));
  }

  /** The inflated block. Calls are served in order. */
  decompress(compressed: Buffer): Promise<Buffer> {
    const next = this.queue.then(() => this.inflateOne(compressed));
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.inflater.destroy();
  }

  private inflateOne(compressed: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const out: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer) => {
        out.push(chunk);
        size += chunk.length;
        if (size > MAX_HEADER_BLOCK) fail(new HeaderBlockError(`SPDY header block inflates past ${MAX_HEADER_BLOCK} bytes`));
      };
      const onError = (e: Error) => fail(e);
      const done = () => {
        this.inflater.off('data', onData);
        this.inflater.off('error', onError);
      };
      const fail = (e: Error) => {
        done();
        this.failure ??= e;
        reject(e);
      };
      this.inflater.on('data', onData);
      this.inflater.on('error', onError);
      this.inflater.write(compressed);
      this.inflater.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        if (this.failure) return fail(this.failure);
        done();
        resolve(Buffer.concat(out));
      });
    });
  }
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** Adler-32 (RFC 1950), the checksum zlib names a preset dictionary by. */
export function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
