// Creating and deleting many pods at once, bounded and slow-started (see batch.ts). Each pod whose
// write did not happen is reported through `notWritten`, so expectations can be lowered.
import type { Pod } from '../../common/api/types';
import { isKiteError } from '../../common/errors';
import type { ObjectStore } from '../store/types';
import { forEachBounded } from '../../common/concurrency';
import { WRITE_CONCURRENCY, INITIAL_BATCH } from './batch';

/**
 * Creates the pods in slow-start batches (8, 16, 32, ...: a template that always fails costs one
 * small batch), each batch one store.createMany (a few etcd transactions). Returns those created;
 * throws the first error after accounting for every pod.
 */
export async function createPods(store: ObjectStore, pods: Pod[], notWritten: (pod: Pod) => void): Promise<Pod[]> {
  const created: Pod[] = [];
  let firstError: unknown;
  let done = 0;
  for (let size = INITIAL_BATCH; done < pods.length && firstError === undefined; size *= 2) {
    const batch = pods.slice(done, done + size);
    done += batch.length;
    const results = await store.createMany(batch);
    results.forEach((r, i) => {
      if (!(r instanceof Error)) return void created.push(r);
      notWritten(batch[i]!);
      // A random name collided: this pod simply is not there yet; the next pass creates it.
      if (!isKiteError(r, 'AlreadyExists')) firstError ??= r;
    });
  }
  for (const pod of pods.slice(done)) notWritten(pod);
  if (firstError !== undefined) throw firstError;
  return created;
}

/** Deletes the pods (already gone counts as deleted); returns how many were deleted by us. */
export async function deletePods(store: ObjectStore, pods: Pod[], notWritten: (pod: Pod) => void): Promise<number> {
  let n = 0;
  let firstError: unknown;
  await forEachBounded(pods, WRITE_CONCURRENCY, async (pod) => {
    try {
      await store.delete('Pod', pod.metadata.namespace ?? 'default', pod.metadata.name);
      n++;
    } catch (e) {
      notWritten(pod);
      if (isKiteError(e, 'NotFound')) return;
      firstError ??= e;
    }
  });
  if (firstError) throw firstError;
  return n;
}
