// Expectations (as in Kubernetes' controllers): the informer cache lags behind our own writes, so
// after creating or deleting pods for an owner we wait until the cache has seen those changes
// before counting that owner's pods again; otherwise a second pass would create duplicates.
// This is only a guard against our own cache lag, never a source of truth: it expires on its own,
// and a new leader starts with none.
import type { Clock } from '../../common/clock';

const EXPIRY_MS = 30_000;

interface Pending {
  adds: Set<string>;
  dels: Set<string>;
  since: number;
}

export class Expectations {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly clock: Clock) {}

  expectCreations(owner: string, podKeys: string[]): void {
    const p = this.entry(owner);
    for (const k of podKeys) p.adds.add(k);
  }

  expectDeletions(owner: string, podKeys: string[]): void {
    const p = this.entry(owner);
    for (const k of podKeys) p.dels.add(k);
  }

  /** The pod appeared in the cache (or its create failed: it never will). */
  created(owner: string, podKey: string): void {
    this.pending.get(owner)?.adds.delete(podKey);
    this.cleanup(owner);
  }

  /** The pod disappeared from the cache (or its delete failed). */
  deleted(owner: string, podKey: string): void {
    this.pending.get(owner)?.dels.delete(podKey);
    this.cleanup(owner);
  }

  /** True when the cache reflects every write we made for this owner, or when we waited too long. */
  satisfied(owner: string): boolean {
    const p = this.pending.get(owner);
    if (!p) return true;
    if (this.clock.now() - p.since >= EXPIRY_MS) {
      this.pending.delete(owner);
      return true;
    }
    return false;
  }

  /** Milliseconds until the owner's expectations expire (for a safety-net requeue). */
  expiresInMs(owner: string): number {
    const p = this.pending.get(owner);
    return p ? Math.max(0, p.since + EXPIRY_MS - this.clock.now()) : 0;
  }

  forget(owner: string): void {
    this.pending.delete(owner);
  }

  private entry(owner: string): Pending {
    let p = this.pending.get(owner);
    if (!p) {
      p = { adds: new Set(), dels: new Set(), since: this.clock.now() };
      this.pending.set(owner, p);
    }
    p.since = this.clock.now();
    return p;
  }

  private cleanup(owner: string): void {
    const p = this.pending.get(owner);
    if (p && p.adds.size === 0 && p.dels.size === 0) this.pending.delete(owner);
  }
}
