// The certificates a process presents and trusts, replaceable while it runs: renewing a
// certificate updates the source and gRPC uses the new one for every new connection, with no
// restart. Implements grpc-js's CertificateProvider for both the CA and the identity.
import type { experimental } from '@grpc/grpc-js';
import type { KeyAndCert } from './certs';

type Provider = experimental.CertificateProvider;
type CaListener = experimental.CaCertificateUpdateListener;
type IdentityListener = experimental.IdentityCertificateUpdateListener;

export class CertificateSource implements Provider {
  private readonly caListeners = new Set<CaListener>();
  private readonly identityListeners = new Set<IdentityListener>();
  private identityValue: KeyAndCert | undefined;

  /**
   * `ca`: the cluster CA certificate (what peers must be signed by). `identity`: this process's
   * key and certificate chain; absent for an agent that has not joined yet.
   */
  constructor(
    private caValue: string,
    identity?: KeyAndCert,
  ) {
    this.identityValue = identity;
  }

  get ca(): string {
    return this.caValue;
  }

  get identity(): KeyAndCert | undefined {
    return this.identityValue;
  }

  /** A renewed certificate: new connections present it from now on. */
  setIdentity(identity: KeyAndCert): void {
    this.identityValue = identity;
    const update = { certificate: Buffer.from(identity.cert), privateKey: Buffer.from(identity.key) };
    for (const l of this.identityListeners) l(update);
  }

  // Listeners hear the current value on the next tick, not during add: grpc-js registers its own
  // watcher only after adding the listener, and an update delivered before that would be lost.
  addCaCertificateListener(listener: CaListener): void {
    this.caListeners.add(listener);
    queueMicrotask(() => {
      if (this.caListeners.has(listener)) listener({ caCertificate: Buffer.from(this.caValue) });
    });
  }

  removeCaCertificateListener(listener: CaListener): void {
    this.caListeners.delete(listener);
  }

  addIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.add(listener);
    queueMicrotask(() => {
      const id = this.identityValue;
      if (id && this.identityListeners.has(listener)) listener({ certificate: Buffer.from(id.cert), privateKey: Buffer.from(id.key) });
    });
  }

  removeIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.delete(listener);
  }
}
