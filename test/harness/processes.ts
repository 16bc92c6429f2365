// Kite's own programs as real child processes for tests: controllers, agents and the CLI, on free
// loopback ports, each stopped by its own pid. Run from the build under `npm test`, else from source (programCommand).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './ports';
import { atRunEnd, reap } from './reaper';
import type { KiteClient } from '../../common/client';
import { adminClient, adminConfigFor, controllerSecurityArgs, joinArgs, registerController, secretsDir } from './credentials';

const ROOT = path.resolve(__dirname, '../..');
const TSX_ARGS = ['--import', 'tsx'];

/**
 * The command that runs one of Kite's programs. With KITE_RUN_DIST=1 (set by `npm test` and the
 * benchmarks after building) it is the compiled build users run: a CLI call starts in ~0.3 s
 * instead of ~0.65 s through tsx, whose loader also adds ~30 MB of RSS. Otherwise (a single test
 * file run by hand) the source, through tsx, so no build is needed.
 */
export function programCommand(entry: string): string[] {
  if (process.env.KITE_RUN_DIST === '1' && /^(controller|node-agent|cli)\//.test(entry)) {
    const built = path.join(ROOT, 'dist', entry.replace(/\.ts$/, '.js'));
    if (!fs.existsSync(built)) throw new Error(`${built} is missing: run npm run build first`);
    return [built];
  }
  return [...TSX_ARGS, path.join(ROOT, entry)];
}

export interface ProcessHandle {
  pid: number;
  logFile: string;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

export interface LaunchOptions {
  env?: Record<string, string>;
  /** Flags for node itself (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /** Hand stdout to the caller (child.stdout) instead of the log file; stderr still goes to the log. */
  pipeStdout?: boolean;
  /** How long stop() waits after SIGTERM before SIGKILL (default 5 s). */
  stopGraceMs?: number;
}

/** Starts one of the project's programs (or a bench script) as a child process, logging to a temp file. */
export function launch(entry: string, args: string[], opts: LaunchOptions = {}): ProcessHandle & { child: ChildProcess } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-proc-'));
  const logFile = path.join(dir, path.basename(entry, '.ts') + '.log');
  const out = fs.openSync(logFile, 'a');
  const child: ChildProcess = reap(spawn(process.execPath, [...(opts.nodeFlags ?? []), ...programCommand(entry), ...args], {
    cwd: ROOT,
    env: { ...process.env, KITE_LOG_LEVEL: process.env.KITE_TEST_LOG_LEVEL ?? 'info', ...opts.env },
    stdio: ['ignore', opts.pipeStdout ? 'pipe' : out, out],
  }));
  fs.closeSync(out);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    pid: child.pid!,
    logFile,
    exited,
    async stop() {
      if (gone()) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), opts.stopGraceMs ?? 5000);
      await exited;
      clearTimeout(t);
    },
    async kill() {
      if (gone()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface ControllerHandle extends ProcessHandle {
  target: string;
  httpPort: number;
  grpcPort: number;
  /** The Kubernetes API (HTTPS) for kubectl. */
  kubeApiPort: number;
  /** The admin's client. */
  client: KiteClient;
  /** The admin's credential file the controller wrote (KITE_CONFIG for `kite`). */
  adminConfig: string;
}

export interface ControllerOpts {
  etcd: string;
  id?: string;
  prefix?: string;
  nodeGraceSeconds?: number;
  heartbeatMs?: number;
  leaderTtlSeconds?: number;
  grpcPort?: number;
  httpPort?: number;
  /** More flags (e.g. --cert-validity). */
  extraArgs?: string[];
  /** Benchmarks' TLS-cost baseline only. */
  plaintextForBenchmarks?: boolean;
  /** TLS to etcd: --etcd-cafile, --etcd-certfile, --etcd-keyfile. */
  etcdTls?: { caFile: string; certFile: string; keyFile: string };
}

/** Starts kite-controller and waits until its API answers (as the admin). */
export async function startController(o: ControllerOpts): Promise<ControllerHandle> {
  const grpcPort = o.grpcPort ?? (await freePort());
  const httpPort = o.httpPort ?? (await freePort());
  const kubeApiPort = await freePort();
  const args = ['--etcd', o.etcd, '--listen', `127.0.0.1:${grpcPort}`, '--http', `127.0.0.1:${httpPort}`, '--kube-api-listen', `127.0.0.1:${kubeApiPort}`];
  if (o.id) args.push('--id', o.id);
  if (o.prefix) args.push('--etcd-prefix', o.prefix);
  if (o.nodeGraceSeconds) args.push('--node-grace', String(o.nodeGraceSeconds));
  if (o.heartbeatMs) args.push('--heartbeat', String(o.heartbeatMs));
  if (o.leaderTtlSeconds) args.push('--leader-ttl', String(o.leaderTtlSeconds));
  if (o.etcdTls) args.push('--etcd-cafile', o.etcdTls.caFile, '--etcd-certfile', o.etcdTls.certFile, '--etcd-keyfile', o.etcdTls.keyFile);
  const security = controllerSecurityArgs(o.etcd, o.prefix, grpcPort);
  args.push(...security.args, ...(o.extraArgs ?? []));
  if (o.plaintextForBenchmarks) args.push('--plaintext-for-benchmarks');
  const p = launch('controller/main.ts', args);
  const target = `127.0.0.1:${grpcPort}`;
  const client = await waitForController(target, security.adminConfig, p.logFile, () => p.stop(), undefined, 5000, o.plaintextForBenchmarks);
  const stop = p.stop;
  const kill = p.kill;
  return {
    ...p,
    target,
    grpcPort,
    httpPort,
    kubeApiPort,
    client,
    adminConfig: security.adminConfig,
    stop: async () => {
      client.close();
      await stop();
    },
    kill: async () => {
      client.close();
      await kill();
    },
  };
}

/**
 * Waits until a controller has written the admin's credential and its API answers to it; then
 * creates the join token its agents will use. On giving up (30 s, or `exited()` says the process
 * is gone) calls `abandon` and throws with the end of its log. Resolves with the admin's client.
 */
export async function waitForController(
  target: string,
  adminConfig: string,
  logFile: string,
  abandon: () => unknown,
  exited: () => boolean = () => false,
  timeoutMs = 5000,
  plaintext = false,
): Promise<KiteClient> {
  const until = Date.now() + 30_000;
  let client: KiteClient | undefined;
  for (;;) {
    try {
      client ??= adminClient(target, adminConfig, timeoutMs, plaintext);
      if (!client) throw new Error(`${adminConfig} not written yet`);
      await client.version();
      if (!plaintext) await registerController(target, adminConfig, client);
      return client;
    } catch (e) {
      if (exited() || Date.now() > until) {
        await abandon();
        throw new Error(`controller did not start: ${String(e)}\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface AgentOpts {
  controller: string;
  name: string;
  runtime?: 'docker' | 'fake';
  labels?: string;
  taints?: string;
  dockerHost?: string;
  address?: string;
  dataDir?: string;
  /** More flags. */
  extraArgs?: string[];
}

export interface AgentHandle extends ProcessHandle {
  httpPort: number;
  streamPort: number;
}

export async function startAgent(o: AgentOpts): Promise<AgentHandle> {
  const httpPort = await freePort();
  const streamPort = await freePort();
  const args = [
    '--controller', o.controller,
    '--name', o.name,
    '--runtime', o.runtime ?? 'docker',
    '--http', `127.0.0.1:${httpPort}`,
    '--stream', `127.0.0.1:${streamPort}`,
    '--data-dir', o.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kite-agent-')),
  ];
  if (o.labels) args.push('--labels', o.labels);
  if (o.taints) args.push('--taints', o.taints);
  if (o.dockerHost) args.push('--docker-host', o.dockerHost);
  if (o.address) args.push('--address', o.address);
  args.push(...joinArgs(o.controller), '--secrets-dir', secretsDir(), ...(o.extraArgs ?? []));
  if ((o.runtime ?? 'docker') === 'docker') cleanPodNetworkAtRunEnd(o.dockerHost);
  return { ...launch('node-agent/main.ts', args), httpPort, streamPort };
}

const cleanedHosts = new Set<string>();

/**
 * An agent on a real engine builds the pod network on this host (the kite bridge, routes, KITE-*
 * iptables chains), which outlives it on purpose: its pods keep running. The run removes it at the
 * end with the agent's own `--cleanup` (and an engine the harness started does so before it stops).
 */
function cleanPodNetworkAtRunEnd(dockerHost: string | undefined): void {
  const key = dockerHost ?? '';
  if (cleanedHosts.has(key)) return;
  cleanedHosts.add(key);
  atRunEnd(() => cleanPodNetwork(dockerHost));
}

/** `kite-agent --cleanup` against an engine, synchronously (usable at process exit). */
export function cleanPodNetwork(dockerHost: string | undefined): void {
  spawnSync(process.execPath, [...programCommand('node-agent/main.ts'), '--cleanup', ...(dockerHost ? ['--docker-host', dockerHost] : [])], {
    cwd: ROOT,
    env: { ...process.env, KITE_LOG_LEVEL: 'silent' },
    stdio: 'ignore',
    timeout: 30_000,
  });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A `kite` run that outlived its timeout; carries what it printed until it was killed. */
export class CliTimeout extends Error {
  constructor(
    readonly args: string[],
    readonly timeoutMs: number,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`kite ${args.join(' ')} did not finish within ${timeoutMs} ms (killed)\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`);
    this.name = 'CliTimeout';
  }
}

/**
 * Runs `kite ARGS` against a controller; stdin is optional text or bytes. A run taking longer than
 * timeoutMs (default 60 s) is killed and rejects with CliTimeout, so a hung CLI fails its test
 * with its output instead of hanging the suite.
 */
export function kite(server: string, args: string[], stdin?: string | Buffer, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...programCommand('cli/main.ts'), ...args], {
      cwd: ROOT,
      // As its admin unless the test says otherwise (env KITE_CONFIG).
      env: { ...process.env, KITE_SERVER: server, KITE_CONFIG: adminConfigFor(server) ?? '/nonexistent/kite-config', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) reject(new CliTimeout(args, timeoutMs, stdout, stderr));
      else resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    if (stdin !== undefined) child.stdin.end(stdin);
    else child.stdin.end();
  });
}

/** Polls fn until it returns a truthy value; throws with the last error after timeoutMs. */
export async function eventually<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
