import { strict as assert } from 'node:assert';
import { WorkQueue } from '../../../controller/reconcile/work-queue';
import { FakeClock } from '../../../common/clock';
import { silentLogger } from '../../../common/log';

const tick = () => new Promise((r) => setImmediate(r));

describe('WorkQueue', () => {
  it('processes a key queued many times while waiting once', async () => {
    const seen: string[] = [];
    let release!: () => void;
    const block = new Promise<void>((r) => (release = r));
    const q2 = new WorkQueue({ name: 't2', handler: async (k) => { seen.push(k); if (k === 'first') await block; }, concurrency: 1, log: silentLogger });
    q2.add('first');
    q2.add('a');
    q2.add('a');
    q2.add('a');
    release();
    await q2.idle();
    assert.deepEqual(seen, ['first', 'a']);
  });

  it('runs a key again when it was queued while being processed, never concurrently', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    let q!: WorkQueue;
    q = new WorkQueue({
      name: 't',
      concurrency: 4,
      log: silentLogger,
      handler: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        runs++;
        if (runs === 1) q.add('k');
        await tick();
        running--;
      },
    });
    q.add('k');
    await q.idle();
    await tick();
    await q.idle();
    assert.equal(runs, 2);
    assert.equal(maxRunning, 1);
  });

  it('retries failures with exponential back-off on the injected clock, up to the bound', async () => {
    const clock = new FakeClock();
    const attempts: number[] = [];
    const q = new WorkQueue({
      name: 't', clock, log: silentLogger, baseDelayMs: 100, maxRetries: 3,
      handler: async () => {
        attempts.push(clock.now());
        throw new Error('boom');
      },
    });
    const t0 = clock.now();
    q.add('k');
    for (let i = 0; i < 10; i++) {
      await tick();
      clock.advance(1000);
    }
    await tick();
    assert.equal(attempts.length, 4, 'first try plus 3 retries');
    assert.deepEqual(attempts.map((t) => t - t0).slice(0, 2), [0, 100]);
    q.stop();
  });
});
