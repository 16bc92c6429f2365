// A client credential file (~/.kite/config): where the controller is, and the CA, certificate and
// key that prove who the user is — the role of kubeconfig's embedded cluster and user data. The
// controller writes the admin's (`--admin-config`), `kite user create` writes others'; the CLI,
// tests and benchmarks read it. Always written mode 0600, atomically.
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { invalid } from './errors';
import { CertificateSource } from './pki/certificate-source';
import { CONTROLLER_SERVER_NAME } from './pki/identity';
import type { TransportSecurity } from './transport';

export interface ClientConfig {
  /** HOST:PORT of a controller. */
  server?: string;
  /** Default namespace for commands. */
  namespace?: string;
  /** Who the certificate names (informational; the certificate is what counts). */
  user?: string;
  /** PEM: the cluster CA, this user's certificate and private key. */
  ca?: string;
  cert?: string;
  key?: string;
}

const FIELDS = ['server', 'namespace', 'user', 'ca', 'cert', 'key'] as const;

export function readClientConfig(file: string): ClientConfig {
  if (!fs.existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw invalid(`${file}: not valid YAML: ${(e as Error).message}`);
  }
  if (parsed == null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid(`${file}: must be a mapping like "server: 127.0.0.1:7400"`);
  const c = parsed as Record<string, unknown>;
  for (const k of Object.keys(c)) if (!(FIELDS as readonly string[]).includes(k)) throw invalid(`${file}: unknown setting "${k}" (known: ${FIELDS.join(', ')})`);
  for (const k of FIELDS) if (c[k] !== undefined && typeof c[k] !== 'string') throw invalid(`${file}: ${k} must be a string`);
  const credentialFields = (['ca', 'cert', 'key'] as const).filter((k) => c[k] !== undefined);
  if (credentialFields.length && credentialFields.length !== 3) throw invalid(`${file}: ca, cert and key go together (found only ${credentialFields.join(', ')})`);
  return c as ClientConfig;
}

/** Writes the file with mode 0600 (its directory 0700), replacing any previous one at once. */
export function writeClientConfig(file: string, config: ClientConfig): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, YAML.stringify(config, { lineWidth: 0, blockQuote: 'literal' }), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** The TLS settings for dialing a controller with this credential. */
export function clientSecurity(config: ClientConfig, file: string): TransportSecurity {
  if (!config.ca || !config.cert || !config.key) {
    throw invalid(`no credential in ${file}: the controller requires a client certificate (npm run up writes the admin's to ~/.kite/config; \`kite user create\` makes others)`);
  }
  return { mode: 'tls', certs: new CertificateSource(config.ca, { cert: config.cert, key: config.key }), serverName: CONTROLLER_SERVER_NAME };
}
