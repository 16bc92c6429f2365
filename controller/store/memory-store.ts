// AN IN-MEMORY FAKE OF THE OBJECT STORE, FOR UNIT TESTS ONLY.
// It follows EtcdStore's semantics: one global revision counter is every object's resourceVersion;
// create sets uid/creationTimestamp/generation; update keeps status and bumps generation only when
// the spec changes; a stale resourceVersion is a Conflict; watches replay a ring of recent history
// (ADDED/MODIFIED/DELETED with `previous`) and end with Gone when asked for compacted history.
// Objects are copied on the way in and out, as they would be by serialisation.
import { randomUUID } from 'node:crypto';
import type { KObject } from '../../common/api/types';
import { kindInfo } from '../../common/kinds/registry';
import { alreadyExists, conflict, gone, invalid, notFound } from '../../common/errors';
import type { Clock } from '../../common/clock';
import { systemClock } from '../../common/clock';
import { AsyncQueue } from '../../common/async-queue';
import { mergeUpdate, planDelete, removeAfterUpdate, rfc3339, throughFilter } from './semantics';
import { compileFilter, type ObjectFilter } from './filter';
import type { DeleteOptions, DeleteResult, ListOptions, ListResult, ObjectStore, StoreEvent } from './types';

const DEFAULT_HISTORY = 10_000;

interface Subscriber {
  kind: string | undefined;
  namespace: string | undefined;
  filter: ObjectFilter | undefined;
  queue: AsyncQueue<StoreEvent>;
}

export interface MemoryStoreOptions {
  clock?: Clock;
  /** How many events the watch history keeps; older revisions are "compacted" (Gone). */
  historySize?: number;
}

export class MemoryStore implements ObjectStore {
  private rev = 0;
  private readonly objects = new Map<string, KObject>();
  private history: StoreEvent[] = [];
  /** The revision before the oldest event in history: watching from below it is Gone. */
  private floor = 0;
  private readonly subscribers = new Set<Subscriber>();
  private readonly clock: Clock;
  private readonly historySize: number;

  constructor(opts: MemoryStoreOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.historySize = opts.historySize ?? DEFAULT_HISTORY;
  }

  async revision(): Promise<string> {
    return String(this.rev);
  }

  async get<T extends KObject = KObject>(kind: string, namespace: string, name: string): Promise<T | undefined> {
    const obj = this.objects.get(keyOf(kind, namespace, name));
    return obj ? (clone(obj) as T) : undefined;
  }

  async list<T extends KObject = KObject>(kind: string, opts: ListOptions = {}): Promise<ListResult<T>> {
    requireKind(kind);
    const filter = compileFilter(opts);
    const items: T[] = [];
    for (const obj of this.objects.values()) {
      if (obj.kind === kind && (!filter || filter(obj))) items.push(clone(obj) as T);
    }
    items.sort((a, b) => keyOf(a.kind, a.metadata.namespace ?? '', a.metadata.name).localeCompare(keyOf(b.kind, b.metadata.namespace ?? '', b.metadata.name)));
    return { items, resourceVersion: String(this.rev) };
  }

  async createMany<T extends KObject>(objs: T[]): Promise<(T | Error)[]> {
    const out: (T | Error)[] = [];
    for (const o of objs) {
      try {
        out.push(await this.create(o));
      } catch (e) {
        out.push(e as Error);
      }
    }
    return out;
  }

  async create<T extends KObject>(obj: T): Promise<T> {
    const info = requireKind(obj.kind);
    const namespace = info.namespaced ? obj.metadata.namespace || 'default' : undefined;
    const key = keyOf(obj.kind, namespace ?? '', obj.metadata.name);
    if (this.objects.has(key)) throw alreadyExists(`${obj.kind} "${obj.metadata.name}" already exists`);
    const created = clone({
      ...obj,
      metadata: {
        ...obj.metadata,
        namespace,
        uid: randomUUID(),
        creationTimestamp: rfc3339(this.clock.now()),
        generation: 1,
        resourceVersion: String(++this.rev),
      },
    }) as T;
    this.objects.set(key, created);
    this.publish({ type: 'ADDED', object: created, resourceVersion: String(this.rev) });
    return clone(created) as T;
  }

  async update<T extends KObject>(obj: T): Promise<T> {
    return this.replace(obj, 'spec');
  }

  async updateStatus<T extends KObject>(obj: T): Promise<T> {
    return this.replace(obj, 'status');
  }

  async updateMany(objs: KObject[], mode: 'spec' | 'status'): Promise<(KObject | Error)[]> {
    const out: (KObject | Error)[] = [];
    for (const obj of objs) {
      if (!obj.metadata.resourceVersion) {
        out.push(invalid('updateMany needs metadata.resourceVersion on every object'));
        continue;
      }
      try {
        out.push(this.replaceNow(obj, mode));
      } catch (e) {
        out.push(e as Error);
      }
    }
    return out;
  }

  async delete(kind: string, namespace: string, name: string, opts: DeleteOptions = {}): Promise<DeleteResult> {
    const info = requireKind(kind);
    const key = keyOf(kind, info.namespaced ? namespace || 'default' : '', name);
    const current = this.objects.get(key);
    if (!current) throw notFound(`${kind} "${name}" not found`);
    if (opts.resourceVersion && opts.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(`${kind} "${name}": resourceVersion ${opts.resourceVersion} is stale, current is ${current.metadata.resourceVersion}`);
    }
    const plan = planDelete(current, opts, rfc3339(this.clock.now()));
    if (!plan.remove) {
      if (!plan.changed) return { object: clone(current), removed: false };
      return { object: this.store(key, plan.object, current), removed: false };
    }
    this.remove(key, current);
    return { object: clone(current), removed: true };
  }

  private remove(key: string, current: KObject): void {
    this.objects.delete(key);
    const rev = String(++this.rev);
    // As in etcd, a DELETED event carries the last stored object at the deletion's revision.
    this.publish({ type: 'DELETED', object: clone({ ...current, metadata: { ...current.metadata, resourceVersion: rev } }), resourceVersion: rev });
  }

  private store(key: string, obj: KObject, current: KObject): KObject {
    const next = clone(obj);
    next.metadata.resourceVersion = String(++this.rev);
    this.objects.set(key, next);
    this.publish({ type: 'MODIFIED', object: next, previous: current, resourceVersion: next.metadata.resourceVersion });
    return clone(next);
  }

  watch(kind: string | undefined, opts: ListOptions & { resourceVersion: string }, signal: AbortSignal): AsyncIterable<StoreEvent> {
    if (kind) requireKind(kind);
    const queue = new AsyncQueue<StoreEvent>();
    const from = Number(opts.resourceVersion || 0);
    const sub: Subscriber = { kind, namespace: opts.namespace || undefined, filter: compileFilter({ ...opts, namespace: undefined }), queue };
    if (from < this.floor) {
      queue.fail(gone(`resourceVersion ${from} is too old; list again and watch from the new resourceVersion`));
      return queue;
    }
    for (const e of this.history) if (Number(e.resourceVersion) > from) deliver(sub, e);
    this.subscribers.add(sub);
    const onAbort = () => {
      this.subscribers.delete(sub);
      queue.end();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    return queue;
  }

  /** Test helper: forget history up to the current revision, so older watches get Gone. */
  compact(): void {
    this.history = [];
    this.floor = this.rev;
  }

  /** Ends every open watch (as if the connection broke); informers then list again. */
  breakWatches(): void {
    for (const s of this.subscribers) s.queue.fail(gone('watch broken by test'));
    this.subscribers.clear();
  }

  private async replace<T extends KObject>(obj: T, mode: 'spec' | 'status'): Promise<T> {
    return this.replaceNow(obj, mode) as T;
  }

  private replaceNow(obj: KObject, mode: 'spec' | 'status'): KObject {
    const info = requireKind(obj.kind);
    const key = keyOf(obj.kind, info.namespaced ? obj.metadata.namespace || 'default' : '', obj.metadata.name);
    const current = this.objects.get(key);
    if (!current) throw notFound(`${obj.kind} "${obj.metadata.name}" not found`);
    const wanted = obj.metadata.resourceVersion;
    if (wanted && wanted !== current.metadata.resourceVersion) {
      throw conflict(
        `Operation cannot be fulfilled on ${obj.kind} "${obj.metadata.name}": the object has been modified ` +
          `(resourceVersion ${wanted} is stale, current is ${current.metadata.resourceVersion}); read it again and reapply your change`,
      );
    }
    const next = mergeUpdate(current, obj, mode);
    if (removeAfterUpdate(next)) {
      this.remove(key, current);
      return clone(next);
    }
    return this.store(key, next, current);
  }

  private publish(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historySize) {
      const dropped = this.history.shift()!;
      this.floor = Number(dropped.resourceVersion);
    }
    for (const s of this.subscribers) deliver(s, event);
  }
}

/** Delivers one event to a watcher, with the same selector semantics as the etcd watch hub. */
function deliver(sub: Subscriber, e: StoreEvent): void {
  const obj = e.object;
  if (sub.kind && obj.kind !== sub.kind) return;
  if (sub.namespace && obj.metadata.namespace !== sub.namespace) return;
  const seen = throughFilter(e, sub.filter);
  if (seen) sub.queue.push({ ...seen, object: clone(seen.object), previous: seen.previous ? clone(seen.previous) : undefined });
}

function keyOf(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

function requireKind(kind: string) {
  const info = kindInfo(kind);
  if (!info) throw invalid(`unknown kind "${kind}"`);
  return info;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}
