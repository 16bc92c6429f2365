// The cluster CA: created by the first controller, kept in etcd with its private key sealed by the
// controllers' encryption keys (etcd alone never reveals it), shared by every later controller.
// It signs the controllers' own certificates, nodes' (on join and renewal) and users'.
import type { Etcd3 } from 'etcd3';
import type { Logger } from '../../common/log';
import { caPin, createCertificateAuthority, issueCertificate, issueKeyAndCertificate, type CertificateAuthority, type KeyAndCert } from '../../common/pki/certs';
import type { Identity } from '../../common/pki/identity';
import type { CryptoKey } from '../../common/pki/x509';
import type { KeyLayout } from '../store/keys';

/** Seals bytes for etcd and opens them again (the controller's keyring). */
export interface Sealer {
  seal(plaintext: Buffer, aad: string): string;
  open(envelope: string, aad: string): Buffer;
}

export class ClusterCa {
  private constructor(private readonly ca: CertificateAuthority) {}

  /** Reads the CA from etcd, or creates it when this is the cluster's first controller. */
  static async loadOrCreate(client: Etcd3, keys: KeyLayout, sealer: Sealer, log: Logger): Promise<ClusterCa> {
    // Two keys: the certificate in the clear, the private key as a sealed envelope (which key
    // rotation re-encrypts like any other sealed value).
    const certKey = keys.clusterCaCert;
    const keyKey = keys.clusterCaKey;
    const read = async (): Promise<ClusterCa | undefined> => {
      const [cert, sealedKey] = await Promise.all([client.get(certKey).string(), client.get(keyKey).string()]);
      if (cert === null) return undefined;
      if (sealedKey === null) throw new Error(`cluster CA: ${certKey} exists in etcd but ${keyKey} does not`);
      // Throws naming the key id when this controller's keys file lacks it (copy the first controller's).
      return new ClusterCa({ cert, key: sealer.open(sealedKey, keyKey).toString('utf8') });
    };
    const existing = await read();
    if (existing) return existing;
    const ca = await createCertificateAuthority();
    const res = await client
      .if(certKey, 'Create', '==', 0)
      .then(client.put(certKey).value(ca.cert), client.put(keyKey).value(sealer.seal(Buffer.from(ca.key), keyKey)))
      .commit();
    if (res.succeeded) {
      log.info({ component: 'cluster-ca', pin: caPin(ca.cert) }, 'created the cluster CA');
      return new ClusterCa(ca);
    }
    // Another controller created it first: use theirs.
    const theirs = await read();
    if (!theirs) throw new Error('cluster CA: lost the creation race but found no CA');
    return theirs;
  }

  get certificate(): string {
    return this.ca.cert;
  }

  /** The pin agents join with (sha256 of the CA's public key). */
  get pin(): string {
    return caPin(this.ca.cert);
  }

  /** A certificate for `identity` over a requester's public key (join, renewal). */
  sign(identity: Identity, publicKey: CryptoKey, validityMs: number): Promise<string> {
    return issueCertificate(this.ca, identity, publicKey, validityMs);
  }

  /**
   * A new key and certificate for `identity`, with the CA appended to the chain so a peer that
   * pins the CA (an agent joining) finds it in the handshake.
   */
  async issue(identity: Identity, validityMs: number): Promise<KeyAndCert> {
    const kc = await issueKeyAndCertificate(this.ca, identity, validityMs);
    return { key: kc.key, cert: kc.cert + this.ca.cert };
  }
}
