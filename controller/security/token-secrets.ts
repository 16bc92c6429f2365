// The text of the cluster's bearer secrets (join tokens, users' API tokens): random characters of
// [a-z0-9], and the SHA-256 that is all etcd keeps of a secret.
import { createHash, randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `n` characters of [a-z0-9] from the CSPRNG. */
export function randomTokenText(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

export function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
