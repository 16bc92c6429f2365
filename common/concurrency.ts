// Bounded concurrency: run async work over many items with at most `limit` in flight. The one
// worker pool of the project: etcd batches, pod writes, event updates, Docker inspects, benchmarks.

/**
 * Runs fn over items with at most `limit` calls pending, starting them in item order. Rejects with
 * the first error; once one call has failed no further items are started (calls already running
 * finish on their own).
 */
export async function forEachBounded<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        await fn(items[i] as T, i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}

/** Like Promise.all over items.map(fn), with at most `limit` in flight; results keep their order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  await forEachBounded(items, limit, async (item, i) => {
    out[i] = await fn(item, i);
  });
  return out;
}
