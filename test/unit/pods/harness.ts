// The common setup of PodManager unit tests: a fake engine on a fake clock, status reports
// collected, and helpers to let time pass.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../../../common/api/types';
import { FakeClock } from '../../../common/clock';
import { silentLogger } from '../../../common/log';
import type { PodStatusReport } from '../../../common/generated/kite/v1/PodStatusReport';
import { FakeExecutor } from '../../../node-agent/executor/fake';
import { PodManager, type PodAssignment } from '../../../node-agent/pods/manager';

export const IMAGE = 'example/app:1';

/** A pod named `name` (uid `uid-<name>`) with one container per name, all on the test image. */
export function testPod(name: string, containers: string[] = ['main']): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { containers: containers.map((c) => ({ name: c, image: IMAGE })) },
  };
}

export const assign = (pod: Pod): PodAssignment => ({ pod, configMaps: [], secrets: [] });

/** Lets queued promise chains (executor calls, reconcile passes) run to completion. */
export async function settle(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

export class PodHarness {
  readonly clock = new FakeClock();
  readonly executor = new FakeExecutor('fake-node', this.clock);
  /** Every batch of status reports, in order. */
  readonly reports: PodStatusReport[][] = [];
  /** Start steps (pull / create / start) as the managers reported them. */
  readonly timings: string[] = [];
  /** Pod events as `reason: message`. */
  readonly events: string[] = [];
  readonly dataDir = mkdtempSync(join(tmpdir(), 'kite-pods-unit-'));
  private readonly managers: PodManager[] = [];

  constructor() {
    this.executor.images.add(IMAGE);
  }

  /** A manager on this engine, recovered and ready (as after an agent start). */
  async newManager(): Promise<PodManager> {
    const m = new PodManager({
      executor: this.executor,
      nodeName: 'fake-node',
      dataDir: this.dataDir,
      clock: this.clock,
      log: silentLogger,
      onStatus: (r) => this.reports.push(r),
      onTiming: (step) => this.timings.push(step),
      onEvent: (e) => this.events.push(`${e.reason}: ${e.message}`),
      backoff: { baseMs: 1000, maxMs: 4000, resetAfterMs: 60_000 },
      pollIntervalMs: 5000,
    });
    this.managers.push(m);
    await m.recover();
    return m;
  }

  /** The newest status reported for a pod. */
  latest(uid: string): PodStatusReport | undefined {
    return this.reports.flat().filter((r) => r.uid === uid).at(-1);
  }

  /** Advances the fake clock in small steps so async work between timers gets to run. */
  async advance(ms: number, step = 50): Promise<void> {
    for (let t = 0; t < ms; t += step) {
      this.clock.advance(Math.min(step, ms - t));
      await settle(5);
    }
    await settle();
  }

  /**
   * Advances the fake clock in steps of `stepMs` (letting real I/O, such as removing a pod's
   * files, complete between steps) until `done()` holds; fails after `maxMs` of fake time.
   */
  async advanceUntil(done: () => boolean, maxMs: number, stepMs = 50): Promise<void> {
    for (let t = 0; ; t += stepMs) {
      await settle(5);
      await new Promise((r) => setTimeout(r, 2));
      if (done()) return;
      if (t >= maxMs) throw new Error(`condition not reached within ${maxMs} ms of fake time`);
      this.clock.advance(stepMs);
    }
  }

  async close(): Promise<void> {
    for (const m of this.managers) await m.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
