// Creating and deleting many pods at once, bounded and slow-started (see batch.ts). Each pod whose
// write did not happen is reported through `notWritten`, so expectations can be lowered.
import type { Pod } from '../../common/api/types';
import { isKiteError } from '../../common/errors';
import type { ObjectStore } from '../store/types';
import { runBounded, slowStartBatch, WRITE_CONCURRENCY } from './batch';

/** Creates the pods; returns those created. Throws the first error after accounting for every pod. */
export async function createPods(store: ObjectStore, pods: Pod[], notWritten: (pod: Pod) => void): Promise<Pod[]> {
  const created: Pod[] = [];
  const attempted = new Set<Pod>();
  const result = await slowStartBatch(pods, async (pod) => {
    attempted.add(pod);
    try {
      created.push(await store.create(pod));
    } catch (e) {
      notWritten(pod);
      if (!isKiteError(e, 'AlreadyExists')) throw e;
      // A random name collided: this pod simply is not there yet; the next pass creates it.
    }
  });
  for (const pod of pods) if (!attempted.has(pod)) notWritten(pod);
  if (result.errors.length) throw result.errors[0];
  return created;
}

/** Deletes the pods (already gone counts as deleted); returns how many were deleted by us. */
export async function deletePods(store: ObjectStore, pods: Pod[], notWritten: (pod: Pod) => void): Promise<number> {
  let n = 0;
  let firstError: unknown;
  await runBounded(pods, WRITE_CONCURRENCY, async (pod) => {
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
