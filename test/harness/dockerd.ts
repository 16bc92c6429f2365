// Test harness: a Docker Engine to run e2e tests against. Reuses a running engine, or starts
// the installed dockerd (and only then stops it again, by pid).
//
// Several test processes may call this at once against one socket. Only one of them may ever
// start a dockerd there: a second dockerd would unlink the first one's socket and take it over
// (leaving the first daemon running but unreachable). So: a socket file or a live dockerd for the
// socket means "one is (coming) up, wait for it"; and starting is done under an exclusive lock file.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Docker from 'dockerode';
import { cleanPodNetwork } from './processes';

export interface DockerHandle {
  docker: Docker;
  socketPath: string;
  /** True when this harness started dockerd (and stop() will end it). */
  started: boolean;
  logFile?: string;
  stop(): Promise<void>;
}

export const DEFAULT_SOCKET = '/var/run/docker.sock';

const DOCKERD_CANDIDATES = ['/usr/sbin/dockerd', '/usr/bin/dockerd', '/usr/local/bin/dockerd'];

/** How long to wait for a daemon that seems to be starting (socket present or process alive). */
const STARTING_WAIT_MS = 30_000;

/** Thrown when no engine is reachable and none can be started; callers outside CI skip. */
export class DockerUnavailable extends Error {}

async function answers(docker: Docker): Promise<boolean> {
  try {
    await docker.ping();
    return true;
  } catch {
    return false;
  }
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The unix sockets a dockerd command line listens on (none given: the default socket). */
export function dockerdSockets(argv: string[]): string[] {
  const hosts: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-H' || a === '--host') hosts.push(argv[++i] ?? '');
    else if (a.startsWith('--host=')) hosts.push(a.slice('--host='.length));
    else if (a.startsWith('-H') && a.length > 2) hosts.push(a.slice(2).replace(/^=/, ''));
  }
  if (hosts.length === 0) return [DEFAULT_SOCKET];
  return hosts.flatMap((h) => (h.startsWith('unix://') ? [h.slice('unix://'.length)] : h.startsWith('fd://') ? [DEFAULT_SOCKET] : h.startsWith('/') ? [h] : []));
}

/** Pids of live dockerd processes serving `socketPath` (read from /proc). */
export function dockerdPidsFor(socketPath: string): number[] {
  const pids: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return pids;
  }
  for (const d of entries) {
    try {
      const argv = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter((x) => x !== '');
      if (argv.length === 0 || basename(argv[0]!) !== 'dockerd') continue;
      // A zombie has finished: it serves nothing.
      if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${d}/stat`, 'utf8'))) continue;
      if (dockerdSockets(argv).includes(socketPath)) pids.push(Number(d));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

/** Polls until the engine answers, up to timeoutMs, while `stillHoping` holds. */
async function waitForAnswer(docker: Docker, timeoutMs: number, stillHoping: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await answers(docker)) return true;
    if (Date.now() > deadline || !stillHoping()) return false;
    await delay(200);
  }
}

/** A start lock per socket: O_EXCL create, holding our pid; taken over only from a dead holder. */
function startLockPath(socketPath: string): string {
  return join(tmpdir(), `kite-dockerd-start-${socketPath.replace(/[^a-zA-Z0-9]/g, '_')}.lock`);
}

function tryLock(path: string): boolean {
  for (let i = 0; i < 2; i++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (lockHolderAlive(path)) return false;
      rmSync(path, { force: true }); // stale: its holder died
    }
  }
  return false;
}

function lockHolderAlive(path: string): boolean {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return pid > 0 && pidAlive(pid);
  } catch {
    return false; // vanished or unreadable: not held
  }
}

function unlock(path: string): void {
  try {
    if (Number(readFileSync(path, 'utf8').trim()) === process.pid) rmSync(path, { force: true });
  } catch {
    // already gone
  }
}

function reuse(docker: Docker, socketPath: string): DockerHandle {
  return { docker, socketPath, started: false, stop: async () => {} };
}

export async function ensureDocker(socketPath = DEFAULT_SOCKET, timeoutMs = 60_000): Promise<DockerHandle> {
  const docker = new Docker({ socketPath });
  if (existsSync(socketPath) && (await answers(docker))) return reuse(docker, socketPath);

  const lock = startLockPath(socketPath);
  const daemonAlive = () => dockerdPidsFor(socketPath).length > 0;
  // A socket file, a dockerd for this socket or another harness mid-start: give it time to answer.
  if (existsSync(socketPath) || daemonAlive() || lockHolderAlive(lock)) {
    const hoping = () => existsSync(socketPath) || daemonAlive() || lockHolderAlive(lock);
    if (await waitForAnswer(docker, STARTING_WAIT_MS, hoping)) return reuse(docker, socketPath);
  }
  if (daemonAlive()) {
    // Never start a rival: it would take the live daemon's socket away from it.
    throw new Error(`a dockerd for ${socketPath} is running (pid ${dockerdPidsFor(socketPath).join(', ')}) but does not answer`);
  }

  const dockerd = DOCKERD_CANDIDATES.find((p) => existsSync(p));
  if (!dockerd) {
    const msg = 'no Docker Engine at ' + socketPath + ' and dockerd is not installed';
    if (process.env.CI === 'true') throw new Error(msg);
    throw new DockerUnavailable(msg);
  }

  if (!tryLock(lock)) {
    // Another harness won the race to start it: wait for that one.
    if (await waitForAnswer(docker, timeoutMs, () => lockHolderAlive(lock) || daemonAlive())) return reuse(docker, socketPath);
    throw new Error(`another process was starting dockerd on ${socketPath}, and it did not come up`);
  }
  try {
    // Between our checks and the lock someone may have finished starting one.
    if ((await answers(docker)) || daemonAlive()) {
      if (await waitForAnswer(docker, STARTING_WAIT_MS, daemonAlive)) return reuse(docker, socketPath);
      throw new Error(`a dockerd for ${socketPath} is running but does not answer`);
    }
    return await startDockerd(dockerd, docker, socketPath, timeoutMs);
  } finally {
    unlock(lock);
  }
}

async function startDockerd(dockerd: string, docker: Docker, socketPath: string, timeoutMs: number): Promise<DockerHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'kite-dockerd-'));
  const logFile = join(dir, 'dockerd.log');
  const fd = openSync(logFile, 'a');
  const child: ChildProcess = spawn(dockerd, ['--host', 'unix://' + socketPath], {
    stdio: ['ignore', fd, fd],
    env: { ...process.env, DOCKER_SERVICE_PREFER_OFFLINE_IMAGE: '1' },
    detached: false,
  });
  closeSync(fd);
  let exited = false;
  child.on('exit', () => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(docker))) {
    if (exited || Date.now() > deadline) {
      if (!exited) child.kill('SIGTERM');
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
      throw new Error('dockerd did not come up (' + logFile + '):\n' + tail);
    }
    await delay(200);
  }
  child.unref();
  const stop = async () => {
    if (exited || child.pid === undefined) return;
    // The pod network agents built on this engine goes while the engine can still remove it.
    cleanPodNetwork(socketPath === DEFAULT_SOCKET ? undefined : 'unix://' + socketPath);
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    process.kill(child.pid, 'SIGTERM');
    await Promise.race([gone, delay(20_000)]);
    if (!exited) process.kill(child.pid, 'SIGKILL');
  };
  return { docker, socketPath, started: true, logFile, stop };
}

/**
 * The Docker Engine for a suite (from a mocha before()): started when it is installed but not
 * running; without dockerd installed the suite skips, or fails under CI=true (ensureDocker throws).
 */
export async function dockerForSuite(ctx: Mocha.Context, socketPath?: string): Promise<DockerHandle> {
  try {
    return await ensureDocker(socketPath);
  } catch (e) {
    if (e instanceof DockerUnavailable) ctx.skip();
    throw e;
  }
}
