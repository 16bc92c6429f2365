// Certificates for third-party servers the tests run (etcd over TLS): a throwaway CA, serving
// certificates for loopback names and addresses, and client certificates. Built with the same
// @peculiar/x509 setup as the cluster CA (common/pki/x509.ts), but independent of Kite's identities.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALGORITHM, loadX509, subtle, type CryptoKeyPair, type X509 } from '../../common/pki/x509';

// The test harness loads it at once (the programs load it lazily).
const x509 = loadX509();

export interface TestCa {
  /** PEM. */
  cert: string;
  keys: CryptoKeyPair;
}

/** A key (PKCS#8 PEM) and its certificate (PEM). */
export interface TestKeyAndCert {
  key: string;
  cert: string;
}

const DAY_MS = 24 * 3600_000;

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function keyPem(keys: CryptoKeyPair): Promise<string> {
  const der = Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
}

function serial(): string {
  const b = randomBytes(16);
  b[0]! &= 0x7f; // positive
  return b.toString('hex');
}

/** A self-signed CA valid for a day, named `name` plus a random suffix. */
export async function createTestCa(name = 'kite-test-ca'): Promise<TestCa> {
  const keys = await generateKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name}-${randomBytes(4).toString('hex')}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem') + '\n', keys };
}

interface IssueOptions {
  commonName: string;
  usages: X509.ExtendedKeyUsage[];
  dns?: string[];
  ips?: string[];
}

async function issue(ca: TestCa, o: IssueOptions): Promise<TestKeyAndCert> {
  const keys = await generateKeys();
  const caCert = new x509.X509Certificate(ca.cert);
  const now = Date.now();
  const names = [...(o.dns ?? []).map((value) => ({ type: 'dns' as const, value })), ...(o.ips ?? []).map((value) => ({ type: 'ip' as const, value }))];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${o.commonName}`,
    issuer: caCert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + DAY_MS),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension(o.usages, false),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
      ...(names.length ? [new x509.SubjectAlternativeNameExtension(names, false)] : []),
    ],
  });
  return { key: await keyPem(keys), cert: cert.toString('pem') + '\n' };
}

/** A serving certificate for the given DNS names and IP addresses (subject alternative names). */
export function issueServerCertificate(ca: TestCa, names: { dns?: string[]; ips?: string[] }): Promise<TestKeyAndCert> {
  const commonName = names.dns?.[0] ?? names.ips?.[0] ?? 'server';
  // Server and client usage: etcd members also dial each other with their serving certificate.
  return issue(ca, { commonName, usages: [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth], ...names });
}

/** A client certificate with the given common name. */
export function issueClientCertificate(ca: TestCa, commonName: string): Promise<TestKeyAndCert> {
  return issue(ca, { commonName, usages: [x509.ExtendedKeyUsage.clientAuth] });
}

export interface TlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** Writes a CA certificate, a certificate and its key into `dir` as `<stem>.crt`, `<stem>.key` and ca.crt (keys 0600). */
export function writeTlsFiles(dir: string, stem: string, ca: TestCa, kc: TestKeyAndCert): TlsFiles {
  const caFile = path.join(dir, 'ca.crt');
  const certFile = path.join(dir, `${stem}.crt`);
  const keyFile = path.join(dir, `${stem}.key`);
  fs.writeFileSync(caFile, ca.cert);
  fs.writeFileSync(certFile, kc.cert);
  fs.writeFileSync(keyFile, kc.key, { mode: 0o600 });
  return { caFile, certFile, keyFile };
}
