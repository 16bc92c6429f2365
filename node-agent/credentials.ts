// This node's certificate: read from its PKI dir when a valid one is there, otherwise obtained by
// joining with a token (after checking the controller's CA against the pin it was given, as
// `kubeadm join --discovery-token-ca-cert-hash` does), and renewed at two thirds of its life over
// the node's own mTLS connection. No restart is needed for a renewal.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { loadProto, fromServiceError, type grpc } from '../common/grpc';
import { dial, type TransportSecurity } from '../common/transport';
import { errorMessage, invalid, unauthenticated } from '../common/errors';
import type { Logger } from '../common/log';
import { caPin, certificateFacts, createCertificateRequest, isCaPin, renewalTime, signedBy, type KeyAndCert } from '../common/pki/certs';
import { CertificateSource } from '../common/pki/certificate-source';
import { CONTROLLER_SERVER_NAME } from '../common/pki/identity';
import type { CertificateResponse__Output } from '../common/generated/kite/v1/CertificateResponse';

export interface NodeCredentialsOptions {
  controller: string;
  nodeName: string;
  /** ID.SECRET from `kite token create`; needed only when no valid certificate is on disk. */
  token?: string;
  /** sha256:HEX of the cluster CA's public key, printed with the token. */
  caHash?: string;
  /** Where ca.crt, node.crt and node.key live (mode 0600); in memory only when omitted (hollow nodes). */
  pkiDir?: string;
  log: Logger;
}

const FILES = { ca: 'ca.crt', cert: 'node.crt', key: 'node.key' };
/** After a failed renewal, try again this soon (the certificate still has a third of its life). */
const RENEW_RETRY_MS = 30_000;

export class NodeCredentials {
  private source: CertificateSource | undefined;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly opts: NodeCredentialsOptions) {}

  /** The certificates to use, from disk or by joining. */
  async obtain(): Promise<CertificateSource> {
    const saved = this.readSaved();
    if (saved) {
      this.opts.log.info({ component: 'credentials', notAfter: certificateFacts(saved.identity.cert).notAfter.toISOString() }, 'using the node certificate on disk');
      this.source = new CertificateSource(saved.ca, saved.identity);
    } else {
      this.source = await this.join();
    }
    this.scheduleRenewal();
    return this.source;
  }

  /** Dialing the controller: trust the cluster CA, present this node's certificate. */
  controllerSecurity(): TransportSecurity {
    return { mode: 'tls', certs: this.requireSource(), serverName: CONTROLLER_SERVER_NAME };
  }

  /** The logs/exec server: this node's certificate; only CA-signed clients get through the handshake. */
  serverSecurity(): TransportSecurity {
    return { mode: 'tls', certs: this.requireSource(), clientCertificates: 'require' };
  }

  stop(): void {
    this.stopped = true;
    if (this.renewTimer) clearTimeout(this.renewTimer);
  }

  private requireSource(): CertificateSource {
    if (!this.source) throw new Error('node credentials not obtained yet');
    return this.source;
  }

  /** A saved certificate for this node, signed by the saved CA, not yet expired. */
  private readSaved(): { ca: string; identity: KeyAndCert } | undefined {
    const dir = this.opts.pkiDir;
    if (!dir) return undefined;
    const read = (f: string) => {
      try {
        return fs.readFileSync(path.join(dir, f), 'utf8');
      } catch {
        return undefined;
      }
    };
    const ca = read(FILES.ca);
    const cert = read(FILES.cert);
    const key = read(FILES.key);
    if (!ca || !cert || !key) return undefined;
    try {
      const facts = certificateFacts(cert);
      const mine = facts.identity?.kind === 'node' && facts.identity.name === this.opts.nodeName;
      if (!mine || !signedBy(cert, ca)) {
        this.opts.log.warn({ component: 'credentials', dir }, 'the certificate on disk is not this node\'s or not signed by the saved CA; joining again');
        return undefined;
      }
      // A saved CA that differs from the pin we were given means a new cluster: join it.
      if (this.opts.caHash && caPin(ca) !== this.opts.caHash) return undefined;
      if (facts.notAfter.getTime() <= Date.now()) {
        this.opts.log.warn({ component: 'credentials', expired: facts.notAfter.toISOString() }, 'the node certificate on disk has expired; joining again');
        return undefined;
      }
    } catch (e) {
      this.opts.log.warn({ component: 'credentials', err: errorMessage(e) }, 'unreadable certificate on disk; joining again');
      return undefined;
    }
    return { ca, identity: { cert, key } };
  }

  private async join(): Promise<CertificateSource> {
    const { token, caHash, controller, nodeName } = this.opts;
    if (!token || !caHash) {
      throw invalid(
        `this node has no valid certificate${this.opts.pkiDir ? ` in ${this.opts.pkiDir}` : ''} and no join token: on an admin's machine run \`kite token create\` and start the agent with the --token and --ca-hash it prints`,
      );
    }
    if (!isCaPin(caHash)) throw invalid(`--ca-hash "${caHash}" is not sha256:<64 hex digits> as printed by \`kite token create\``);
    const ca = await fetchPinnedCaFromAny(controller, caHash);
    const { key, csr } = await createCertificateRequest({ kind: 'node', name: nodeName });
    const bootstrap = new CertificateSource(ca);
    const client = dial(controller, loadProto().kite.v1.Dispatcher, { security: { mode: 'tls', certs: bootstrap, serverName: CONTROLLER_SERVER_NAME }, ownConnection: true });
    try {
      const res = await call((cb) => client.Join({ token, node_name: nodeName, csr }, { deadline: Date.now() + 15_000 }, cb), controller);
      const identity = { cert: res.certificate, key };
      this.save(res.ca || ca, identity);
      this.opts.log.info({ component: 'credentials', node: nodeName, notAfter: certificateFacts(res.certificate).notAfter.toISOString() }, 'joined the cluster');
      return new CertificateSource(res.ca || ca, identity);
    } finally {
      client.close();
    }
  }

  private scheduleRenewal(): void {
    if (this.stopped) return;
    const source = this.requireSource();
    const at = renewalTime(certificateFacts(source.identity!.cert)).getTime();
    this.renewTimer = setTimeout(() => void this.renew(), Math.max(1000, at - Date.now()));
    this.renewTimer.unref();
  }

  private async renew(): Promise<void> {
    const source = this.requireSource();
    const client = dial(this.opts.controller, loadProto().kite.v1.Dispatcher, { security: this.controllerSecurity(), ownConnection: true });
    try {
      const { key, csr } = await createCertificateRequest({ kind: 'node', name: this.opts.nodeName });
      const res = await call((cb) => client.RenewCertificate({ csr }, { deadline: Date.now() + 15_000 }, cb), this.opts.controller);
      const identity = { cert: res.certificate, key };
      this.save(source.ca, identity);
      source.setIdentity(identity);
      this.opts.log.info({ component: 'credentials', notAfter: certificateFacts(res.certificate).notAfter.toISOString() }, 'renewed the node certificate');
      this.scheduleRenewal();
    } catch (e) {
      this.opts.log.error({ component: 'credentials', err: errorMessage(e) }, 'renewing the node certificate failed; retrying');
      if (!this.stopped) {
        this.renewTimer = setTimeout(() => void this.renew(), RENEW_RETRY_MS);
        this.renewTimer.unref();
      }
    } finally {
      client.close();
    }
  }

  private save(ca: string, identity: KeyAndCert): void {
    const dir = this.opts.pkiDir;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const [file, text] of [[FILES.ca, ca], [FILES.cert, identity.cert], [FILES.key, identity.key]] as const) {
      const tmp = path.join(dir, `.${file}.tmp`);
      fs.writeFileSync(tmp, text, { mode: 0o600 });
      fs.renameSync(tmp, path.join(dir, file));
    }
  }
}

function call(fn: (cb: (e: grpc.ServiceError | null, r?: CertificateResponse__Output) => void) => unknown, target: string): Promise<CertificateResponse__Output> {
  return new Promise((resolve, reject) => {
    fn((e, r) => (e ? reject(fromServiceError(e, target)) : resolve(r!)));
  });
}

/**
 * The controller target may list several controllers ("ipv4:10.0.0.1:7400,10.0.0.2:7400", as gRPC
 * accepts): the CA comes from the first that answers.
 */
async function fetchPinnedCaFromAny(target: string, pin: string): Promise<string> {
  const addresses = target.replace(/^(ipv4|ipv6|dns):(\/\/[^/]*\/)?/, '').split(',').map((a) => a.trim()).filter(Boolean);
  let last: unknown;
  for (const address of addresses) {
    try {
      return await fetchPinnedCa(address, pin);
    } catch (e) {
      last = e;
    }
  }
  throw last ?? invalid(`no controller address in "${target}"`);
}

/**
 * The cluster CA as the controller presents it in its TLS handshake (its chain ends with the CA),
 * accepted only if its public key matches the pin: a man in the middle cannot pass its own.
 */
export function fetchPinnedCa(address: string, pin: string, timeoutMs = 10_000): Promise<string> {
  const m = /^(.*):(\d+)$/.exec(address);
  if (!m) return Promise.reject(invalid(`controller address "${address}" is not HOST:PORT`));
  const host = m[1]!.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve, reject) => {
    // Not verified here on purpose: the pin below is the check.
    const socket = tls.connect({ host, port: Number(m[2]), servername: CONTROLLER_SERVER_NAME, rejectUnauthorized: false, ALPNProtocols: ['h2'] });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(unauthenticated(`no TLS handshake with the controller at ${address} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(unauthenticated(`cannot fetch the cluster CA from ${address}: ${e.message}`));
    });
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const seen: string[] = [];
      let found: string | undefined;
      let c: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
      for (let depth = 0; c?.raw && depth < 5 && !found; depth++) {
        const x = new X509Certificate(c.raw);
        const p = caPin(x);
        seen.push(p);
        if (p === pin && x.ca) found = x.toString();
        c = c.issuerCertificate && c.issuerCertificate !== c ? c.issuerCertificate : undefined;
      }
      socket.destroy();
      if (found) resolve(found);
      else reject(unauthenticated(`the controller at ${address} presented no CA matching --ca-hash ${pin} (it presented ${seen.join(', ') || 'no certificate'}); is this the right cluster?`));
    });
  });
}
