// Status reporting: only changed statuses go out, coalesced into at most one batch per window.
// The window is leading-edge: after a quiet spell a change goes out at once (a lone pod turning
// Running should not wait), while a burst of changes is held to one batch per flushMs.
import type { Clock, Timer } from '../../common/clock';
import type { PodStatusReport } from '../../common/generated/kite/v1/PodStatusReport';

export class StatusReporter {
  private readonly last = new Map<string, string>();
  private readonly pending = new Map<string, PodStatusReport>();
  private timer: Timer | undefined;
  private lastFlushAt = -Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly flushMs: number,
    private readonly sink: (reports: PodStatusReport[]) => void,
  ) {}

  /** Queues `r` if it differs from the last status sent for its pod (observed_at ignored). */
  report(r: PodStatusReport): void {
    const uid = r.uid ?? '';
    const key = JSON.stringify({ ...r, observed_at: '' });
    if (this.last.get(uid) === key) return;
    this.last.set(uid, key);
    this.pending.set(uid, r);
    if (this.timer === undefined) {
      // A 0 ms timer still lets changes made in the same turn share the batch.
      const wait = Math.max(0, this.lastFlushAt + this.flushMs - this.clock.now());
      this.timer = this.clock.setTimeout(() => this.flush(), wait);
    }
  }

  /** Forget a pod, so a pod re-created with the same uid reports again. */
  forget(uid: string): void {
    this.last.delete(uid);
    this.pending.delete(uid);
  }

  /** Sends whatever is pending now. */
  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    this.lastFlushAt = this.clock.now();
    const batch = [...this.pending.values()];
    this.pending.clear();
    this.sink(batch);
  }

  close(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
