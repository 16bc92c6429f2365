// Client input on its way to the pod (exec stdin, forwarded bytes), as the AsyncIterable the API
// takes. Bounded by pausing the source: past `highWaterMark` buffered bytes the source is asked to
// stop reading its socket, and to resume once the consumer has taken it below a quarter of that.
import { AsyncQueue } from '../../../common/async-queue';

export interface FlowControl {
  pause(): void;
  resume(): void;
}

export const DEFAULT_HIGH_WATER_MARK = 1024 * 1024;

export class PacedInput<T> implements AsyncIterable<T> {
  private readonly queue = new AsyncQueue<T>();
  private buffered = 0;
  private paused = false;
  /** Set once the input ended or its consumer stopped: later pushes are dropped. */
  ended = false;

  constructor(
    private readonly sizeOf: (item: T) => number,
    private readonly flow: FlowControl,
    private readonly highWaterMark = DEFAULT_HIGH_WATER_MARK,
  ) {}

  push(item: T): void {
    if (this.ended) return;
    this.queue.push(item);
    this.buffered += this.sizeOf(item);
    if (!this.paused && this.buffered > this.highWaterMark) {
      this.paused = true;
      this.flow.pause();
    }
  }

  /** No more input: the consumer sees the end after what is queued. */
  end(): void {
    this.ended = true;
    this.queue.end();
    this.release();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      for await (const item of this.queue) {
        this.buffered -= this.sizeOf(item);
        if (this.buffered <= this.highWaterMark / 4) this.release();
        yield item;
      }
    } finally {
      this.ended = true;
      this.release();
    }
  }

  private release(): void {
    if (!this.paused) return;
    this.paused = false;
    this.flow.resume();
  }
}
