// Many writes, fast but bounded: "slow start" batches (1, 2, 4, ... like Kubernetes, so a template
// that always fails costs one request, not thousands), each batch issued with a bounded number of
// requests in flight. Stops after the first batch with a failure.

/** Requests in flight at once: etcd is fastest at 64-256 concurrent requests. */
export const WRITE_CONCURRENCY = 64;
const INITIAL_BATCH = 8;

export interface BatchResult {
  succeeded: number;
  /** Items never attempted because an earlier batch failed. */
  skipped: number;
  errors: unknown[];
}

export async function slowStartBatch<T>(items: readonly T[], fn: (item: T) => Promise<void>, signal?: AbortSignal): Promise<BatchResult> {
  let done = 0;
  let succeeded = 0;
  let batch = INITIAL_BATCH;
  const errors: unknown[] = [];
  while (done < items.length && !signal?.aborted) {
    const slice = items.slice(done, done + batch);
    await runBounded(slice, WRITE_CONCURRENCY, async (item) => {
      try {
        await fn(item);
        succeeded++;
      } catch (e) {
        errors.push(e);
      }
    });
    done += slice.length;
    if (errors.length) break;
    batch *= 2;
  }
  return { succeeded, skipped: items.length - done, errors };
}

/** Runs fn over items with at most `limit` promises pending. */
export async function runBounded<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
