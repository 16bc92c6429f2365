// Watch fan-out. One etcd watch over the whole registry feeds every API watcher and informer in
// this process, with a ring of recent events so a client that reconnects with the last
// resourceVersion it saw resumes from memory, without missing or repeating an event. A watcher
// asking for history older than the ring gets its own etcd watch from that revision; history
// that etcd has compacted away ends the watch with Gone (the client then lists again).
import type { Etcd3, Watcher, IKeyValue } from 'etcd3';
import { AsyncQueue } from '../../common/async-queue';
import { gone } from '../../common/errors';
import { kindInfo } from '../../common/kinds/registry';
import type { KeyLayout } from './keys';
import { decode, type SealAt, type ValueSealer } from './codec';
import { compileFilter, type ObjectFilter } from './filter';
import type { ListOptions, StoreEvent } from './types';
import { throughFilter } from './semantics';

const RING_SIZE = 20_000;
/** A watcher that falls this far behind is dropped (Gone) instead of buffering without end. */
const SUBSCRIBER_LIMIT = 200_000;

interface Subscriber {
  kindPrefix: string;
  filter: ObjectFilter | undefined;
  queue: AsyncQueue<StoreEvent>;
  /**
   * Events at or below this revision are already known to the watcher. A watcher may start from a
   * list read straight from etcd, newer than what the hub has delivered so far: it must not see
   * those events again when they reach the hub.
   */
  after: number;
}

interface HubEvent {
  key: string;
  event: StoreEvent;
}

export class WatchHub {
  private watcher: Watcher | undefined;
  private starting: Promise<void> | undefined;
  /** Events the hub has seen, oldest first; `floor` is the revision before the oldest. */
  private ring: HubEvent[] = [];
  private floor = 0;
  private subscribers = new Set<Subscriber>();

  constructor(
    private readonly client: Etcd3,
    private readonly keys: KeyLayout,
    /** Opens the sealed kinds (Secrets) in events and their previous versions. */
    private readonly sealer?: ValueSealer,
  ) {}

  /** Starts the shared etcd watch at the current revision (idempotent). */
  start(): Promise<void> {
    this.starting ??= (async () => {
      const res = await this.client.get(this.keys.registry).exec();
      const rev = Number(res.header.revision);
      this.floor = rev;
      this.watcher = await this.client
        .watch()
        .prefix(this.keys.registry)
        .withPreviousKV()
        .startRevision(String(rev + 1))
        .create();
      this.watcher.on('data', (res) => {
        for (const ev of res.events) this.publish(ev.type === 'Delete' ? 'DELETED' : undefined, ev.kv, ev.prev_kv ?? undefined);
      });
      this.watcher.on('error', () => {
        /* the etcd3 client reconnects and resumes from the last revision by itself */
      });
    })().catch((e) => {
      this.starting = undefined;
      throw e;
    });
    return this.starting;
  }

  private publish(deleted: 'DELETED' | undefined, kv: IKeyValue, prev: IKeyValue | undefined): void {
    const key = kv.key.toString();
    const rev = kv.mod_revision;
    let event: StoreEvent;
    if (deleted) {
      if (!prev) return;
      const object = decode(prev.value, rev, { sealer: this.sealer, key });
      event = { type: 'DELETED', object, resourceVersion: rev };
    } else {
      const object = decode(kv.value, rev, { sealer: this.sealer, key });
      event = { type: kv.create_revision === kv.mod_revision ? 'ADDED' : 'MODIFIED', object, resourceVersion: rev };
      if (prev) lazyPrevious(event, prev, { sealer: this.sealer, key });
    }
    const hubEvent = { key, event };
    this.ring.push(hubEvent);
    if (this.ring.length > RING_SIZE * 1.25) {
      const drop = this.ring.length - RING_SIZE;
      this.floor = Number(this.ring[drop - 1]!.event.resourceVersion);
      this.ring = this.ring.slice(drop);
    }
    for (const s of this.subscribers) deliver(s, hubEvent);
  }

  watch(kind: string | undefined, opts: ListOptions & { resourceVersion: string }, signal: AbortSignal): AsyncIterable<StoreEvent> {
    const kindPrefix = kind ? this.keys.kindPrefix(kind, kindInfo(kind)?.namespaced ? opts.namespace : undefined) : this.keys.registry;
    const filter = compileFilter({ ...opts, namespace: kind ? undefined : opts.namespace });
    const queue = new AsyncQueue<StoreEvent>(SUBSCRIBER_LIMIT, () => gone('watcher fell too far behind; list again and watch from the new resourceVersion'));
    const from = Number(opts.resourceVersion || 0);
    const sub: Subscriber = { kindPrefix, filter, queue, after: from };

    const attach = async () => {
      await this.start();
      if (from >= this.floor) {
        // Replay what the ring holds after `from`, then go live; both happen in this tick so nothing slips between.
        for (let i = this.firstAfter(from); i < this.ring.length; i++) deliver(sub, this.ring[i]!);
        this.subscribers.add(sub);
      } else {
        await this.directWatch(sub, from, signal);
      }
    };
    attach().catch((e) => queue.fail(e));
    const onAbort = () => {
      this.subscribers.delete(sub);
      queue.end();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    return queue;
  }

  /** Index of the first ring event newer than `rev` (the ring is in revision order). */
  private firstAfter(rev: number): number {
    let lo = 0;
    let hi = this.ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (Number(this.ring[mid]!.event.resourceVersion) <= rev) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** A private etcd watch for a watcher that needs history older than the ring. */
  private async directWatch(sub: Subscriber, from: number, signal: AbortSignal): Promise<void> {
    // A watch whose start revision is compacted is cancelled by etcd right at creation, which the
    // etcd3 client mishandles on its shared stream ("Failed to find watcher for IWatchResponse":
    // the watcher then hangs). A range read at that revision fails cleanly instead, so ask first.
    try {
      await this.client.get(sub.kindPrefix).revision(from + 1).exec();
    } catch (e) {
      if (e instanceof Error && /compacted/i.test(e.message)) {
        sub.queue.fail(gone(`resourceVersion ${from} is too old (etcd compacted it); list again and watch from the new resourceVersion`));
        return;
      }
      throw e;
    }
    const watcher = await this.client.watch().prefix(sub.kindPrefix).withPreviousKV().startRevision(String(from + 1)).create();
    signal.addEventListener('abort', () => void watcher.cancel(), { once: true });
    watcher.on('data', (res) => {
      for (const ev of res.events) {
        const kv = ev.kv;
        const rev = kv.mod_revision;
        const key = kv.key.toString();
        const at = { sealer: this.sealer, key };
        if (ev.type === 'Delete') {
          if (ev.prev_kv) deliver(sub, { key, event: { type: 'DELETED', object: decode(ev.prev_kv.value, rev, at), resourceVersion: rev } });
        } else {
          const previous = ev.prev_kv ? decode(ev.prev_kv.value, ev.prev_kv.mod_revision, at) : undefined;
          deliver(sub, { key, event: { type: kv.create_revision === kv.mod_revision ? 'ADDED' : 'MODIFIED', object: decode(kv.value, rev, at), previous, resourceVersion: rev } });
        }
      }
    });
    // The etcd3 client reconnects by itself on network errors; 'error' on a watcher means etcd
    // cancelled it. For a start revision below the compaction point etcd 3.4 cancels with an empty
    // reason (only compact_revision is set, which the client does not pass on), so any cancellation
    // ends the watch with Gone: the client lists again instead of waiting forever.
    watcher.on('error', (err) => {
      const reason = err.message.replace(/^Watcher canceled:\s*/, '').trim();
      const why = !reason || /compact/i.test(reason) ? 'etcd compacted it' : `etcd cancelled the watch: ${reason}`;
      sub.queue.fail(gone(`resourceVersion ${from} is too old (${why}); list again and watch from the new resourceVersion`));
      void watcher.cancel().catch(() => undefined);
    });
  }

  close(): void {
    for (const s of this.subscribers) s.queue.end();
    this.subscribers.clear();
    void this.watcher?.cancel();
  }
}

/**
 * The previous version is needed only by watchers with a selector (to see objects leave it), so it
 * is decoded on first use: most events never pay for a second JSON.parse.
 */
function lazyPrevious(event: StoreEvent, prev: IKeyValue, at: SealAt): void {
  let decoded: StoreEvent['previous'];
  Object.defineProperty(event, 'previous', {
    enumerable: true,
    configurable: true,
    get: () => (decoded ??= decode(prev.value, prev.mod_revision, at)),
  });
}

function deliver(sub: Subscriber, e: HubEvent): void {
  if (!e.key.startsWith(sub.kindPrefix) || Number(e.event.resourceVersion) <= sub.after) return;
  const seen = throughFilter(e.event, sub.filter);
  if (seen) sub.queue.push(seen);
}
