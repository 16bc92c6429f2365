// What every workload controller shares: a de-duplicating work queue keyed "namespace/name",
// metrics per reconcile, and Conflict handling. Informer handlers are registered once, in the
// constructor (the Informer has no off()), and do nothing while the controller is stopped.
import type { KObject } from '../../common/api/types';
import type { Clock } from '../../common/clock';
import { systemClock } from '../../common/clock';
import type { Logger } from '../../common/log';
import { isKiteError } from '../../common/errors';
import type { ObjectStore } from '../store/types';
import type { SharedInformers } from '../informers';
import type { EventRecorderLike } from '../events';
import type { ControllerMetrics } from '../metrics';
import { WorkQueue } from '../reconcile/work-queue';
import { objectKey } from '../informer';

export interface WorkloadDeps {
  store: ObjectStore;
  informers: SharedInformers;
  events: EventRecorderLike;
  metrics: ControllerMetrics;
  log: Logger;
  clock?: Clock;
  /**
   * Pod events for one owner within this window cause one pass, not one each: a ReplicaSet of
   * 10,000 pods would otherwise recount its pods for every binding and status report.
   * Default 100 ms; 0 makes every event enqueue at once (unit tests on a fake clock).
   */
  coalesceMs?: number;
}

export abstract class WorkloadController<T extends KObject> {
  protected readonly store: ObjectStore;
  protected readonly informers: SharedInformers;
  protected readonly events: EventRecorderLike;
  protected readonly metrics: ControllerMetrics;
  protected readonly log: Logger;
  protected readonly clock: Clock;
  private queue: WorkQueue | undefined;
  private readonly coalesceMs: number;
  private readonly soon = new Set<string>();

  constructor(
    readonly name: string,
    protected readonly kind: string,
    deps: WorkloadDeps,
  ) {
    this.store = deps.store;
    this.informers = deps.informers;
    this.events = deps.events;
    this.metrics = deps.metrics;
    this.log = deps.log.child({ component: name });
    this.clock = deps.clock ?? systemClock;
    this.coalesceMs = deps.coalesceMs ?? 100;
    const own = this.informers.get<T>(kind);
    own.on((type, obj) => {
      if (type === 'DELETED') this.forget(objectKey(obj));
      if (this.handles(obj)) this.enqueue(objectKey(obj));
    });
    own.onResync(() => this.enqueueAll());
  }

  /** The cached object for a key; shared: copy before changing. */
  protected cached(key: string): T | undefined {
    return this.informers.get<T>(this.kind).get(key);
  }

  start(): void {
    if (this.queue) return;
    this.queue = new WorkQueue({
      name: this.name,
      handler: (key) => this.reconcileKey(key),
      concurrency: 16,
      clock: this.clock,
      log: this.log,
      onResult: (result, seconds) => {
        this.metrics.reconciles.inc({ controller: this.name, result });
        this.metrics.reconcileDuration.observe({ controller: this.name }, seconds);
      },
    });
    // Level-triggered from the first moment: every object gets a pass once the caches are loaded.
    void this.informers.synced(this.watchedKinds()).then(() => this.enqueueAll());
  }

  stop(): void {
    this.queue?.stop();
    this.queue = undefined;
  }

  /** Resolves when nothing is queued or running (tests use it to wait for quiet). */
  idle(): Promise<void> {
    return this.queue?.idle() ?? Promise.resolve();
  }

  enqueue(key: string): void {
    this.queue?.add(key);
  }

  /** Enqueues within the coalescing window; further calls for the key meanwhile are absorbed. */
  protected enqueueSoon(key: string): void {
    if (this.coalesceMs <= 0) return this.enqueue(key);
    if (!this.queue || this.soon.has(key)) return;
    this.soon.add(key);
    this.clock.setTimeout(() => {
      this.soon.delete(key);
      this.enqueue(key);
    }, this.coalesceMs);
  }

  protected enqueueAfter(key: string, ms: number): void {
    this.queue?.addAfter(key, ms);
  }

  protected enqueueAll(): void {
    for (const obj of this.informers.get<T>(this.kind).list()) if (this.handles(obj)) this.enqueue(objectKey(obj));
  }

  /** Whether objects like this one need passes at all (a controller of a few pods among many says no to the rest). */
  protected handles(_obj: T): boolean {
    return true;
  }

  /** Kinds whose caches must be loaded before the first pass. */
  protected abstract watchedKinds(): string[];

  /** One level-triggered pass; returns ms to look again after, if time alone will change something. */
  protected abstract reconcile(key: string): Promise<number | void>;

  /** Drops in-memory bookkeeping for a deleted object. */
  protected forget(_key: string): void {}

  private async reconcileKey(key: string): Promise<number | void> {
    // Let every informer handler for the event that queued us run first (the pod index among them).
    await Promise.resolve();
    try {
      return await this.reconcile(key);
    } catch (e) {
      // A Conflict means our cached copy is stale: the newer version is on its way to the
      // informer, and its event will queue this key again. Retrying now would only conflict again.
      if (isKiteError(e, 'Conflict') || isKiteError(e, 'NotFound')) {
        this.log.debug({ key, err: (e as Error).message }, 'stale cache; waiting for the next change');
        return;
      }
      throw e;
    }
  }
}
