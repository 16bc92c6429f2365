// How objects are stored: JSON without resourceVersion (that is the key's etcd mod revision,
// injected on read so it can never disagree with the store). Objects of the sealed kinds
// (Secrets) are stored encrypted: the JSON sealed with the store's sealer, bound to the etcd key
// it is stored at, so a ciphertext copied to another key does not open. Values written before
// encryption was on (plain JSON) still read; they are sealed on their next write.
import type { KObject } from '../../common/api/types';
import { KiteError } from '../../common/errors';

/** Seals and opens stored values; `aad` is the etcd key (see KeyRing, textSealer). */
export interface ValueSealer {
  seal(text: string, aad: string): string;
  open(text: string, aad: string): string;
}

/** Where a value is (or will be) stored, and the sealer for the sealed kinds. */
export interface SealAt {
  sealer: ValueSealer | undefined;
  key: string;
}

/** Kinds whose stored form is encrypted. */
export const SEALED_KINDS: ReadonlySet<string> = new Set(['Secret']);

/** Same envelope prefix as the keyring's (kite:enc:...); plain JSON always starts with '{'. */
const SEALED_PREFIX = 'kite:enc:';
const OPEN_BRACE = 0x7b;

/** What seals bytes (KeyRing). */
export interface ByteSealer {
  seal(plaintext: Buffer, aad: string): string;
  open(envelope: string, aad: string): Buffer;
}

/** A ValueSealer over a ByteSealer. */
export function textSealer(ring: ByteSealer): ValueSealer {
  return {
    seal: (text, aad) => ring.seal(Buffer.from(text, 'utf8'), aad),
    open: (text, aad) => ring.open(text, aad).toString('utf8'),
  };
}

export function encode(obj: KObject, at?: SealAt): string {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  const json = JSON.stringify({ ...obj, metadata });
  if (at?.sealer && SEALED_KINDS.has(obj.kind)) return at.sealer.seal(json, at.key);
  return json;
}

export function decode<T extends KObject = KObject>(value: Buffer | string, modRevision: string, at?: SealAt): T {
  let text = typeof value === 'string' ? value : value.toString('utf8');
  if (isSealedValue(value)) {
    if (!at?.sealer) throw new KiteError('Internal', `the object stored at ${at?.key ?? 'a key'} is encrypted and this controller has no encryption keys (--keys-file)`);
    text = at.sealer.open(text, at.key);
  }
  let obj: T;
  try {
    obj = JSON.parse(text) as T;
  } catch {
    // JSON.parse's message quotes the text around the fault: never let stored content into an error.
    throw new KiteError('Internal', `the object stored at ${at?.key ?? 'a key'} is not valid JSON`);
  }
  obj.metadata.resourceVersion = modRevision;
  return obj;
}

/** Whether a stored value is an encrypted envelope (cheap: plain JSON starts with '{'). */
export function isSealedValue(value: Buffer | string): boolean {
  if (typeof value === 'string') return value.charCodeAt(0) !== OPEN_BRACE && value.startsWith(SEALED_PREFIX);
  return value[0] !== OPEN_BRACE && value.subarray(0, SEALED_PREFIX.length).toString('latin1') === SEALED_PREFIX;
}
