// Streams answer with 200 and their headers at once, so a client waiting on them is never left
// hanging; but a stream that fails at its very start (not found, forbidden, a compacted revision)
// deserves a real error status. firstOrFailure waits briefly for the first item: a failure by then
// is thrown (the caller answers it as a Status); otherwise the stream is handed back, first item
// included, to be pumped.

export type PendingStream<T> = AsyncIterable<T>;

/** How long a stream may take to fail before its headers go out anyway. */
const START_WINDOW_MS = 200;

export async function firstOrFailure<T>(source: AsyncIterable<T>, windowMs = START_WINDOW_MS): Promise<PendingStream<T>> {
  const it = source[Symbol.asyncIterator]();
  const first = it.next();
  let failed = false;
  const settled = first.then(
    () => undefined,
    () => {
      failed = true;
    },
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, windowMs)))]);
  clearTimeout(timer);
  if (failed) await first; // throws the stream's error
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for (let next = await first; !next.done; next = await it.next()) yield next.value;
      } finally {
        await it.return?.();
      }
    },
  };
}
