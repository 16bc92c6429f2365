// Latency statistics for benchmarks: percentiles over a sample of durations.
import { mapBounded } from '../../common/concurrency';

/** The p-th percentile (0..100) of `samples` by nearest rank; undefined for an empty sample. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Milliseconds since `start` (a performance.now() reading). */
export function elapsedMs(start: number): number {
  return performance.now() - start;
}

/** Runs `fn` and returns its result with the wall time it took. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: elapsedMs(start) };
}

/** Runs `count` tasks with at most `concurrency` in flight; returns each task's latency in ms. */
export async function runConcurrently(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<number[]> {
  const indexes = Array.from({ length: count }, (_, i) => i);
  return mapBounded(indexes, concurrency, async (i) => {
    const start = performance.now();
    await task(i);
    return elapsedMs(start);
  });
}
