// The built-in `local-path` StorageClass (leader only): created at start when missing and again
// when deleted, as k3s keeps its local-path class. A user may change what is mutable on it
// (annotations: e.g. no longer default); the provisioner and modes are fixed.
import type { StorageClass } from '../../common/api/types';
import { errorMessage, isKiteError } from '../../common/errors';
import type { Logger } from '../../common/log';
import { LOCAL_PATH_CLASS, localPathClass } from '../../common/kinds/storageclass';
import type { SharedInformers } from '../informers';
import type { ObjectStore } from '../store/types';

export class DefaultStorageClass {
  private running = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly informers: SharedInformers,
    private readonly log: Logger,
  ) {
    this.informers.get<StorageClass>('StorageClass').on((type, sc) => {
      if (this.running && type === 'DELETED' && sc.metadata.name === LOCAL_PATH_CLASS) void this.ensure();
    });
  }

  start(): void {
    this.running = true;
    void this.informers.synced(['StorageClass']).then(() => this.ensure());
  }

  stop(): void {
    this.running = false;
  }

  /** Creates the local-path class unless it exists. */
  async ensure(): Promise<void> {
    if (!this.running || this.informers.get<StorageClass>('StorageClass').get(LOCAL_PATH_CLASS)) return;
    try {
      await this.store.create(localPathClass());
      this.log.info({ storageClass: LOCAL_PATH_CLASS }, 'built-in StorageClass created');
    } catch (e) {
      if (!isKiteError(e, 'AlreadyExists')) this.log.warn({ err: errorMessage(e) }, 'could not create the local-path StorageClass');
    }
  }
}
