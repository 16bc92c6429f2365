// Bounded concurrency: run async work over many items with at most `limit` in flight.

/** Runs fn over items with at most `limit` promises pending. */
export async function runBounded<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Like Promise.all over items.map(fn), with at most `limit` in flight; results keep their order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  await runBounded(items, limit, async (item, i) => {
    out[i] = await fn(item, i);
  });
  return out;
}
