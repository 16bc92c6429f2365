// A push-to-pull bridge: producers push, one consumer iterates with for-await.
// Bounded: when the consumer falls more than `limit` items behind, the queue fails with
// the error from `onOverflow` rather than growing without end.

export class AsyncQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: ((r: IteratorResult<T>) => void) | undefined;
  private failer: ((e: unknown) => void) | undefined;
  private done = false;
  private error: unknown;

  constructor(
    private readonly limit = Infinity,
    private readonly onOverflow: () => Error = () => new Error('queue overflow'),
  ) {}

  push(item: T): void {
    if (this.done) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = this.failer = undefined;
      w({ value: item, done: false });
      return;
    }
    if (this.items.length - this.head >= this.limit) {
      this.fail(this.onOverflow());
      return;
    }
    this.items.push(item);
  }

  /** Ends the stream after what is already queued. */
  end(): void {
    if (this.done) return;
    this.done = true;
    if (this.waiter && this.items.length === this.head) {
      const w = this.waiter;
      this.waiter = this.failer = undefined;
      w({ value: undefined, done: true });
    }
  }

  /** Ends the stream with an error, dropping anything queued. */
  fail(e: unknown): void {
    if (this.done && this.error) return;
    this.done = true;
    this.error = e;
    this.items = [];
    this.head = 0;
    if (this.failer) {
      const f = this.failer;
      this.waiter = this.failer = undefined;
      f(e);
    }
  }

  get size(): number {
    return this.items.length - this.head;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head++] as T;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.error !== undefined) return Promise.reject(this.error);
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.failer = reject;
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return { next: () => this.next(), return: async () => { this.end(); this.items = []; this.head = 0; return { value: undefined, done: true }; } };
  }
}
