// The one place @peculiar/x509 is loaded: it needs the reflect-metadata polyfill first and a
// WebCrypto provider (Node's).
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;
export const subtle = webcrypto.subtle;

/** ECDSA P-256 with SHA-256 for every key and signature: small keys, fast handshakes. */
export const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
