// One SchedulerLoop over an in-memory store and its informers, on a fake clock, with the events it
// records kept as "name:reason" — the setup every scheduling-loop test shares.
import type { KObject } from '../../../common/api/types';
import { FakeClock } from '../../../common/clock';
import { silentLogger } from '../../../common/log';
import type { EventRecorderLike } from '../../../controller/events';
import { SharedInformers } from '../../../controller/informers';
import { ControllerMetrics } from '../../../controller/metrics';
import { SchedulerLoop } from '../../../controller/scheduler/loop';
import { MemoryStore } from '../../../controller/store/memory-store';

export class LoopHarness {
  readonly clock = new FakeClock();
  readonly store = new MemoryStore({ clock: this.clock });
  readonly informers = new SharedInformers(this.store, silentLogger);
  /** Every event the loop recorded, as "pod:reason". */
  readonly events: string[] = [];
  readonly loop: SchedulerLoop;

  constructor() {
    const recorder: EventRecorderLike = { record: (obj: KObject, _type, reason) => this.events.push(`${obj.metadata.name}:${reason}`) };
    this.loop = new SchedulerLoop(this.store, this.informers, recorder, new ControllerMetrics({ defaultMetrics: false }), silentLogger, this.clock);
    this.informers.start();
  }

  /** FailedScheduling events for `name`. */
  attempts(name: string): number {
    return this.events.filter((e) => e === `${name}:FailedScheduling`).length;
  }

  /** Lets the informers and the loop run until nothing changes for a few turns. */
  async settle(): Promise<void> {
    let quiet = 0;
    for (let i = 0; i < 500 && quiet < 5; i++) {
      const before = `${await this.store.revision()}:${this.events.length}`;
      await new Promise((r) => setTimeout(r, 1));
      quiet = `${await this.store.revision()}:${this.events.length}` === before ? quiet + 1 : 0;
    }
  }

  stop(): void {
    this.loop.stop();
    this.informers.stop();
  }
}
