// A de-duplicating work queue with rate-limited retries, as Kubernetes controllers use: a key
// queued many times while waiting is processed once; a key being processed is not processed
// concurrently, and if queued meanwhile it runs once more afterwards; failures retry with
// exponential back-off up to a bound.
import type { Clock, Timer } from '../../common/clock';
import { systemClock } from '../../common/clock';
import type { Logger } from '../../common/log';
import { errorMessage } from '../../common/errors';

export interface WorkQueueOptions {
  name: string;
  /** Reconcile one key; throw to retry with back-off; return a number to requeue after that many ms. */
  handler: (key: string) => Promise<void | number>;
  concurrency?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxRetries?: number;
  clock?: Clock;
  log: Logger;
  onResult?: (result: 'success' | 'error' | 'requeue', seconds: number) => void;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, Timer>();
  private running = 0;
  private stopped = false;
  private readonly clock: Clock;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: WorkQueueOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  add(key: string): void {
    if (this.stopped) return;
    if (this.active.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.pump();
  }

  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    const existing = this.delayed.get(key);
    if (existing) this.clock.clearTimeout(existing);
    this.delayed.set(
      key,
      this.clock.setTimeout(() => {
        this.delayed.delete(key);
        this.add(key);
      }, ms),
    );
  }

  get length(): number {
    return this.queue.length + this.active.size;
  }

  /** Resolves when nothing is queued or running (delayed retries do not count). */
  idle(): Promise<void> {
    if (this.length === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.delayed.values()) this.clock.clearTimeout(t);
    this.delayed.clear();
    this.queue.length = 0;
    this.queued.clear();
  }

  private pump(): void {
    const concurrency = this.opts.concurrency ?? 4;
    while (!this.stopped && this.running < concurrency && this.queue.length) {
      const key = this.queue.shift()!;
      this.queued.delete(key);
      this.active.add(key);
      this.running++;
      void this.process(key);
    }
  }

  private async process(key: string): Promise<void> {
    const started = this.clock.now();
    try {
      const requeue = await this.opts.handler(key);
      this.failures.delete(key);
      if (typeof requeue === 'number') this.addAfter(key, requeue);
      this.opts.onResult?.(typeof requeue === 'number' ? 'requeue' : 'success', (this.clock.now() - started) / 1000);
    } catch (e) {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      this.opts.onResult?.('error', (this.clock.now() - started) / 1000);
      const max = this.opts.maxRetries ?? 15;
      if (n <= max) {
        const delay = Math.min((this.opts.baseDelayMs ?? 50) * 2 ** (n - 1), this.opts.maxDelayMs ?? 30_000);
        this.opts.log.debug({ controller: this.opts.name, key, err: errorMessage(e), retry: n, delayMs: delay }, 'reconcile failed; retrying');
        this.addAfter(key, delay);
      } else {
        this.opts.log.warn({ controller: this.opts.name, key, err: errorMessage(e) }, 'reconcile failed too often; giving up until the next change');
        this.failures.delete(key);
      }
    } finally {
      this.active.delete(key);
      this.running--;
      if (this.dirty.delete(key)) this.add(key);
      this.pump();
      if (this.length === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }
}
