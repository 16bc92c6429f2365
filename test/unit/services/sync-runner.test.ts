import assert from 'node:assert/strict';
import { FakeClock } from '../../../common/clock';
import { SyncRunner } from '../../../node-agent/network/sync-runner';

/** Lets the runner's promise chain settle after the fake clock fired its timers. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('bounded-frequency sync runner', () => {
  const make = (run: () => Promise<void> = () => Promise.resolve()) => {
    const clock = new FakeClock();
    const runs: number[] = [];
    const errors: unknown[] = [];
    const runner = new SyncRunner({
      clock,
      minIntervalMs: 50,
      maxIntervalMs: 30_000,
      run: async () => {
        runs.push(clock.now());
        await run();
      },
      onError: (e) => errors.push(e),
    });
    return { clock, runs, errors, runner };
  };

  it('runs at start, then coalesces a burst of requests into one run at the end of the minimum interval', async () => {
    const { clock, runs, runner } = make();
    const t0 = clock.now();
    runner.start();
    clock.advance(0);
    await settle();
    assert.deepEqual(runs, [t0]);
    for (let i = 0; i < 10; i++) {
      runner.request();
      clock.advance(2);
      await settle();
    }
    assert.equal(runs.length, 1, 'nothing before 50 ms since the last run');
    clock.advance(50);
    await settle();
    assert.deepEqual(runs, [t0, t0 + 50]);
    // Nothing more was asked: the next run is the periodic re-assert.
    clock.advance(29_000);
    await settle();
    assert.equal(runs.length, 2);
    clock.advance(1_000);
    await settle();
    assert.deepEqual(runs.slice(2), [t0 + 50 + 30_000]);
  });

  it('runs a request at once when the last run is older than the minimum interval', async () => {
    const { clock, runs, runner } = make();
    runner.start();
    clock.advance(1000);
    await settle();
    runner.request();
    clock.advance(0);
    await settle();
    assert.deepEqual(runs.map((t) => t - runs[0]!), [0, 1000]);
  });

  it('never overlaps runs: a request during a run gives exactly one more run after it', async () => {
    let release: () => void = () => undefined;
    let active = 0;
    let maxActive = 0;
    const { clock, runs, runner } = make(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise<void>((r) => (release = r));
      active--;
    });
    runner.start();
    clock.advance(0);
    await settle();
    runner.request();
    runner.request();
    clock.advance(100);
    await settle();
    assert.equal(runs.length, 1, 'still running');
    release();
    await settle();
    clock.advance(0);
    await settle();
    assert.equal(runs.length, 2);
    release();
    await settle();
    clock.advance(10_000);
    await settle();
    assert.equal(runs.length, 2);
    assert.equal(maxActive, 1);
  });

  it('retries a failed run after the retry interval and reports the error', async () => {
    let fail = true;
    const { clock, runs, errors, runner } = make(() => (fail ? Promise.reject(new Error('iptables-restore: exit 1')) : Promise.resolve()));
    runner.start();
    clock.advance(0);
    await settle();
    assert.equal(errors.length, 1);
    fail = false;
    clock.advance(999);
    await settle();
    assert.equal(runs.length, 1);
    clock.advance(1);
    await settle();
    assert.equal(runs.length, 2);
  });

  it('does nothing after stop', async () => {
    const { clock, runs, runner } = make();
    runner.start();
    clock.advance(0);
    await settle();
    await runner.stop();
    runner.request();
    clock.advance(60_000);
    await settle();
    assert.equal(runs.length, 1);
  });
});
