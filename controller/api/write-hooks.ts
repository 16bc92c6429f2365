// What the API does around a write besides storing the object: Kubernetes' registry strategies
// (a Service gets its cluster IP and node ports at create, and gives them back at delete). The
// API calls these for every kind; hooks ignore kinds they do not handle.
import type { KObject } from '../../common/api/types';

export type ObjectWrite = (obj: KObject) => Promise<KObject>;

export interface WriteHooks {
  /**
   * Why `next` cannot be written over `current` (undefined: a create), found without changing
   * anything, so a dry run and a multi-object apply refuse before writing. One `path: message` each.
   */
  check(current: KObject | undefined, next: KObject): Promise<string[]>;
  /** Stores a new object through `write`, with what the system allocates for it. */
  create(obj: KObject, write: ObjectWrite): Promise<KObject>;
  /** Stores `next` over `current` through `write`, allocating and releasing as the change needs. */
  update(current: KObject, next: KObject, write: ObjectWrite): Promise<KObject>;
  /** The object is gone from the store: release what it held. */
  removed(obj: KObject): Promise<void>;
}

/** Hooks that only write: for stores and tests without address allocation. */
export const PLAIN_WRITES: WriteHooks = {
  check: async () => [],
  create: (obj, write) => write(obj),
  update: (_current, next, write) => write(next),
  removed: async () => undefined,
};

/** `hooks`, then `onRemoved` after each removal (e.g. revoking a deleted node's certificate). */
export function alsoOnRemoved(hooks: WriteHooks, onRemoved: (obj: KObject) => Promise<void>): WriteHooks {
  return {
    check: (current, next) => hooks.check(current, next),
    create: (obj, write) => hooks.create(obj, write),
    update: (current, next, write) => hooks.update(current, next, write),
    removed: async (obj) => {
      await hooks.removed(obj);
      await onRemoved(obj);
    },
  };
}
