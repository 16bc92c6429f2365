// Crash-loop back-off as the kubelet does it: the first restart is immediate, then each restart
// that follows a crash within the current window waits base, 2*base, 4*base ... capped at max.
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** A container that ran at least this long resets the back-off. */
  resetAfterMs: number;
}

/** A back-off's state as plain data, for the pure pod decisions (see decide.ts). */
export interface BackoffSnapshot {
  /** When the last attempt ran. */
  lastAt: number;
  /** Wait after lastAt before the next attempt (0: none). */
  windowMs: number;
}

/** When the next attempt may run, once a run of `ranMs` has been noted (a long run resets the window). */
export function readyAtAfterRun(s: BackoffSnapshot, ranMs: number, opts: Pick<BackoffOptions, 'resetAfterMs'>): number {
  return s.lastAt + (ranMs >= opts.resetAfterMs ? 0 : s.windowMs);
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

export class Backoff {
  private windowMs = 0;
  private lastAt = 0;

  constructor(private readonly opts: BackoffOptions) {}

  /** Forget the history when the last run was long enough. */
  noteRun(ranMs: number): void {
    if (ranMs >= this.opts.resetAfterMs) this.windowMs = 0;
  }

  /** Time at which the next attempt may run (<= now means at once). */
  readyAt(): number {
    return this.lastAt + this.windowMs;
  }

  /** Current wait, for messages ("back-off 20s"). */
  get currentMs(): number {
    return this.windowMs;
  }

  snapshot(): BackoffSnapshot {
    return { lastAt: this.lastAt, windowMs: this.windowMs };
  }

  /** Records an attempt at `now` and widens the window for the next one. */
  attempt(now: number): void {
    this.windowMs = this.windowMs === 0 ? this.opts.baseMs : Math.min(this.windowMs * 2, this.opts.maxMs);
    this.lastAt = now;
  }
}
