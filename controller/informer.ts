// An informer: a local cache of one kind kept current by list-then-watch, with handlers for
// changes. When the watch breaks (etcd down, history compacted) it lists again and reports a
// resync, so consumers stay level-triggered. Objects handed out are shared: never mutate them.
import type { KObject } from '../common/api/types';
import type { Logger } from '../common/log';
import { errorMessage } from '../common/errors';
import { sleep } from '../common/clock';
import type { ObjectStore, WatchEventType } from './store/types';

export type InformerHandler<T> = (type: WatchEventType, obj: T, old: T | undefined) => void;

export function objectKey(obj: KObject): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
}

export class Informer<T extends KObject = KObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: InformerHandler<T>[] = [];
  private readonly resyncHandlers: (() => void)[] = [];
  private controller = new AbortController();
  private syncedResolve!: () => void;
  /** Resolves once the first list has been loaded. */
  readonly synced = new Promise<void>((r) => (this.syncedResolve = r));
  resourceVersion = '0';

  constructor(
    private readonly store: ObjectStore,
    readonly kind: string,
    private readonly log: Logger,
  ) {}

  on(handler: InformerHandler<T>): this {
    this.handlers.push(handler);
    return this;
  }

  onResync(handler: () => void): this {
    this.resyncHandlers.push(handler);
    return this;
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  list(): IterableIterator<T> {
    return this.cache.values();
  }

  get size(): number {
    return this.cache.size;
  }

  start(): void {
    void this.run(this.controller.signal);
  }

  stop(): void {
    this.controller.abort();
    this.controller = new AbortController();
  }

  private async run(signal: AbortSignal): Promise<void> {
    let backoff = 200;
    while (!signal.aborted) {
      try {
        const listed = await this.store.list<T>(this.kind);
        this.replace(listed.items);
        this.resourceVersion = listed.resourceVersion;
        this.syncedResolve();
        backoff = 200;
        for await (const ev of this.store.watch(this.kind, { resourceVersion: this.resourceVersion }, signal)) {
          const obj = ev.object as T;
          const key = objectKey(obj);
          const old = this.cache.get(key);
          if (ev.type === 'DELETED') this.cache.delete(key);
          else this.cache.set(key, obj);
          this.resourceVersion = ev.resourceVersion;
          this.emit(ev.type, obj, old);
        }
      } catch (e) {
        if (signal.aborted) return;
        this.log.warn({ kind: this.kind, err: errorMessage(e) }, 'watch broke; listing again');
        await sleep(backoff, signal).catch(() => undefined);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  /** Swaps in a fresh list, emitting the differences so handlers see deletions that happened while we were away. */
  private replace(items: T[]): void {
    const fresh = new Map(items.map((o) => [objectKey(o), o]));
    const first = this.cache.size === 0;
    for (const [key, old] of this.cache) {
      if (!fresh.has(key)) {
        this.cache.delete(key);
        this.emit('DELETED', old, old);
      }
    }
    for (const [key, obj] of fresh) {
      const old = this.cache.get(key);
      this.cache.set(key, obj);
      if (!old) this.emit('ADDED', obj, undefined);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emit('MODIFIED', obj, old);
    }
    if (!first) for (const h of this.resyncHandlers) h();
  }

  private emit(type: WatchEventType, obj: T, old: T | undefined): void {
    for (const h of this.handlers) {
      try {
        h(type, obj, old);
      } catch (e) {
        this.log.error({ kind: this.kind, err: e }, 'informer handler failed');
      }
    }
  }
}
