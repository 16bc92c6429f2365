// Test harness: a Docker Engine to run e2e tests against. Reuses a running engine, or starts
// the installed dockerd (and only then stops it again, by pid).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';

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

export async function ensureDocker(socketPath = DEFAULT_SOCKET, timeoutMs = 60_000): Promise<DockerHandle> {
  const docker = new Docker({ socketPath });
  if (existsSync(socketPath) && (await answers(docker))) {
    return { docker, socketPath, started: false, stop: async () => {} };
  }
  const dockerd = DOCKERD_CANDIDATES.find((p) => existsSync(p));
  if (!dockerd) {
    const msg = 'no Docker Engine at ' + socketPath + ' and dockerd is not installed';
    if (process.env.CI === 'true') throw new Error(msg);
    throw new DockerUnavailable(msg);
  }
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
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    process.kill(child.pid, 'SIGTERM');
    await Promise.race([gone, delay(20_000)]);
    if (!exited) process.kill(child.pid, 'SIGKILL');
  };
  return { docker, socketPath, started: true, logFile, stop };
}
