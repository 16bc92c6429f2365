// A real image registry for tests: Debian's docker-registry (Docker Distribution v2) on a free
// loopback port, with filesystem storage in a temp dir and optional htpasswd (bcrypt) auth.
// Docker Engine treats 127.0.0.0/8 registries as insecure by default, so plain HTTP works.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import bcrypt from 'bcryptjs';
import type Docker from 'dockerode';
import { stringify } from 'yaml';
import { freePort } from './ports';
import { ensureTestImage } from './images';

export const REGISTRY_BINARY = 'docker-registry';

export interface RegistryCredentials {
  user: string;
  password: string;
}

export interface RegistryHandle {
  /** host:port, the registry part of image references (e.g. `127.0.0.1:41234`). */
  host: string;
  /** http://host:port */
  url: string;
  pid: number;
  logFile: string;
  auth?: RegistryCredentials;
  /** `host/repo:tag` */
  ref(repoTag: string): string;
  /** Ends the registry by its pid and removes its temp dir (storage included). */
  stop(): Promise<void>;
}

export interface RegistryOpts {
  auth?: RegistryCredentials;
  timeoutMs?: number;
}

/**
 * An htpasswd line the registry accepts. bcryptjs writes `$2b$`; the registry documents `$2y$`
 * (same algorithm, different label), so the label is rewritten to be safe.
 */
export function htpasswdLine(user: string, password: string): string {
  // Cost 5 (near the minimum): test-only credentials, and the registry checks the hash on every request.
  const hash = bcrypt.hashSync(password, 5).replace(/^\$2[abxy]\$/, '$2y$');
  return `${user}:${hash}\n`;
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitAnswering(url: string, authed: boolean, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  const expected = authed ? 401 : 200;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`docker-registry exited (${child.exitCode ?? child.signalCode}): ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    try {
      const res = await fetch(`${url}/v2/`);
      if (res.status === expected) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > until) throw new Error(`docker-registry at ${url} did not answer /v2/ within ${timeoutMs} ms: ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    await delay(50);
  }
}

export async function startRegistry(opts: RegistryOpts = {}): Promise<RegistryHandle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const url = `http://${host}`;
  const config: Record<string, unknown> = {
    version: 0.1,
    log: { level: 'info', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: path.join(dir, 'data') }, delete: { enabled: true } },
    http: { addr: host, secret: 'kite-test-registry' },
  };
  if (opts.auth) {
    const htpasswd = path.join(dir, 'htpasswd');
    fs.writeFileSync(htpasswd, htpasswdLine(opts.auth.user, opts.auth.password), { mode: 0o600 });
    config.auth = { htpasswd: { realm: 'kite-test-registry', path: htpasswd } };
  }
  const configFile = path.join(dir, 'config.yml');
  fs.writeFileSync(configFile, stringify(config));
  const logFile = path.join(dir, 'registry.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(REGISTRY_BINARY, ['serve', configFile], { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async () => {
    if (!gone()) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitAnswering(url, opts.auth !== undefined, child, logFile, opts.timeoutMs ?? 15_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { host, url, pid: child.pid!, logFile, auth: opts.auth, ref: (repoTag) => `${host}/${repoTag}`, stop };
}

interface ProgressEvent {
  error?: string;
  errorDetail?: { message?: string };
}

/** Follows an engine progress stream to its end; an error entry fails it (push reports errors that way). */
export function followProgress(docker: Docker, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let failed: Error | undefined;
    docker.modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : failed ? reject(failed) : resolve()),
      (ev: ProgressEvent) => {
        if (ev.error && !failed) failed = new Error(ev.errorDetail?.message ?? ev.error);
      },
    );
  });
}

/**
 * The engine's auth config for a registry (dockerode sends it as X-Registry-Auth). Without
 * credentials it still names the server: the engine refuses a push with no X-Registry-Auth at all.
 */
export function authConfigFor(registry: RegistryHandle, auth: RegistryCredentials | undefined): Docker.AuthConfig {
  return auth ? { username: auth.user, password: auth.password, serveraddress: registry.host } : ({ serveraddress: registry.host } as Docker.AuthConfig);
}

/**
 * Tags `source` (default: the local test image) as `registry/repoTag` and pushes it, returning the
 * full reference. `auth` defaults to the registry's own credentials; `null` pushes anonymously.
 * The pushed tag stays in the local engine: callers remove it when they want a real pull later.
 */
export async function pushTestImage(
  docker: Docker,
  registry: RegistryHandle,
  repoTag: string,
  auth?: RegistryCredentials | null,
  source?: string,
): Promise<string> {
  const from = source ?? (await ensureTestImage(docker));
  const ref = registry.ref(repoTag);
  const i = ref.lastIndexOf(':');
  await docker.getImage(from).tag({ repo: ref.slice(0, i), tag: ref.slice(i + 1) });
  const credentials = auth === null ? undefined : (auth ?? registry.auth);
  const stream = await docker.getImage(ref).push({ authconfig: authConfigFor(registry, credentials) });
  await followProgress(docker, stream);
  return ref;
}
