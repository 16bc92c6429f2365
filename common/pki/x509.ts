// The one place @peculiar/x509 is loaded. It needs the reflect-metadata polyfill first and a
// WebCrypto provider (Node's). It is loaded on first use, not at import: it takes a third of a
// second, which a CLI command or an agent that already holds its certificate should not pay.
import { webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';

export type { X509 };
export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;
export const subtle = webcrypto.subtle;

/** ECDSA P-256 with SHA-256 for every key and signature: small keys, fast handshakes. */
export const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

let loaded: typeof X509 | undefined;

export function loadX509(): typeof X509 {
  if (!loaded) {
    require('reflect-metadata');
    const x509 = require('@peculiar/x509') as typeof X509;
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    loaded = x509;
  }
  return loaded;
}
