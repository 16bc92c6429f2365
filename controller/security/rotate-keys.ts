// `kite-controller secrets rotate-key`: a new primary encryption key, then every sealed value in
// etcd re-encrypted under it. Resumable: the rotation in progress is recorded in the key file
// (KeyRing.beginRotation) in the same atomic write that adds the key, so a run that crashed
// midway starts again with the same key and only re-encrypts what is not under it yet. Each
// value is replaced with a compare-and-swap on its mod revision: a write that lands in between
// is read again and re-encrypted, never lost.
//
// Old keys stay in the key file afterwards: a controller that has not re-read the file yet
// still seals under the previous key for a few seconds, and those values must remain readable.
import { Range, type Etcd3, type IKeyValue } from 'etcd3';
import type { Logger } from '../../common/log';
import type { KeyLayout } from '../store/keys';
import { isSealed, sealedKeyId, type KeyRing } from './keyring';

/** Where sealed values live: the one list rotation walks. */
export interface SealedPrefix {
  prefix: string;
  /**
   * Values found in plain text here are sealed too (Secrets written before encryption was on);
   * elsewhere only values that are already sealed are re-encrypted.
   */
  sealPlain: boolean;
}

/**
 * Every place in etcd that holds sealed values. Whatever the control plane stores encrypted must
 * be sealed as a whole value with its etcd key as AAD and listed here, so rotation reaches it.
 */
export function sealedPrefixes(keys: KeyLayout): SealedPrefix[] {
  return [
    { prefix: keys.kindPrefix('Secret'), sealPlain: true },
    // The cluster CA's private key (cluster-ca.ts); always written sealed.
    { prefix: keys.clusterCaKey, sealPlain: false },
  ];
}

export interface RotationReport {
  /** The key everything is now sealed under. */
  keyId: string;
  /** A crashed rotation was picked up again (same key) instead of starting a new one. */
  resumed: boolean;
  /** Values looked at. */
  scanned: number;
  /** Values rewritten under the new key (including plain Secrets sealed for the first time). */
  reencrypted: number;
  /** Values already under the new key (written since the rotation began, or by the crashed run). */
  alreadyCurrent: number;
  /** Compare-and-swaps lost to a concurrent write, then redone on the newer value. */
  retried: number;
}

export interface RotateOptions {
  client: Etcd3;
  keys: KeyLayout;
  keyring: KeyRing;
  log: Logger;
  /** Called after each value is re-encrypted; a throw stops the rotation (tests simulate a crash). */
  onProgress?: (report: Readonly<RotationReport>) => void;
  /** Keys read per range request (default 200). */
  pageSize?: number;
}

export async function rotateSecretKeys(opts: RotateOptions): Promise<RotationReport> {
  const { client, keyring, log } = opts;
  keyring.reload();
  const pending = keyring.rotationTarget;
  const keyId = keyring.beginRotation();
  const report: RotationReport = { keyId, resumed: pending === keyId, scanned: 0, reencrypted: 0, alreadyCurrent: 0, retried: 0 };
  log.info({ keyId, resumed: report.resumed }, report.resumed ? 'resuming the key rotation' : 'rotating encryption keys: new primary key');
  const pageSize = opts.pageSize ?? 200;
  for (const place of sealedPrefixes(opts.keys)) {
    const end = Range.prefix(place.prefix).end;
    let start: Buffer = Buffer.from(place.prefix);
    for (;;) {
      const page = await client.getAll().inRange({ start, end }).sort('Key', 'Ascend').limit(pageSize).exec();
      for (const kv of page.kvs) await reencrypt(opts, place, kv, report);
      if (page.kvs.length < pageSize) break;
      // Next page: the keys after the last one read.
      start = Buffer.concat([page.kvs[page.kvs.length - 1]!.key, Buffer.from([0])]);
    }
  }
  keyring.finishRotation(keyId);
  log.info({ ...report }, 'key rotation done');
  return report;
}

/** Re-encrypts one value under the primary key, again on the newer value when a write races it. */
async function reencrypt(opts: RotateOptions, place: SealedPrefix, first: IKeyValue, report: RotationReport): Promise<void> {
  const { client, keyring } = opts;
  const key = first.key.toString();
  let value = first.value.toString('utf8');
  let modRevision = first.mod_revision;
  report.scanned++;
  for (;;) {
    const sealed = isSealed(value);
    if (sealed && sealedKeyId(value) === report.keyId) {
      report.alreadyCurrent++;
      return;
    }
    if (!sealed && !place.sealPlain) return;
    const plaintext = sealed ? keyring.open(value, key) : Buffer.from(value, 'utf8');
    const next = keyring.seal(plaintext, key);
    const res = await client.if(key, 'Mod', '==', Number(modRevision)).then(client.put(key).value(next)).commit();
    if (res.succeeded) {
      report.reencrypted++;
      opts.onProgress?.(report);
      return;
    }
    report.retried++;
    const fresh = (await client.get(key).exec()).kvs[0];
    if (!fresh) return; // deleted meanwhile: nothing left to re-encrypt
    value = fresh.value.toString('utf8');
    modRevision = fresh.mod_revision;
  }
}
