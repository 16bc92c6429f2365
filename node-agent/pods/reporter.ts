// Status reporting: only changed statuses go out, coalesced into one batch per window.
import type { Clock, Timer } from '../../common/clock';
import type { PodStatusReport } from '../../common/generated/kite/v1/PodStatusReport';

export class StatusReporter {
  private readonly last = new Map<string, string>();
  private readonly pending = new Map<string, PodStatusReport>();
  private timer: Timer | undefined;

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
    if (this.timer === undefined) this.timer = this.clock.setTimeout(() => this.flush(), this.flushMs);
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
    const batch = [...this.pending.values()];
    this.pending.clear();
    this.sink(batch);
  }

  close(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
