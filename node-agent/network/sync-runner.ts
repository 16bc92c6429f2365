// kube-proxy's BoundedFrequencyRunner: runs a sync when asked, but never more often than every
// minIntervalMs (requests in between coalesce into one run at the end of the interval) and at
// least every maxIntervalMs (to re-assert what another program may have changed). Never two
// runs at once; a request during a run gives one more run after it.
import type { Clock, Timer } from '../../common/clock';

export interface SyncRunnerOptions {
  minIntervalMs: number;
  maxIntervalMs: number;
  clock: Clock;
  run: () => Promise<void>;
  /** After a failed run, the next one waits this long (default 1 s) rather than minIntervalMs. */
  retryIntervalMs?: number;
  /** A run failed (the error goes here to be logged); it is retried after retryIntervalMs. */
  onError: (e: unknown) => void;
}

export class SyncRunner {
  private timer: Timer | undefined;
  /** When the timer fires. */
  private timerAt = Infinity;
  private running = false;
  private requested = false;
  private lastRunAt = -Infinity;
  private stopped = true;
  /** Resolves when the current run (if any) ends; stop() waits on it. */
  private current: Promise<void> = Promise.resolve();

  constructor(private readonly opts: SyncRunnerOptions) {}

  /** Starts with a run right away, then the periodic re-assert. */
  start(): void {
    this.stopped = false;
    this.request();
  }

  /** Asks for a run as soon as the minimum interval allows. */
  request(): void {
    if (this.stopped) return;
    this.requested = true;
    if (this.running) return; // the run's end schedules the next one
    this.schedule(Math.max(this.lastRunAt + this.opts.minIntervalMs, this.opts.clock.now()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.current;
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  /** Sets the timer for `at`, unless it already fires sooner. */
  private schedule(at: number): void {
    if (this.stopped || at >= this.timerAt) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.current = this.runOnce();
    }, at - this.opts.clock.now());
  }

  private async runOnce(): Promise<void> {
    if (this.stopped) return;
    this.running = true;
    this.requested = false;
    this.lastRunAt = this.opts.clock.now();
    let failed = false;
    try {
      await this.opts.run();
    } catch (e) {
      this.opts.onError(e);
      failed = true;
      this.requested = true;
    } finally {
      this.running = false;
    }
    const min = this.lastRunAt + (failed ? Math.max(this.opts.minIntervalMs, this.opts.retryIntervalMs ?? 1000) : this.opts.minIntervalMs);
    this.schedule(this.requested ? Math.max(min, this.opts.clock.now()) : this.lastRunAt + this.opts.maxIntervalMs);
  }
}
