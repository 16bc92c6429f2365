// One etcd key per allocated item (a pod subnet, a service IP, a node port), created in a
// transaction only if absent: two controllers can never hand out the same item, and what is
// allocated survives restarts. Kubernetes keeps a bitmap per range; a key per item costs a little
// more to list but needs no read-modify-write of a shared blob.
import type { Etcd3 } from 'etcd3';
import { KiteError } from '../../common/errors';
import { mapEtcdError } from '../store/errors';
import type { KeyLayout } from '../store/keys';

/** An allocated item and who holds it. */
export interface Claim {
  item: string;
  holder: string;
  /** etcd's mod revision of the key: a release can be made conditional on it. */
  modRevision: string;
}

export class AllocationPool {
  readonly prefix: string;

  constructor(
    private readonly client: Etcd3,
    keys: KeyLayout,
    readonly pool: string,
  ) {
    this.prefix = keys.allocationPool(pool);
  }

  key(item: string): string {
    return this.prefix + item;
  }

  /** Every allocated item, by item. */
  async list(): Promise<Map<string, Claim>> {
    const res = await etcd(() => this.client.getAll().prefix(this.prefix).exec());
    const out = new Map<string, Claim>();
    for (const kv of res.kvs) {
      const item = kv.key.toString().slice(this.prefix.length);
      out.set(item, { item, holder: kv.value.toString(), modRevision: kv.mod_revision });
    }
    return out;
  }

  async get(item: string): Promise<Claim | undefined> {
    const res = await etcd(() => this.client.get(this.key(item)).exec());
    const kv = res.kvs[0];
    return kv ? { item, holder: kv.value.toString(), modRevision: kv.mod_revision } : undefined;
  }

  /** Takes the item for holder; false when someone holds it already. */
  claim(item: string, holder: string): Promise<boolean> {
    return claimKeys(this.client, [{ key: this.key(item), value: holder }]);
  }

  /** Gives the item back, only if `holder` (and, when given, this exact revision) still holds it. */
  async release(item: string, holder: string, modRevision?: string): Promise<boolean> {
    const key = this.key(item);
    let cmp = this.client.if(key, 'Value', '==', holder);
    if (modRevision) cmp = cmp.and(key, 'Mod', '==', Number(modRevision));
    const res = await etcd(() => cmp.then(this.client.delete().key(key)).commit());
    return res.succeeded;
  }

  /** Changes who holds the item, only if `from` holds it now. */
  async transfer(item: string, from: string, to: string): Promise<boolean> {
    const key = this.key(item);
    const res = await etcd(() => this.client.if(key, 'Value', '==', from).then(this.client.put(key).value(to)).commit());
    return res.succeeded;
  }
}

/** Creates every key, all or none, only if none of them exists yet. */
export async function claimKeys(client: Etcd3, entries: readonly { key: string; value: string }[]): Promise<boolean> {
  if (entries.length === 0) return true;
  let cmp = client.if(entries[0]!.key, 'Create', '==', 0);
  for (const e of entries.slice(1)) cmp = cmp.and(e.key, 'Create', '==', 0);
  const res = await etcd(() => cmp.then(...entries.map((e) => client.put(e.key).value(e.value))).commit());
  return res.succeeded;
}

async function etcd<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw mapEtcdError(e);
  }
}

/** Every item of a range is allocated: the message says which range and how much it holds. */
export class RangeFullError extends KiteError {
  constructor(message: string) {
    super('Invalid', message);
    this.name = 'RangeFullError';
  }
}
