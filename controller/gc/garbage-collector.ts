// Cascading deletion (leader only): an object whose controlling owner no longer exists (or was
// replaced by a new object of the same name, with another uid) is deleted. Level-triggered: a
// sweep runs soon after any owner is deleted and every few seconds, so a controller crash in the
// middle of a cascade only delays it.
import type { KObject } from '../../common/api/types';
import type { Logger } from '../../common/log';
import { errorMessage, isKiteError } from '../../common/errors';
import type { ObjectStore } from '../store/types';
import type { SharedInformers } from '../informers';

const OWNER_KINDS = ['Deployment', 'ReplicaSet', 'DaemonSet', 'Job', 'StatefulSet', 'CronJob'];
const DEPENDENT_KINDS = ['ReplicaSet', 'Job', 'Pod', 'PersistentVolumeClaim'];
const SWEEP_MS = 5000;

export class GarbageCollector {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private soon: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  private sweeping = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly informers: SharedInformers,
    private readonly log: Logger,
  ) {
    for (const kind of OWNER_KINDS) {
      informers.get(kind).on((type) => {
        if (type === 'DELETED') this.sweepSoon();
      });
    }
  }

  start(): void {
    this.stopped = false;
    const loop = () => {
      void this.sweep().finally(() => {
        if (!this.stopped) this.timer = setTimeout(loop, SWEEP_MS);
      });
    };
    loop();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.soon) clearTimeout(this.soon);
  }

  private sweepSoon(): void {
    if (this.stopped || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.sweep();
    }, 50);
  }

  /** Deletes every dependent whose controlling owner is gone; returns how many. */
  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    let deleted = 0;
    try {
      await this.informers.synced([...OWNER_KINDS, ...DEPENDENT_KINDS]);
      for (const kind of DEPENDENT_KINDS) {
        for (const obj of [...this.informers.get(kind).list()]) {
          const owner = obj.metadata.ownerReferences?.find((r) => r.controller) ?? obj.metadata.ownerReferences?.[0];
          if (!owner || obj.metadata.deletionTimestamp || this.ownerExists(obj, owner.kind, owner.name, owner.uid)) continue;
          try {
            await this.store.delete(kind, obj.metadata.namespace ?? 'default', obj.metadata.name, { resourceVersion: obj.metadata.resourceVersion });
            deleted++;
          } catch (e) {
            if (!isKiteError(e, 'NotFound') && !isKiteError(e, 'Conflict')) throw e;
          }
        }
      }
      if (deleted) this.log.info({ deleted }, 'deleted objects whose owner is gone');
    } catch (e) {
      this.log.warn({ err: errorMessage(e) }, 'garbage collection pass failed');
    } finally {
      this.sweeping = false;
    }
    return deleted;
  }

  private ownerExists(obj: KObject, kind: string, name: string, uid: string): boolean {
    if (!OWNER_KINDS.includes(kind)) return true;
    const owner = this.informers.get(kind).get(`${obj.metadata.namespace}/${name}`);
    return !!owner && owner.metadata.uid === uid;
  }
}
