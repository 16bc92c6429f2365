// A bare WebSocket client for tests, as Go's gorilla/websocket behaves: it offers any subprotocol
// string (kubectl offers "SPDY/3.1+portforward.k8s.io", which the `ws` client refuses as not an
// RFC token) and exposes the connection as a byte stream, one binary message per write, masked
// as a client must.
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type * as net from 'node:net';
import { Duplex } from 'node:stream';

export interface RawWebSocket {
  statusCode: number;
  protocol: string | undefined;
  /** Binary messages in and out as a byte stream; ends when the server closes. */
  stream: Duplex;
  socket: net.Socket;
}

export function connectRawWebSocket(host: string, port: number, path: string, protocol: string): Promise<RawWebSocket> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host,
      port,
      path,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': crypto.randomBytes(16).toString('base64'),
        'Sec-WebSocket-Protocol': protocol,
      },
    });
    req.once('upgrade', (res, socket, head) => {
      socket.setNoDelay(true);
      resolve({ statusCode: res.statusCode ?? 0, protocol: res.headers['sec-websocket-protocol'], stream: messageStream(socket, head), socket });
    });
    req.once('response', (res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    req.once('error', reject);
    req.end();
  });
}

function messageStream(socket: net.Socket, head: Buffer): Duplex {
  let buffer = head;
  const duplex = new Duplex({
    write(chunk: Buffer, _enc, done) {
      socket.write(clientFrame(0x2, chunk), done);
    },
    final(done) {
      socket.end(clientFrame(0x8, Buffer.from([0x03, 0xe8])), done);
    },
    read() {},
  });
  const drain = () => {
    for (;;) {
      if (buffer.length < 2) return;
      const opcode = buffer[0]! & 0x0f;
      let len = buffer[1]! & 0x7f;
      let at = 2;
      if (len === 126) {
        if (buffer.length < 4) return;
        len = buffer.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (buffer.length < 10) return;
        len = Number(buffer.readBigUInt64BE(2));
        at = 10;
      }
      if (buffer.length < at + len) return;
      const payload = buffer.subarray(at, at + len);
      buffer = buffer.subarray(at + len);
      if (opcode === 0x2 || opcode === 0x0) duplex.push(Buffer.from(payload));
      else if (opcode === 0x8) {
        duplex.push(null);
        socket.end();
        return;
      } else if (opcode === 0x9) socket.write(clientFrame(0xa, payload));
    }
  };
  socket.on('data', (d: Buffer) => {
    buffer = Buffer.concat([buffer, d]);
    drain();
  });
  socket.on('close', () => duplex.destroy());
  drain();
  return duplex;
}

/** A final, masked client frame. */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  const mask = crypto.randomBytes(4);
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, 0x80 | len]) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (len >= 126 && len < 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 0x80 | 126;
    head.writeUInt16BE(len, 2);
  } else if (len >= 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i] = masked[i]! ^ mask[i % 4]!;
  return Buffer.concat([head, mask, masked]);
}
