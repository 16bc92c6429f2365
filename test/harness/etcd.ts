// A real etcd for tests: free loopback ports, a temp data dir, stopped by its own pid.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './ports';
import { reap } from './reaper';

export interface EtcdHandle {
  endpoint: string;
  dataDir: string;
  pid: number;
  stop(): Promise<void>;
  /** Stops etcd (SIGSTOP-free: really stops the process) and keeps its data for restart(). */
  pause(): Promise<void>;
  restart(): Promise<void>;
}

async function waitHealthy(endpoint: string, timeoutMs: number, child: ChildProcess, logFile: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`etcd exited with ${child.exitCode}: ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    try {
      const res = await fetch(`${endpoint}/health`);
      if (res.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`etcd at ${endpoint} not healthy after ${timeoutMs} ms: ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
}

export async function startEtcd(): Promise<EtcdHandle> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-etcd-'));
  const clientPort = await freePort();
  const peerPort = await freePort();
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const logFile = path.join(dataDir, 'etcd.log');
  let child: ChildProcess;

  const launch = async () => {
    const out = fs.openSync(logFile, 'a');
    child = reap(spawn(
      'etcd',
      [
        '--name', 'test',
        '--data-dir', path.join(dataDir, 'data'),
        '--listen-client-urls', endpoint,
        '--advertise-client-urls', endpoint,
        '--listen-peer-urls', `http://127.0.0.1:${peerPort}`,
        '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`,
        '--initial-cluster', `test=http://127.0.0.1:${peerPort}`,
        '--log-level', 'error',
      ],
      { stdio: ['ignore', out, out] },
    ));
    fs.closeSync(out);
    await waitHealthy(endpoint, 15_000, child, logFile);
  };

  const kill = async () => {
    if (!child || child.exitCode !== null || child.signalCode) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  };

  await launch();
  return {
    endpoint,
    dataDir,
    get pid() {
      return child.pid!;
    },
    async stop() {
      await kill();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    pause: kill,
    restart: launch,
  };
}
