import { strict as assert } from 'node:assert';
import { forEachBounded, mapBounded } from '../../common/concurrency';

/** A task whose calls finish only when released, so a test can see how many run at once. */
function gatedTask() {
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const release: (() => void)[] = [];
  const run = async (n: number) => {
    running++;
    peak = Math.max(peak, running);
    started.push(n);
    await new Promise<void>((resolve) => release.push(resolve));
    running--;
    return n * 10;
  };
  return { run, started, release, peak: () => peak };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('mapBounded / forEachBounded', () => {
  it('never has more than `limit` calls in flight, and starts the next as one finishes', async () => {
    const gate = gatedTask();
    const done = mapBounded([1, 2, 3, 4, 5], 2, gate.run);
    await tick();
    assert.deepEqual(gate.started, [1, 2]);
    gate.release.shift()!();
    await tick();
    assert.deepEqual(gate.started, [1, 2, 3]);
    while (gate.started.length < 5 || gate.release.length > 0) {
      gate.release.shift()?.();
      await tick();
    }
    assert.deepEqual(await done, [10, 20, 30, 40, 50]);
    assert.equal(gate.peak(), 2);
  });

  it('keeps results in item order whatever order the calls finish in', async () => {
    const delays = [30, 0, 20, 5, 10];
    const out = await mapBounded(delays, 3, (ms, i) => new Promise<string>((resolve) => setTimeout(() => resolve(`${i}:${ms}`), ms)));
    assert.deepEqual(out, ['0:30', '1:0', '2:20', '3:5', '4:10']);
  });

  it('handles no items and a limit larger than the item count', async () => {
    assert.deepEqual(await mapBounded([], 4, async () => 1), []);
    const seen: number[] = [];
    await forEachBounded([1, 2], 100, async (n) => void seen.push(n));
    assert.deepEqual(seen, [1, 2]);
  });

  it('rejects with the first error and starts no further items', async () => {
    const started: number[] = [];
    await assert.rejects(
      forEachBounded([1, 2, 3, 4, 5, 6], 2, async (n) => {
        started.push(n);
        await tick();
        if (n === 2) throw new Error('item 2 failed');
      }),
      /item 2 failed/,
    );
    await tick();
    await tick();
    // 1 and 2 ran together; 1 finished first and took 3; 2 failed, so 4..6 never start.
    assert.deepEqual(started, [1, 2, 3]);
  });
});
