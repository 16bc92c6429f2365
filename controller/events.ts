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
import { rfc3339 } from './store/etcd-store';

const MAX_PENDING = 2000;
const CONCURRENCY = 8;

export interface EventRecorderLike {
  record(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export class EventRecorder implements EventRecorderLike {
  private readonly pending = new Map<string, { obj: KObject; type: 'Normal' | 'Warning'; reason: string; message: string; repeats: number }>();
  private running = 0;
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
      this.dropped++;
      return;
    }
    this.pending.set(name, { obj, type, reason, message, repeats: 1 });
    this.pump();
  }

  private pump(): void {
    while (this.running < CONCURRENCY && this.pending.size) {
      const [name, e] = this.pending.entries().next().value as [string, { obj: KObject; type: 'Normal' | 'Warning'; reason: string; message: string; repeats: number }];
      this.pending.delete(name);
      this.running++;
      this.write(name, e.obj, e.type, e.reason, e.message, e.repeats)
        .catch((err) => this.log.debug({ err: errorMessage(err), reason: e.reason }, 'event not recorded'))
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }

  private async write(name: string, obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string, repeats: number): Promise<void> {
    const ns = obj.metadata.namespace || 'default';
    const now = rfc3339(this.clock.now());
    const existing = this.known.get(name) ?? (await this.store.get<Event>('Event', ns, name));
    if (existing) {
      const updated = await this.store.update<Event>({ ...existing, count: existing.count + repeats, lastTimestamp: now, metadata: { ...existing.metadata, resourceVersion: undefined } });
      this.remember(name, updated);
      return;
    }
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name, uid: obj.metadata.uid },
      reason,
      message,
      type,
      count: repeats,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: this.component },
    };
    try {
      this.remember(name, await this.store.create(event));
    } catch (e) {
      if (!isKiteError(e, 'AlreadyExists')) throw e;
      this.known.delete(name);
      await this.write(name, obj, type, reason, message, repeats);
    }
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
