// The ObjectStore on etcd: optimistic concurrency on mod revisions, one transaction per write,
// batched transactions for the high-volume writers (bindings, pod status).
import { randomUUID } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import type { KObject } from '../../common/api/types';
import { kindInfo } from '../../common/kinds/registry';
import { alreadyExists, conflict, invalid, notFound, isKiteError } from '../../common/errors';
import type { Clock } from '../../common/clock';
import { systemClock } from '../../common/clock';
import { KeyLayout } from './keys';
import { encode, decode, textSealer, type ByteSealer, type SealAt, type ValueSealer } from './codec';
import { compileFilter } from './filter';
import { mapEtcdError } from './errors';
import type { DeleteOptions, DeleteResult, ListOptions, ListResult, ObjectStore, StoreEvent } from './types';
import { WatchHub } from './watch-hub';
import { forEachBounded } from '../../common/concurrency';
import { mergeUpdate, planDelete, removeAfterUpdate, rfc3339 } from './semantics';

/** etcd's default limit on operations per transaction is 128. */
const MAX_TXN_OPS = 100;
/** Transactions in flight at once for batched writes: etcd is fastest at 64-256 concurrent requests. */
const BATCH_CONCURRENCY = 16;

export interface EtcdStoreOptions {
  client: Etcd3;
  keys?: KeyLayout;
  clock?: Clock;
  /** Where etcd request latency goes (ControllerMetrics fits); none when omitted. */
  metrics?: EtcdStoreMetrics;
  /** Encrypts the sealed kinds (Secrets) at rest (KeyRing fits); stored in plain JSON when omitted. */
  keyring?: ByteSealer;
}

export type EtcdOperation = 'get' | 'list' | 'create' | 'update' | 'delete' | 'txn_batch';

export interface EtcdStoreMetrics {
  etcdLatency: { observe(labels: { operation: string }, seconds: number): void };
}

export class EtcdStore implements ObjectStore {
  readonly client: Etcd3;
  readonly keys: KeyLayout;
  private readonly clock: Clock;
  private readonly metrics: EtcdStoreMetrics | undefined;
  private readonly sealer: ValueSealer | undefined;
  readonly hub: WatchHub;

  constructor(opts: EtcdStoreOptions) {
    this.client = opts.client;
    this.keys = opts.keys ?? new KeyLayout();
    this.clock = opts.clock ?? systemClock;
    this.metrics = opts.metrics;
    this.sealer = opts.keyring ? textSealer(opts.keyring) : undefined;
    this.hub = new WatchHub(this.client, this.keys, this.sealer);
  }

  async revision(): Promise<string> {
    return this.timed('get', async () => {
      const res = await this.client.get(this.keys.election + '/__rev__').exec();
      return res.header.revision;
    });
  }

  async get<T extends KObject = KObject>(kind: string, namespace: string, name: string): Promise<T | undefined> {
    const key = this.keys.object(kind, namespace, name);
    return this.timed('get', async () => {
      const res = await this.client.get(key).exec();
      const kv = res.kvs[0];
      return kv ? decode<T>(kv.value, kv.mod_revision, this.at(key)) : undefined;
    });
  }

  async list<T extends KObject = KObject>(kind: string, opts: ListOptions = {}): Promise<ListResult<T>> {
    const prefix = this.keys.kindPrefix(kind, opts.namespace);
    const filter = compileFilter({ ...opts, namespace: undefined });
    return this.timed('list', async () => {
      const res = await this.client.getAll().prefix(prefix).exec();
      const items: T[] = [];
      for (const kv of res.kvs) {
        const obj = decode<T>(kv.value, kv.mod_revision, this.at(kv.key.toString()));
        if (!filter || filter(obj)) items.push(obj);
      }
      return { items, resourceVersion: res.header.revision };
    });
  }

  /** The object as the server stores it on creation: uid, creationTimestamp, generation 1. */
  private forCreate<T extends KObject>(obj: T): { created: T; key: string } {
    const info = kindInfo(obj.kind);
    if (!info) throw invalid(`unknown kind "${obj.kind}"`);
    const namespace = info.namespaced ? obj.metadata.namespace || 'default' : undefined;
    const created = {
      ...obj,
      metadata: {
        ...obj.metadata,
        namespace,
        uid: randomUUID(),
        creationTimestamp: rfc3339(this.clock.now()),
        generation: 1,
        resourceVersion: undefined,
      },
    } as T;
    return { created, key: this.keys.object(obj.kind, namespace ?? '', obj.metadata.name) };
  }

  async create<T extends KObject>(obj: T): Promise<T> {
    const { created, key } = this.forCreate(obj);
    return this.timed('create', async () => {
      const res = await this.client.if(key, 'Create', '==', 0).then(this.client.put(key).value(encode(created, this.at(key)))).commit();
      if (!res.succeeded) throw alreadyExists(`${obj.kind} "${obj.metadata.name}" already exists`);
      created.metadata.resourceVersion = res.header.revision;
      return created;
    });
  }

  /**
   * Creates many objects in few transactions (up to 100 per transaction, several in flight); each
   * entry succeeds or fails (AlreadyExists) on its own. The ReplicaSet controller's and the event
   * recorder's bulk path: 10,000 pods cost 100 round trips instead of 10,000.
   */
  async createMany<T extends KObject>(objs: T[]): Promise<(T | Error)[]> {
    const out: (T | Error)[] = new Array(objs.length);
    const prepared: { i: number; key: string; obj: T }[] = [];
    objs.forEach((o, i) => {
      try {
        const { key, created } = this.forCreate(o);
        prepared.push({ i, key, obj: created });
      } catch (e) {
        out[i] = e as Error;
      }
    });
    const chunks: (typeof prepared)[] = [];
    for (let i = 0; i < prepared.length; i += MAX_TXN_OPS) chunks.push(prepared.slice(i, i + MAX_TXN_OPS));
    await forEachBounded(chunks, BATCH_CONCURRENCY, (chunk) =>
      this.txnOrEach(
        chunk,
        out,
        { target: 'Create', value: () => 0 },
        (p, revision) => {
          p.obj.metadata.resourceVersion = revision;
          return p.obj;
        },
        // One of them exists already: create each on its own so the others still go through.
        (p) => this.create(objs[p.i]!),
      ),
    );
    return out;
  }

  update<T extends KObject>(obj: T): Promise<T> {
    return this.replace(obj, 'spec');
  }

  updateStatus<T extends KObject>(obj: T): Promise<T> {
    return this.replace(obj, 'status');
  }

  /**
   * Read-merge-write guarded by the mod revision. With a caller resourceVersion a stale write is a
   * Conflict; without one the write applies on top of the latest version (retried on races).
   */
  private async replace<T extends KObject>(obj: T, mode: 'spec' | 'status'): Promise<T> {
    const ns = kindInfo(obj.kind)?.namespaced ? obj.metadata.namespace || 'default' : '';
    const key = this.keys.object(obj.kind, ns, obj.metadata.name);
    for (let attempt = 0; ; attempt++) {
      const current = await this.get<T>(obj.kind, ns, obj.metadata.name);
      if (!current) throw notFound(`${obj.kind} "${obj.metadata.name}" not found`);
      const wanted = obj.metadata.resourceVersion;
      if (wanted && wanted !== current.metadata.resourceVersion) {
        throw conflict(staleMessage(obj, wanted, current.metadata.resourceVersion!));
      }
      const next = mergeUpdate(current, obj, mode);
      // The update that removes a marked object's last finalizer completes its deletion.
      const write = removeAfterUpdate(next) ? this.client.delete().key(key) : this.client.put(key).value(encode(next, this.at(key)));
      const res = await this.timed('update', () => this.client.if(key, 'Mod', '==', Number(current.metadata.resourceVersion)).then(write).commit());
      if (res.succeeded) {
        next.metadata.resourceVersion = res.header.revision;
        return next;
      }
      if (wanted || attempt >= 5) throw conflict(staleMessage(obj, wanted ?? current.metadata.resourceVersion!, 'newer'));
    }
  }

  /**
   * With `onStale: 'conflict'` an entry whose resourceVersion is stale fails with Conflict instead of
   * being re-applied on the latest version: for writers whose data is advisory (usage), so they never
   * overwrite a newer status with an older copy.
   */
  async updateMany(objs: KObject[], mode: 'spec' | 'status', opts: { onStale?: 'retry' | 'conflict' } = {}): Promise<(KObject | Error)[]> {
    const results: (KObject | Error)[] = new Array(objs.length);
    const chunks: number[][] = [];
    for (let i = 0; i < objs.length; i += MAX_TXN_OPS) chunks.push(range(i, Math.min(objs.length, i + MAX_TXN_OPS)));
    await forEachBounded(chunks, BATCH_CONCURRENCY, (chunk) => this.commitChunk(objs, chunk, mode, results, opts.onStale ?? 'retry'));
    return results;
  }

  /**
   * One transaction for a chunk. Each entry carries the resourceVersion it was computed from (the
   * caller's cached copy); the whole txn fails if any compare fails, and then we fall back to
   * per-object writes so one stale entry does not sink the others.
   */
  private async commitChunk(objs: KObject[], idx: number[], mode: 'spec' | 'status', out: (KObject | Error)[], onStale: 'retry' | 'conflict'): Promise<void> {
    const prepared: { i: number; key: string; obj: KObject }[] = [];
    for (const i of idx) {
      const obj = objs[i]!;
      const ns = kindInfo(obj.kind)?.namespaced ? obj.metadata.namespace || 'default' : '';
      const key = this.keys.object(obj.kind, ns, obj.metadata.name);
      if (!obj.metadata.resourceVersion) {
        out[i] = invalid('updateMany needs metadata.resourceVersion on every object');
        continue;
      }
      prepared.push({ i, key, obj });
    }
    if (prepared.length === 0) return;
    await this.txnOrEach(
      prepared,
      out,
      { target: 'Mod', value: (p) => Number(p.obj.metadata.resourceVersion) },
      (p, revision) => ({ ...p.obj, metadata: { ...p.obj.metadata, resourceVersion: revision } }),
      // Someone else wrote one of these in between: write each on its own, against its own revision.
      (p) => {
        // Status is merged onto the latest version; a spec write (a binding) must not be.
        const obj = mode === 'status' && onStale === 'retry' ? { ...p.obj, metadata: { ...p.obj.metadata, resourceVersion: undefined } } : p.obj;
        return this.replace(obj, mode);
      },
    );
  }

  /**
   * Puts every entry in one transaction guarded by a compare per key (Create == 0 for creates, Mod
   * == resourceVersion for updates). When any compare fails, `each` writes the entries one by one so
   * one loser does not sink the others. Each entry's result or error lands in out[entry.i].
   */
  private async txnOrEach<E extends { i: number; key: string; obj: KObject }, R>(
    entries: E[],
    out: (R | Error)[],
    compare: { target: 'Create' | 'Mod'; value: (entry: E) => number },
    committed: (entry: E, revision: string) => R,
    each: (entry: E) => Promise<R>,
  ): Promise<void> {
    try {
      // etcd3's builder compares one key per if(); chain the rest with and().
      let cmp = this.client.if(entries[0]!.key, compare.target, '==', compare.value(entries[0]!));
      for (const e of entries.slice(1)) cmp = cmp.and(e.key, compare.target, '==', compare.value(e));
      const puts = entries.map((e) => this.client.put(e.key).value(encode(e.obj, this.at(e.key))));
      const res = await this.timed('txn_batch', () => cmp.then(...puts).commit());
      if (res.succeeded) {
        for (const e of entries) out[e.i] = committed(e, res.header.revision);
        return;
      }
    } catch (err) {
      for (const e of entries) out[e.i] = err as Error;
      return;
    }
    await Promise.all(
      entries.map(async (e) => {
        try {
          out[e.i] = await each(e);
        } catch (err) {
          out[e.i] = err as Error;
        }
      }),
    );
  }

  async delete(kind: string, namespace: string, name: string, opts: DeleteOptions = {}): Promise<DeleteResult> {
    const ns = kindInfo(kind)?.namespaced ? namespace || 'default' : '';
    const key = this.keys.object(kind, ns, name);
    // Without a resourceVersion precondition a concurrent write (a status update by a reconciler)
    // must not fail the delete: read again and retry, as replace() does.
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(kind, ns, name);
      if (!current) throw notFound(`${kind} "${name}" not found`);
      if (opts.resourceVersion && opts.resourceVersion !== current.metadata.resourceVersion) {
        throw conflict(staleMessage(current, opts.resourceVersion, current.metadata.resourceVersion!));
      }
      const plan = planDelete(current, opts, rfc3339(this.clock.now()));
      if (!plan.remove && !plan.changed) return { object: current, removed: false };
      const guard = this.client.if(key, 'Mod', '==', Number(current.metadata.resourceVersion));
      const res = await this.timed('delete', () =>
        (plan.remove ? guard.then(this.client.delete().key(key)) : guard.then(this.client.put(key).value(encode(plan.object, this.at(key))))).commit(),
      );
      if (res.succeeded) {
        if (plan.remove) return { object: current, removed: true };
        return { object: { ...plan.object, metadata: { ...plan.object.metadata, resourceVersion: res.header.revision } }, removed: false };
      }
      if (opts.resourceVersion || attempt >= 5) throw conflict(`${kind} "${name}" changed while it was being deleted; try again`);
    }
  }

  watch(kind: string | undefined, opts: ListOptions & { resourceVersion: string }, signal: AbortSignal): AsyncIterable<StoreEvent> {
    return this.hub.watch(kind, opts, signal);
  }

  /** The etcd key a value is stored at, with the sealer for the sealed kinds (see codec.ts). */
  private at(key: string): SealAt {
    return { sealer: this.sealer, key };
  }

  /** guard() plus latency by operation (failures included: a slow failure is still a slow request). */
  private async timed<T>(operation: EtcdOperation, fn: () => Promise<T>): Promise<T> {
    if (!this.metrics) return guard(fn);
    const started = performance.now();
    try {
      return await guard(fn);
    } finally {
      this.metrics.etcdLatency.observe({ operation }, (performance.now() - started) / 1000);
    }
  }

  async close(): Promise<void> {
    this.hub.close();
    this.client.close();
  }
}

function staleMessage(obj: KObject, wanted: string, current: string): string {
  return (
    `Operation cannot be fulfilled on ${obj.kind} "${obj.metadata.name}": the object has been modified ` +
    `(resourceVersion ${wanted} is stale, current is ${current}); read it again and reapply your change`
  );
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isKiteError(e)) throw e;
    throw mapEtcdError(e);
  }
}

function range(from: number, to: number): number[] {
  const r: number[] = [];
  for (let i = from; i < to; i++) r.push(i);
  return r;
}

export { rfc3339 } from './semantics';
