import { strict as assert } from 'node:assert';
import * as zlib from 'node:zlib';
import { SPDY3_HEADER_DICTIONARY } from '../../../../controller/kube-api/streams/spdy/dictionary';
import {
  FLAG_FIN,
  FrameType,
  controlFrame,
  dataFrame,
  goAwayFrame,
  parseIdAndValue,
  parseSynStream,
  pingFrame,
  readFrame,
  rstStreamFrame,
  synReplyFrame,
} from '../../../../controller/kube-api/streams/spdy/frames';
import {
  HeaderBlockError,
  HeaderCompressor,
  HeaderDecompressor,
  adler32,
  decodeHeaderBlock,
  encodeHeaderBlock,
} from '../../../../controller/kube-api/streams/spdy/headers';

/** Inflates blocks one after another on one stream, as a Go client reads our header blocks. */
async function inflateInSequence(blocks: Buffer[]): Promise<Buffer[]> {
  const inflater = zlib.createInflate({ dictionary: SPDY3_HEADER_DICTIONARY });
  const out: Buffer[] = [];
  for (const b of blocks) {
    const got: Buffer[] = [];
    const onData = (c: Buffer) => got.push(c);
    inflater.on('data', onData);
    inflater.write(b);
    await new Promise<void>((r) => inflater.flush(zlib.constants.Z_SYNC_FLUSH, () => r()));
    inflater.off('data', onData);
    out.push(Buffer.concat(got));
  }
  inflater.destroy();
  return out;
}

/** Deflates blocks on one stream with the dictionary, sync-flushing each, as Go's SPDY framer does. */
async function deflateInSequence(blocks: Buffer[]): Promise<Buffer[]> {
  const deflater = zlib.createDeflate({ dictionary: SPDY3_HEADER_DICTIONARY, level: 9 });
  const out: Buffer[] = [];
  for (const b of blocks) {
    const got: Buffer[] = [];
    const onData = (c: Buffer) => got.push(c);
    deflater.on('data', onData);
    deflater.write(b);
    await new Promise<void>((r) => deflater.flush(zlib.constants.Z_SYNC_FLUSH, () => r()));
    deflater.off('data', onData);
    out.push(Buffer.concat(got));
  }
  deflater.destroy();
  return out;
}

describe('SPDY/3 framing', () => {
  it('the header dictionary is the SPDY/3 one: 1423 bytes from "options" to "enq=0."', () => {
    assert.equal(SPDY3_HEADER_DICTIONARY.length, 1423);
    assert.equal(SPDY3_HEADER_DICTIONARY.subarray(0, 11).toString('latin1'), '\0\0\0\x07options');
    assert.equal(SPDY3_HEADER_DICTIONARY.subarray(-6).toString('latin1'), 'enq=0.');
  });

  it('adler32 matches the RFC 1950 checksum', () => {
    assert.equal(adler32(Buffer.from('Wikipedia')), 0x11e60398);
    assert.equal(adler32(Buffer.alloc(0)), 1);
  });

  it('reads a frame only once it is whole, from any split of the bytes', () => {
    const frames = Buffer.concat([dataFrame(3, Buffer.from('hello'), true), pingFrame(7), rstStreamFrame(5, 5)]);
    for (let cut = 0; cut <= frames.length; cut++) {
      const got: string[] = [];
      let buf = frames.subarray(0, cut);
      const drain = () => {
        for (let r = readFrame(buf); r; r = readFrame(buf)) {
          buf = buf.subarray(r.size);
          got.push(r.frame.kind === 'data' ? `data ${r.frame.streamId} ${r.frame.data} ${r.frame.flags}` : `control ${r.frame.type} v${r.frame.version}`);
        }
      };
      drain();
      buf = Buffer.concat([buf, frames.subarray(cut)]);
      drain();
      assert.deepEqual(got, ['data 3 hello 1', `control ${FrameType.Ping} v3`, `control ${FrameType.RstStream} v3`], `cut at ${cut}`);
      assert.equal(buf.length, 0);
    }
  });

  const cases: { name: string; frame: Buffer; type: number; flags: number; payloadHex: string }[] = [
    { name: 'RST_STREAM', frame: rstStreamFrame(9, 3), type: FrameType.RstStream, flags: 0, payloadHex: '0000000900000003' },
    { name: 'PING', frame: pingFrame(0x01020304), type: FrameType.Ping, flags: 0, payloadHex: '01020304' },
    { name: 'GOAWAY', frame: goAwayFrame(7, 1), type: FrameType.GoAway, flags: 0, payloadHex: '0000000700000001' },
    { name: 'SYN_REPLY with FIN', frame: synReplyFrame(3, Buffer.from([0xaa]), true), type: FrameType.SynReply, flags: FLAG_FIN, payloadHex: '00000003aa' },
  ];
  for (const c of cases) {
    it(`builds ${c.name} as a version-3 control frame`, () => {
      assert.equal(c.frame.readUInt16BE(0), 0x8003, 'control bit and version 3');
      const r = readFrame(c.frame);
      assert.ok(r && r.frame.kind === 'control');
      assert.equal(r.frame.type, c.type);
      assert.equal(r.frame.flags, c.flags);
      assert.equal(r.frame.payload.toString('hex'), c.payloadHex);
    });
  }

  it('parses the fixed fields of SYN_STREAM and of id/value frames, refusing short ones', () => {
    const p = Buffer.concat([Buffer.from('00000005000000016000', 'hex'), Buffer.from('hb')]);
    assert.deepEqual(parseSynStream(p), { streamId: 5, associatedStreamId: 1, priority: 3, headerBlock: Buffer.from('hb') });
    assert.equal(parseSynStream(Buffer.alloc(9)), undefined);
    assert.deepEqual(parseIdAndValue(Buffer.from('8000000200000007', 'hex')), { id: 2, value: 7 });
    assert.equal(parseIdAndValue(Buffer.alloc(7)), undefined);
  });

  it('refuses frames too large for the 24-bit length', () => {
    assert.throws(() => controlFrame(FrameType.Ping, 0, Buffer.alloc(0x1000000)), /exceeds/);
  });
});

describe('SPDY/3 header blocks', () => {
  it('round-trips names (lowercased) and multi-valued headers (NUL-joined)', () => {
    const block = encodeHeaderBlock({ StreamType: 'data', port: '80', accept: ['a', 'b'] });
    assert.deepEqual(decodeHeaderBlock(block), { streamtype: ['data'], port: ['80'], accept: ['a', 'b'] });
    assert.deepEqual(decodeHeaderBlock(encodeHeaderBlock({})), {});
  });

  const broken: [string, Buffer][] = [
    ['that is shorter than its pair count', Buffer.from('000001', 'hex')],
    ['that ends inside a name length', Buffer.from('0000000100', 'hex')],
    ['whose name runs past its end', Buffer.from('0000000100000009abc', 'hex')],
    ['whose value is missing', Buffer.from('000000010000000161', 'hex')],
  ];
  for (const [what, block] of broken) {
    it(`refuses a block ${what}`, () => assert.throws(() => decodeHeaderBlock(block), HeaderBlockError));
  }

  it('writes blocks any zlib inflater reads in sequence with the SPDY dictionary (as a Go client does)', async () => {
    const compressor = new HeaderCompressor();
    const blocks = [encodeHeaderBlock({}), encodeHeaderBlock({ a: 'b' }), encodeHeaderBlock({ big: 'x'.repeat(70_000) })];
    const compressed = blocks.map((b) => compressor.compress(b));
    assert.equal(compressed[0]!.readUInt16BE(0), 0x7820, 'zlib header announcing a preset dictionary');
    assert.equal(compressed[0]!.readUInt32BE(2), adler32(SPDY3_HEADER_DICTIONARY), 'naming the SPDY dictionary');
    for (const c of compressed) assert.equal(c.subarray(-5).toString('hex'), '000000ffff', 'each block ends with a sync-flush marker (Go hands the block over only then)');
    assert.deepEqual(await inflateInSequence(compressed), blocks);
  });

  it('reads blocks a Go-like client deflates on one stream, back-references across blocks included', async () => {
    const blocks = [0, 1, 2].map((i) => encodeHeaderBlock({ streamtype: i % 2 ? 'data' : 'error', port: '8080', requestid: String(i) }));
    const compressed = await deflateInSequence(blocks);
    assert.ok(compressed[2]!.length < blocks[2]!.length / 2, 'later blocks are mostly back-references');
    const d = new HeaderDecompressor();
    try {
      assert.deepEqual(await Promise.all(compressed.map((c) => d.decompress(c))), blocks);
    } finally {
      d.close();
    }
  });

  it('fails every block after a corrupt one (the shared zlib state is lost)', async () => {
    const d = new HeaderDecompressor();
    try {
      await assert.rejects(d.decompress(Buffer.from('7820deadbeef00', 'hex')));
      const [good] = await deflateInSequence([encodeHeaderBlock({ a: 'b' })]);
      await assert.rejects(d.decompress(good!));
    } finally {
      d.close();
    }
  });
});
