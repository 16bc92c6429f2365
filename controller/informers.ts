// One informer per kind per process, shared by the dispatcher, the scheduler and the reconcilers,
// so 10,000 pods are cached once, not once per consumer.
import type { KObject } from '../common/api/types';
import type { Logger } from '../common/log';
import type { ObjectStore } from './store/types';
import { Informer } from './informer';

export class SharedInformers {
  private readonly informers = new Map<string, Informer>();
  private started = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly log: Logger,
  ) {}

  /** The informer for a kind, created (and started, if the factory runs) on first use. */
  get<T extends KObject>(kind: string): Informer<T> {
    let inf = this.informers.get(kind);
    if (!inf) {
      inf = new Informer(this.store, kind, this.log.child({ component: 'informer', kind }));
      this.informers.set(kind, inf);
      if (this.started) inf.start();
    }
    return inf as unknown as Informer<T>;
  }

  start(): void {
    this.started = true;
    for (const inf of this.informers.values()) inf.start();
  }

  stop(): void {
    this.started = false;
    for (const inf of this.informers.values()) inf.stop();
  }

  async synced(kinds: string[]): Promise<void> {
    await Promise.all(kinds.map((k) => this.get(k).synced));
  }
}
