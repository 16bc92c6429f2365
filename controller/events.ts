// Event recording: what happened to an object, deduplicated (same object, reason and message
// bump a count instead of writing a new Event), written asynchronously and bounded so that a
// storm of events can never slow the component that reports them. Events expire after a TTL.
import { createHash } from 'node:crypto';
import type { Event, KObject } from '../common/api/types';
import type { Logger } from '../common/log';
import { errorMessage, isKiteError } from '../common/errors';
import type { Clock } from '../common/clock';
import { systemClock } from '../common/clock';
import type { ObjectStore } from './store/types';
import { forEachBounded } from '../common/concurrency';
import { rfc3339 } from './store/etcd-store';

const MAX_PENDING = 5000;
const FLUSH_MS = 50;
const UPDATE_CONCURRENCY = 8;

export interface EventRecorderLike {
  record(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

interface PendingEvent {
  obj: KObject;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  repeats: number;
}

export class EventRecorder implements EventRecorderLike {
  private pending = new Map<string, PendingEvent>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private flushing = false;
  private dropped = 0;
  private readonly known = new Map<string, Event>();

  constructor(
    private readonly store: ObjectStore,
    private readonly component: string,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  record(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const name = eventName(obj, reason, message);
    const p = this.pending.get(name);
    if (p) {
      p.repeats++;
      return;
    }
    if (this.pending.size >= MAX_PENDING) {
      if (this.dropped++ % 1000 === 0) this.log.warn({ dropped: this.dropped }, 'too many events at once; dropping some');
      return;
    }
    this.pending.set(name, { obj, type, reason, message, repeats: 1 });
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /**
   * Writes what is pending: new events in batched creates (a burst of 10,000 Scheduled events is
   * a hundred transactions), repeats as count updates. One flush at a time; records made meanwhile
   * wait for the next one.
   */
  private async flush(): Promise<void> {
    this.timer = undefined;
    if (this.flushing) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
      return;
    }
    this.flushing = true;
    const batch = this.pending;
    this.pending = new Map();
    try {
      const fresh: [string, PendingEvent][] = [];
      const repeats: [string, PendingEvent][] = [];
      for (const entry of batch) (this.known.has(entry[0]) ? repeats : fresh).push(entry);
      const now = rfc3339(this.clock.now());
      const created = await this.store.createMany(fresh.map(([name, e]) => this.newEvent(name, e, now)));
      created.forEach((r, i) => {
        const [name, e] = fresh[i]!;
        if (!(r instanceof Error)) this.remember(name, r);
        else if (isKiteError(r, 'AlreadyExists')) repeats.push([name, e]);
        else this.log.debug({ err: errorMessage(r), reason: e.reason }, 'event not recorded');
      });
      await forEachBounded(repeats, UPDATE_CONCURRENCY, ([name, e]) =>
        this.bump(name, e, now).catch((err) => this.log.debug({ err: errorMessage(err), reason: e.reason }, 'event not recorded')),
      );
    } finally {
      this.flushing = false;
    }
  }

  private newEvent(name: string, e: PendingEvent, now: string): Event {
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: e.obj.metadata.namespace || 'default' },
      involvedObject: { kind: e.obj.kind, namespace: e.obj.metadata.namespace, name: e.obj.metadata.name, uid: e.obj.metadata.uid },
      reason: e.reason,
      message: e.message,
      type: e.type,
      count: e.repeats,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: this.component },
    };
  }

  /** Adds repeats to an existing event's count. */
  private async bump(name: string, e: PendingEvent, now: string): Promise<void> {
    const ns = e.obj.metadata.namespace || 'default';
    const existing = this.known.get(name) ?? (await this.store.get<Event>('Event', ns, name));
    if (!existing) {
      this.known.delete(name);
      this.remember(name, await this.store.create(this.newEvent(name, e, now)));
      return;
    }
    const updated = await this.store.update<Event>({ ...existing, count: existing.count + e.repeats, lastTimestamp: now, metadata: { ...existing.metadata, resourceVersion: undefined } });
    this.remember(name, updated);
  }

  private remember(name: string, e: Event): void {
    this.known.set(name, e);
    if (this.known.size > 5000) this.known.delete(this.known.keys().next().value as string);
  }
}

function eventName(obj: KObject, reason: string, message: string): string {
  const h = createHash('sha1').update(`${obj.metadata.uid ?? ''}/${reason}/${message}`).digest('hex').slice(0, 10);
  return `${obj.metadata.name}.${h}`.slice(0, 253);
}

/** Deletes Events older than the TTL (by lastTimestamp). */
export async function expireEvents(store: ObjectStore, ttlMs: number, nowMs: number): Promise<number> {
  const { items } = await store.list<Event>('Event');
  let n = 0;
  for (const e of items) {
    if (nowMs - Date.parse(e.lastTimestamp) > ttlMs) {
      await store.delete('Event', e.metadata.namespace ?? 'default', e.metadata.name).catch(() => undefined);
      n++;
    }
  }
  return n;
}

/** Leader component: deletes expired Events every minute (default TTL one hour, as Kubernetes). */
export class EventExpiry {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly store: ObjectStore,
    private readonly log: Logger,
    private readonly ttlMs = 3_600_000,
    private readonly clock: Clock = systemClock,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      expireEvents(this.store, this.ttlMs, this.clock.now()).then(
        (n) => n && this.log.debug({ deleted: n }, 'expired events'),
        (e) => this.log.debug({ err: errorMessage(e) }, 'event expiry failed'),
      );
    }, 60_000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
