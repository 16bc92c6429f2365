// The real kubectl against a test controller's Kubernetes API: a kubeconfig made from the admin's
// credential, a private discovery cache, and a runner like kite()'s.
import { spawn } from 'node:child_process';
import * as https from 'node:https';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readClientConfig } from '../../common/client-config';
import { buildKubeconfig } from '../../cli/commands/kubeconfig';
import { CONTROLLER_SERVER_NAME } from '../../common/pki/identity';
import { hasCommand, IN_CI } from './require';
import type { CliResult } from './processes';

/** kubectl 1.32 as the Google Cloud CLI package installs it; `/usr/bin/kubectl` dispatches by server version. */
export const KUBECTL_132 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
export const KUBECTL_DISPATCHER = '/usr/bin/kubectl';

/** Call from a mocha before(): skips without kubectl, fails under CI. */
export function requireKubectl(ctx: Mocha.Context): void {
  if (fs.existsSync(KUBECTL_132) && hasCommand('kubectl')) return;
  if (IN_CI) throw new Error(`kubectl 1.32 is required (CI=true) but ${KUBECTL_132} is missing`);
  ctx.skip();
}

export interface Kubectl {
  kubeconfig: string;
  run(args: string[], opts?: { stdin?: string; env?: Record<string, string>; binary?: string; timeoutMs?: number }): Promise<CliResult>;
  /** Removes the kubeconfig and cache. */
  cleanup(): void;
}

/** A kubeconfig for `credentialFile`'s user (a kite credential: CA, certificate, key) at the API's port. */
export function kubectlFor(credentialFile: string, kubeApiPort: number): Kubectl {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-kubectl-'));
  const cred = readClientConfig(credentialFile);
  if (!cred.ca || !cred.cert || !cred.key) throw new Error(`${credentialFile} is not a complete kite credential`);
  const kubeconfig = path.join(dir, 'kubeconfig');
  const text = buildKubeconfig({ server: `https://127.0.0.1:${kubeApiPort}`, ca: cred.ca, user: cred.user ?? 'kite', namespace: 'default', credential: { cert: cred.cert, key: cred.key } });
  fs.writeFileSync(kubeconfig, text, { mode: 0o600 });
  const cacheDir = path.join(dir, 'cache');
  return {
    kubeconfig,
    run: (args, opts = {}) => runKubectl(opts.binary ?? KUBECTL_132, ['--cache-dir', cacheDir, ...args], { KUBECONFIG: kubeconfig, ...opts.env }, opts.stdin, opts.timeoutMs ?? 60_000),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

function runKubectl(binary: string, args: string[], env: Record<string, string>, stdin: string | undefined, timeoutMs: number): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') reject(new Error(`kubectl ${args.join(' ')} timed out after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
      else resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(stdin ?? '');
  });
}

export interface KubeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body as JSON, when it is. */
  json(): Record<string, unknown>;
}

/**
 * One raw request to the Kubernetes API: as a kite credential file's user (client certificate), or
 * with a bearer token and no certificate.
 */
export function kubeRequest(auth: string | { ca: string; token: string }, port: number, method: string, urlPath: string, o: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<KubeResponse> {
  const tlsAuth = typeof auth === 'string' ? (({ ca, cert, key }) => ({ ca, cert, key }))(readClientConfig(auth)) : { ca: auth.ca };
  const bearer: Record<string, string> = typeof auth === 'string' ? {} : { authorization: `Bearer ${auth.token}` };
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port, path: urlPath, method, ...tlsAuth, servername: CONTROLLER_SERVER_NAME, headers: { accept: 'application/json', ...bearer, ...o.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) as Record<string, unknown> });
        });
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}
