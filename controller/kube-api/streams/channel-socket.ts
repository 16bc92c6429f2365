// One upgraded WebSocket speaking the channel protocol: sends that wait while the socket's
// outgoing buffer is full (so a fast producer is paced by a slow client instead of buffered
// without bound), received messages split by channel, and pausing reads for PacedInput.
import { WebSocket } from 'ws';
import { channelFrame, splitChannelFrame } from './channels';
import type { FlowControl } from './paced-input';

/** Past this many unsent bytes a send waits until its own message is written. */
export const SEND_HIGH_WATER_MARK = 1024 * 1024;

export class ChannelSocket {
  readonly closed: Promise<void>;
  readonly flow: FlowControl;

  constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    this.flow = { pause: () => ws.pause(), resume: () => ws.resume() };
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Calls `handler` with each message's channel and bytes (text messages are taken as bytes too). */
  onMessage(handler: (channel: number, data: Buffer) => void): void {
    this.ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[]) => {
      const message = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
      const frame = splitChannelFrame(message);
      if (frame) handler(frame.channel, frame.data);
    });
  }

  /** Sends one message on `channel`; resolves at once, or once it is written when the buffer is full. Never rejects. */
  send(channel: number, data: Buffer | string): Promise<void> {
    if (!this.open) return Promise.resolve();
    return new Promise((resolve) => {
      let wait = false;
      this.ws.send(channelFrame(channel, data), { binary: true }, () => {
        if (wait) resolve();
      });
      if (this.ws.bufferedAmount > SEND_HIGH_WATER_MARK) wait = true;
      else resolve();
    });
  }

  /** A normal closure (1000): what kubectl reads as the end of every stream. */
  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
  }
}
