// Keys, certificate requests and certificates for the cluster CA, with @peculiar/x509 over
// Node's WebCrypto (no hand-written ASN.1). Everything is PEM text at this module's edges.
import { createHash, createPrivateKey, createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import { invalid } from '../errors';
import { ALGORITHM, loadX509, subtle, type CryptoKey, type CryptoKeyPair, type X509 } from './x509';
import { identityOfSubject, subjectOf, type Identity, CONTROLLER_SERVER_NAME, nodeServerName } from './identity';

/** A private key and the certificate (chain) that goes with it, as PEM. */
export interface KeyAndCert {
  key: string;
  cert: string;
}

export interface CertificateAuthority extends KeyAndCert {}

const CA_VALIDITY_MS = 10 * 365 * 24 * 3600_000;
/** Certificates start a minute in the past so a peer whose clock is slightly behind accepts them. */
const CLOCK_SKEW_MS = 60_000;

async function generateKeyPair(): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function privateKeyPem(keys: CryptoKeyPair): Promise<string> {
  const der = Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
}

/** A key pair from a PEM private key (the public half derived from it). */
async function importKeyPair(pem: string): Promise<CryptoKeyPair> {
  let pkcs8: Buffer;
  let spki: Buffer;
  try {
    const priv = createPrivateKey(pem);
    pkcs8 = priv.export({ format: 'der', type: 'pkcs8' });
    spki = createPublicKey(priv).export({ format: 'der', type: 'spki' });
  } catch (e) {
    throw invalid(`not a PEM private key: ${(e as Error).message}`);
  }
  return {
    privateKey: await subtle.importKey('pkcs8', pkcs8, ALGORITHM, true, ['sign']),
    publicKey: await subtle.importKey('spki', spki, ALGORITHM, true, ['verify']),
  };
}

function serialNumber(): string {
  // Positive (top bit clear), 128 bits of randomness.
  const b = randomBytes(16);
  b[0]! &= 0x7f;
  return b.toString('hex');
}

/** Escapes a value for an X.500 name string ("CN=a\,b"). */
function rdn(v: string): string {
  return v.replace(/([,+"\\<>;=])/g, '\\$1');
}

function distinguishedName(identity: Identity): string {
  const s = subjectOf(identity);
  return `CN=${rdn(s.commonName)}, O=${rdn(s.organization)}`;
}

/** A new self-signed cluster CA, valid ten years. */
export async function createCertificateAuthority(now = new Date()): Promise<CertificateAuthority> {
  const x509 = loadX509();
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=kite-cluster-ca-${randomBytes(4).toString('hex')}, O=kite`,
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(now.getTime() + CA_VALIDITY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { key: await privateKeyPem(keys), cert: cert.toString('pem') + '\n' };
}

/** A new private key and a signed request for a certificate naming `identity`. */
export async function createCertificateRequest(identity: Identity): Promise<{ key: string; csr: string }> {
  const x509 = loadX509();
  const keys = await generateKeyPair();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: distinguishedName(identity), keys, signingAlgorithm: ALGORITHM });
  return { key: await privateKeyPem(keys), csr: csr.toString('pem') };
}

export interface CertificateRequest {
  identity: Identity | undefined;
  publicKey: CryptoKey;
}

/** Parses a PEM request and checks its self-signature (the requester holds the key). */
export async function readCertificateRequest(pem: string): Promise<CertificateRequest> {
  const x509 = loadX509();
  let csr: X509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(pem);
  } catch (e) {
    throw invalid(`certificate request: not a PEM PKCS#10 request (${(e as Error).message})`);
  }
  if (!(await csr.verify())) throw invalid('certificate request: its signature does not verify');
  const field = (type: string): string => {
    const v = csr.subjectName.getField(type);
    return v.length === 1 ? v[0]! : '';
  };
  const publicKey = await csr.publicKey.export(ALGORITHM, ['verify']);
  return { identity: identityOfSubject({ commonName: field('CN'), organization: field('O') }), publicKey };
}

/** Server names a certificate for this identity carries (clients check them). */
function serverNames(identity: Identity): string[] {
  if (identity.kind === 'controller') return [CONTROLLER_SERVER_NAME];
  if (identity.kind === 'node') return [nodeServerName(identity.name)];
  return [];
}

/** What signing with a CA needs, parsed once per CA rather than per certificate (a join storm signs thousands). */
interface SigningMaterial {
  caCert: X509.X509Certificate;
  caKeys: CryptoKeyPair;
  authorityKeyId: X509.AuthorityKeyIdentifierExtension;
}

/** The last CA signed with (there is one per cluster; a new key or certificate replaces it). */
let lastSigner: { key: string; cert: string; material: Promise<SigningMaterial> } | undefined;

function signingMaterial(ca: CertificateAuthority): Promise<SigningMaterial> {
  if (lastSigner?.key === ca.key && lastSigner.cert === ca.cert) return lastSigner.material;
  const material = (async () => {
    const x509 = loadX509();
    const caCert = new x509.X509Certificate(ca.cert);
    return { caCert, caKeys: await importKeyPair(ca.key), authorityKeyId: await x509.AuthorityKeyIdentifierExtension.create(caCert, false) };
  })();
  // A CA that fails to parse is not remembered: the next call reports it again.
  material.catch(() => {
    if (lastSigner?.material === material) lastSigner = undefined;
  });
  lastSigner = { key: ca.key, cert: ca.cert, material };
  return material;
}

/**
 * Signs a certificate for `identity` over `publicKey`, valid `validityMs` from now. Controllers and
 * nodes both serve and dial, so theirs carry both extended key usages; users only dial.
 */
export async function issueCertificate(ca: CertificateAuthority, identity: Identity, publicKey: CryptoKey, validityMs: number, now = new Date()): Promise<string> {
  const x509 = loadX509();
  const { caCert, caKeys, authorityKeyId } = await signingMaterial(ca);
  const names = serverNames(identity);
  const usages = names.length ? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth] : [x509.ExtendedKeyUsage.clientAuth];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: distinguishedName(identity),
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(Math.min(now.getTime() + validityMs, caCert.notAfter.getTime())),
    publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension(usages, false),
      authorityKeyId,
      ...(names.length ? [new x509.SubjectAlternativeNameExtension(names.map((n) => ({ type: 'dns' as const, value: n })), false)] : []),
    ],
  });
  return cert.toString('pem') + '\n';
}

/** A fresh key and certificate for `identity`, signed by the CA (the controller's own, users'). */
export async function issueKeyAndCertificate(ca: CertificateAuthority, identity: Identity, validityMs: number, now = new Date()): Promise<KeyAndCert> {
  const keys = await generateKeyPair();
  return { key: await privateKeyPem(keys), cert: await issueCertificate(ca, identity, keys.publicKey, validityMs, now) };
}

/**
 * The CA pin agents are given to join (as `kubeadm join --discovery-token-ca-cert-hash`):
 * "sha256:" and the hex SHA-256 of the CA's SubjectPublicKeyInfo.
 */
export function caPin(ca: string | X509Certificate): string {
  const spki = (typeof ca === 'string' ? new X509Certificate(ca) : ca).publicKey.export({ format: 'der', type: 'spki' });
  return 'sha256:' + createHash('sha256').update(spki).digest('hex');
}

export function isCaPin(v: string): boolean {
  return /^sha256:[0-9a-f]{64}$/.test(v);
}

export interface CertificateFacts {
  notBefore: Date;
  notAfter: Date;
  identity: Identity | undefined;
  serial: string;
}

export function certificateFacts(pem: string): CertificateFacts {
  let c: X509Certificate;
  try {
    c = new X509Certificate(pem);
  } catch (e) {
    throw invalid(`not a PEM certificate: ${(e as Error).message}`);
  }
  const field = (name: string): string => {
    const m = new RegExp(`^${name}=(.*)$`, 'm').exec(c.subject);
    return m ? m[1]! : '';
  };
  return {
    notBefore: new Date(c.validFrom),
    notAfter: new Date(c.validTo),
    identity: identityOfSubject({ commonName: field('CN'), organization: field('O') }),
    serial: c.serialNumber,
  };
}

/** Whether `certPem` was signed by the CA `caPem` (a check for files read from disk). */
export function signedBy(certPem: string, caPem: string): boolean {
  try {
    return new X509Certificate(certPem).verify(new X509Certificate(caPem).publicKey);
  } catch {
    return false;
  }
}

/**
 * When to renew a certificate: at two thirds of its life, as kubelet and cert-manager do, so a
 * renewal that fails has a third of the lifetime left to be retried.
 */
export function renewalTime(facts: Pick<CertificateFacts, 'notBefore' | 'notAfter'>): Date {
  // Counted from when it was issued (notBefore is backdated by the clock-skew allowance).
  const issued = facts.notBefore.getTime() + CLOCK_SKEW_MS;
  return new Date(issued + ((facts.notAfter.getTime() - issued) * 2) / 3);
}
