// Several "hosts" on one machine for multi-host tests: a bridge in the root namespace, and per host a
// network namespace wired to it with a veth pair, its own dockerd (own data root, exec root, socket,
// cgroup parent) and its own kite-agent, started inside the namespace so the host's address is its
// own. Faults act on real pieces: kill() SIGKILLs every process of the host (and its containers),
// cutOff() takes its link down. Teardown is synchronous so it also runs from a process 'exit' hook,
// and works from a saved HostsState (`npm run down`).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Docker from 'dockerode';
import type { KiteClient } from '../../common/client';
import { controllerSecurityArgs, joinArgs, secretsDir } from './credentials';
import { ensureTestImage, TEST_IMAGE } from './images';
import { ensureDocker } from './dockerd';
import { programCommand, waitForController } from './processes';

const ROOT = path.resolve(__dirname, '../..');
/** Fixed ports are fine inside a host: every host has its own network namespace. */
export const AGENT_HTTP_PORT = 7402;
export const AGENT_STREAM_PORT = 7403;

/** Everything teardown needs, serialisable (written to .kite-local/hosts.json by up-hosts). */
export interface HostsState {
  id: string;
  dir: string;
  bridge: string;
  bridgeIp: string;
  /** iptables FORWARD rule (without -I/-D) that lets bridged traffic between hosts pass. */
  forwardRule: string[];
  hosts: HostState[];
  /** Extra processes (controllers, etcd) started next to the hosts, killed on teardown. */
  pids: number[];
}

export interface HostState {
  name: string;
  ip: string;
  netns: string;
  vethRoot: string;
  dir: string;
  socket: string;
  cgroupParent: string;
  dockerdPid: number;
  agentPid: number;
}

export interface TestHost extends HostState {
  index: number;
  docker: Docker;
  agentLog: string;
  dockerdLog: string;
  /** host:port of the agent's stream endpoint (logs/exec). */
  stream: string;
}

export interface HostsOptions {
  /** Controller target(s) the agents dial; omit to start agents later with startAgents(). */
  controller?: string;
  /** Node name prefix; node i is `${prefix}${i}`. Default `kh-<id>-`. */
  namePrefix?: string;
  /** Load the test image into every host (default true). */
  loadImage?: boolean;
  /** More images to copy from the main engine into every host (they must exist there). */
  images?: string[];
  /** Extra environment for agents (e.g. KITE_LOG_LEVEL). */
  agentEnv?: Record<string, string>;
  /** Detach processes from this one (for `npm run up`): they outlive the script. */
  detached?: boolean;
  /** Set DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 for each dockerd (Swarm without a registry). */
  swarmReady?: boolean;
  /** Agents' join and secrets-dir flags (default: the harness' token and a /dev/shm dir removed at exit); `npm run up` passes its own. */
  agentSecurityArgs?: (h: TestHost, controller: string) => string[];
}

export interface TestHosts {
  state: HostsState;
  hosts: TestHost[];
  bridgeIp: string;
  startAgents(controller: string): void;
  startAgent(h: TestHost, controller: string): void;
  /** Power off: SIGKILL the agent, dockerd, containerd, shims and every container of the host. */
  kill(h: TestHost): void;
  /** Network partition: the host's link goes down; its processes keep running. */
  cutOff(h: TestHost): void;
  heal(h: TestHost): void;
  stopAgent(h: TestHost, signal?: NodeJS.Signals): Promise<void>;
  restartAgent(h: TestHost): Promise<void>;
  /**
   * Stops only this host's dockerd as `systemctl stop docker` would (SIGTERM: the engine stops its
   * containers and exits); the agent keeps running. Resolves once dockerd and its containerd are gone.
   */
  stopEngine(h: TestHost, signal?: NodeJS.Signals): Promise<void>;
  /** Starts this host's dockerd again with the same data root, exec root and socket; resolves once it answers. */
  startEngine(h: TestHost): Promise<void>;
  /** Runs a command inside the host's network namespace (e.g. wget to another host). */
  exec(h: TestHost, cmd: string[], timeoutMs?: number): string;
  /** Registers a pid to kill at teardown (a controller or etcd started for these hosts). */
  track(pid: number): void;
  teardown(): void;
}

const run = (cmd: string, args: string[], opts: { timeout?: number; env?: NodeJS.ProcessEnv } = {}) =>
  execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: opts.timeout ?? 30_000, env: opts.env }).toString();

const quiet = (fn: () => unknown) => {
  try {
    fn();
  } catch {
    /* best effort: teardown goes on */
  }
};

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Signals one process; never pid 0 or 1 (kill(0) would signal our own process group). */
function signal(pid: number, sig: NodeJS.Signals): void {
  if (!Number.isInteger(pid) || pid <= 1) return;
  quiet(() => process.kill(pid, sig));
}

/** Whether a process is running (a zombie, exited but not yet reaped, counts as gone). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  try {
    // A zombie (exited, not yet reaped while teardown blocks the event loop) counts as gone.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The command name of a process ('' once it is gone). */
function commOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** A 10.X.0.0/24 not routed on this machine yet. */
function pickSubnet(): number {
  const routes = run('ip', ['-4', 'route']);
  for (let i = 0; i < 200; i++) {
    const x = 100 + Math.floor(Math.random() * 150);
    if (!routes.includes(`10.${x}.`)) return x;
  }
  throw new Error('no free 10.X.0.0/24 subnet for test hosts');
}

/** Pids of every process attached to a cgroup below `parent` (cgroup v1 or v2). */
function cgroupDirs(parent: string): string[] {
  const bases = fs.existsSync('/sys/fs/cgroup/cgroup.controllers')
    ? ['/sys/fs/cgroup']
    : fs.readdirSync('/sys/fs/cgroup').map((c) => path.join('/sys/fs/cgroup', c));
  const out: string[] = [];
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(d, e.name));
    out.push(d); // children before parents, so rmdir works in order
  };
  for (const b of bases) walk(path.join(b, parent));
  return out;
}

function killCgroup(parent: string): void {
  for (let round = 0; round < 5; round++) {
    let found = false;
    for (const d of cgroupDirs(parent)) {
      let pids: string[] = [];
      quiet(() => (pids = fs.readFileSync(path.join(d, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)));
      for (const p of pids) {
        found = true;
        signal(Number(p), 'SIGKILL');
      }
    }
    if (!found) break;
    execFileSync('sleep', ['0.2']);
  }
}

function removeCgroup(parent: string): void {
  for (const d of cgroupDirs(parent)) quiet(() => fs.rmdirSync(d));
}

/** Every process whose network namespace is the host's (dockerd, containerd, shims, proxies, agent). */
function netnsPids(netns: string): number[] {
  try {
    return run('ip', ['netns', 'pids', netns]).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function powerOff(h: HostState): void {
  signal(h.agentPid, 'SIGKILL');
  signal(h.dockerdPid, 'SIGKILL');
  for (const p of netnsPids(h.netns)) signal(p, 'SIGKILL');
  killCgroup(h.cgroupParent);
}

/** Unmounts whatever dockerd left mounted below dir (overlays, netns files, shm), deepest first. */
function unmountBelow(dir: string): void {
  const mounts = fs
    .readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .map((m) => m.replace(/\\040/g, ' '))
    .filter((m) => m.startsWith(dir + '/'))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) quiet(() => run('umount', ['-l', m]));
}

/** Removes everything a HostsState names. Idempotent, synchronous, never throws. */
export function teardownHosts(s: HostsState): void {
  for (const p of s.pids) signal(p, 'SIGKILL');
  for (const h of s.hosts) {
    // Remove containers through the engine first when it still answers: clean and quick.
    if (processAlive(h.dockerdPid) && fs.existsSync(h.socket)) {
      quiet(() =>
        run('sh', ['-c', `ids=$(docker -H unix://${h.socket} ps -aq); [ -z "$ids" ] || docker -H unix://${h.socket} rm -f $ids`], {
          timeout: 20_000,
          env: { ...process.env, DOCKER_API_VERSION: '1.41' },
        }),
      );
    }
    powerOff(h);
  }
  for (const h of s.hosts) {
    for (let i = 0; i < 25 && (processAlive(h.dockerdPid) || netnsPids(h.netns).some(processAlive)); i++) execFileSync('sleep', ['0.1']);
    removeCgroup(h.cgroupParent);
    quiet(() => run('ip', ['link', 'del', h.vethRoot]));
    quiet(() => run('ip', ['netns', 'del', h.netns]));
  }
  quiet(() => run('iptables', ['-D', ...s.forwardRule]));
  quiet(() => run('ip', ['link', 'del', s.bridge]));
  unmountBelow(s.dir);
  quiet(() => fs.rmSync(s.dir, { recursive: true, force: true }));
}

async function waitEngine(docker: Docker, dockerd: ChildProcess | undefined, logFile: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await docker.ping();
      return;
    } catch {
      /* not yet */
    }
    if ((dockerd && dockerd.exitCode !== null) || Date.now() > until) {
      const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
      throw new Error(`dockerd for a test host did not come up (${logFile}):\n${tail}`);
    }
    await delay(200);
  }
}

function execAsync(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')}: exit ${code}: ${err}`))));
  });
}

/** Builds n hosts. Everything created is recorded in `state` as it is created, so a failure half-way still tears down. */
export async function createHosts(n: number, opts: HostsOptions = {}): Promise<TestHosts> {
  const id = randomBytes(3).toString('hex');
  const x = pickSubnet();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kh-${id}-`));
  const bridge = `kb${id}`;
  const bridgeIp = `10.${x}.0.1`;
  const state: HostsState = {
    id,
    dir,
    bridge,
    bridgeIp,
    forwardRule: ['FORWARD', '-i', bridge, '-o', bridge, '-j', 'ACCEPT'],
    hosts: [],
    pids: [],
  };
  const prefix = opts.namePrefix ?? `kh-${id}-`;
  const children = new Map<number, ChildProcess>();
  const hosts: TestHost[] = [];
  let tornDown = false;
  const onExit = () => teardown();
  const teardown = () => {
    if (tornDown) return;
    tornDown = true;
    process.removeListener('exit', onExit);
    teardownHosts(state);
  };
  if (!opts.detached) process.on('exit', onExit);

  const spawnIn = (netns: string, cmd: string, args: string[], logFile: string, env: NodeJS.ProcessEnv): ChildProcess => {
    const out = fs.openSync(logFile, 'a');
    // nsenter --net only (not `ip netns exec`, which remounts /sys and hides the cgroups dockerd needs).
    const child = spawn('nsenter', [`--net=/var/run/netns/${netns}`, cmd, ...args], {
      stdio: ['ignore', out, out],
      env,
      detached: !!opts.detached,
    });
    fs.closeSync(out);
    if (opts.detached) child.unref();
    child.on('error', () => undefined);
    children.set(child.pid!, child);
    return child;
  };

  const spawnDockerd = (h: TestHost): ChildProcess => {
    const dockerd = spawnIn(
      h.netns,
      'dockerd',
      [
        '--host', `unix://${h.socket}`,
        '--data-root', path.join(h.dir, 'data'),
        '--exec-root', path.join(h.dir, 'exec'),
        '--pidfile', path.join(h.dir, 'dockerd.pid'),
        '--cgroup-parent', h.cgroupParent,
        '--bip', `172.${20 + h.index}.0.1/16`,
      ],
      h.dockerdLog,
      { ...process.env, ...(opts.swarmReady ? { DOCKER_SERVICE_PREFER_OFFLINE_IMAGE: '1' } : {}) },
    );
    h.dockerdPid = dockerd.pid!;
    return dockerd;
  };

  try {
    run('ip', ['link', 'add', bridge, 'type', 'bridge']);
    run('ip', ['addr', 'add', `${bridgeIp}/24`, 'dev', bridge]);
    run('ip', ['link', 'set', bridge, 'up']);
    // Docker sets FORWARD to DROP and bridged frames go through iptables: let host-to-host traffic pass.
    run('iptables', ['-I', ...state.forwardRule]);

    // No registry is reachable: images travel from the main engine as a `docker save` tarball.
    const tarball = path.join(dir, 'images.tar');
    const images = [...(opts.loadImage !== false ? [TEST_IMAGE] : []), ...(opts.images ?? [])];
    if (images.length) {
      // The main engine is needed only for this export; if the harness had to start it, it stops it again.
      const main = await ensureDocker();
      try {
        if (opts.loadImage !== false) await ensureTestImage(main.docker);
        await execAsync('docker', ['-H', `unix://${main.socketPath}`, 'save', '-o', tarball, ...images], { ...process.env, DOCKER_API_VERSION: '1.41' });
      } finally {
        await main.stop();
      }
    }

    for (let i = 0; i < n; i++) {
      const hdir = path.join(dir, `h${i}`);
      fs.mkdirSync(hdir);
      const h: TestHost = {
        index: i,
        name: `${prefix}${i}`,
        ip: `10.${x}.0.${i + 10}`,
        netns: `kh-${id}-${i}`,
        vethRoot: `kv${id}${i}`,
        dir: hdir,
        socket: path.join(hdir, 'docker.sock'),
        cgroupParent: `/kh-${id}-${i}`,
        dockerdPid: 0,
        agentPid: 0,
        docker: new Docker({ socketPath: path.join(hdir, 'docker.sock') }),
        agentLog: path.join(hdir, 'agent.log'),
        dockerdLog: path.join(hdir, 'dockerd.log'),
        stream: `10.${x}.0.${i + 10}:${AGENT_STREAM_PORT}`,
      };
      state.hosts.push(h);
      hosts.push(h);
      const peer = `kp${id}${i}`;
      run('ip', ['netns', 'add', h.netns]);
      run('ip', ['link', 'add', h.vethRoot, 'type', 'veth', 'peer', 'name', peer]);
      run('ip', ['link', 'set', h.vethRoot, 'master', bridge]);
      run('ip', ['link', 'set', h.vethRoot, 'up']);
      run('ip', ['link', 'set', peer, 'netns', h.netns]);
      const inNs = (...args: string[]) => run('ip', ['-n', h.netns, ...args]);
      inNs('link', 'set', peer, 'name', 'eth0');
      inNs('addr', 'add', `${h.ip}/24`, 'dev', 'eth0');
      inNs('link', 'set', 'eth0', 'up');
      inNs('link', 'set', 'lo', 'up');
      inNs('route', 'add', 'default', 'via', bridgeIp);
      spawnDockerd(h);
    }
    await Promise.all(
      hosts.map(async (h) => {
        await waitEngine(h.docker, children.get(h.dockerdPid), h.dockerdLog);
        if (images.length) {
          await execAsync('docker', ['-H', `unix://${h.socket}`, 'load', '-q', '-i', tarball], { ...process.env, DOCKER_API_VERSION: '1.41' });
        }
      }),
    );
  } catch (e) {
    teardown();
    throw e;
  }

  const agentSecrets = secretsDir();
  const agentArgs = (h: TestHost, controller: string) => [
    ...programCommand('node-agent/main.ts'),
    '--controller', controller,
    '--name', h.name,
    '--address', h.ip,
    '--http', `${h.ip}:${AGENT_HTTP_PORT}`,
    '--stream', `${h.ip}:${AGENT_STREAM_PORT}`,
    '--docker-host', `unix://${h.socket}`,
    '--data-dir', path.join(h.dir, 'agent'),
    ...(opts.agentSecurityArgs?.(h, controller) ?? ['--secrets-dir', path.join(agentSecrets, h.name), ...joinArgs(controller)]),
  ];
  const controllers = new Map<TestHost, string>();
  const startAgent = (h: TestHost, controller: string) => {
    controllers.set(h, controller);
    const child = spawnIn(h.netns, process.execPath, agentArgs(h, controller), h.agentLog, {
      ...process.env,
      KITE_LOG_LEVEL: process.env.KITE_TEST_LOG_LEVEL ?? 'info',
      ...opts.agentEnv,
    });
    h.agentPid = child.pid!;
  };

  const waitGone = async (pid: number, timeoutMs: number) => {
    const until = Date.now() + timeoutMs;
    while (processAlive(pid) && Date.now() < until) await delay(50);
    // An exited child stays a zombie until node reaps it; the 'exit' event is the reliable signal.
    const c = children.get(pid);
    if (c && c.exitCode === null && c.signalCode === null) await Promise.race([new Promise((r) => c.once('exit', r)), delay(timeoutMs)]);
  };

  const result: TestHosts = {
    state,
    hosts,
    bridgeIp,
    startAgents(controller) {
      for (const h of hosts) startAgent(h, controller);
    },
    startAgent,
    kill(h) {
      powerOff(h);
    },
    cutOff(h) {
      run('ip', ['link', 'set', h.vethRoot, 'down']);
    },
    heal(h) {
      run('ip', ['link', 'set', h.vethRoot, 'up']);
    },
    async stopAgent(h, sig = 'SIGTERM') {
      const pid = h.agentPid;
      signal(pid, sig);
      await waitGone(pid, 12_000);
      signal(pid, 'SIGKILL');
    },
    async restartAgent(h) {
      const controller = controllers.get(h);
      if (!controller) throw new Error(`agent of ${h.name} was never started`);
      await result.stopAgent(h);
      startAgent(h, controller);
    },
    async stopEngine(h, sig = 'SIGTERM') {
      const pid = h.dockerdPid;
      // The agent is in the same namespace: wait for the engine's own processes only.
      const engine = () => [pid, ...netnsPids(h.netns).filter((p) => p !== h.agentPid && /containerd|dockerd/.test(commOf(p)))];
      signal(pid, sig);
      await waitGone(pid, 30_000);
      const until = Date.now() + 15_000;
      while (engine().some(processAlive) && Date.now() < until) await delay(100);
      for (const p of engine()) signal(p, 'SIGKILL');
    },
    async startEngine(h) {
      if (processAlive(h.dockerdPid)) throw new Error(`dockerd of ${h.name} is still running`);
      const dockerd = spawnDockerd(h);
      await waitEngine(h.docker, dockerd, h.dockerdLog);
    },
    exec(h, cmd, timeoutMs = 10_000) {
      return run('nsenter', [`--net=/var/run/netns/${h.netns}`, ...cmd], { timeout: timeoutMs });
    },
    track(pid) {
      state.pids.push(pid);
    },
    teardown,
  };
  if (opts.controller) result.startAgents(opts.controller);
  return result;
}

export interface HostControllerOpts {
  etcd: string;
  /** Address to listen on (the bridge address, so agents in the hosts reach it). */
  host: string;
  port: number;
  httpPort: number;
  id?: string;
  nodeGraceSeconds?: number;
  heartbeatMs?: number;
  leaderTtlSeconds?: number;
  logFile: string;
  detached?: boolean;
}

export interface HostController {
  pid: number;
  target: string;
  httpPort: number;
  logFile: string;
  client: KiteClient;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** kite-controller listening on the bridge address (the test harness' startController binds loopback only). */
export async function startHostController(o: HostControllerOpts): Promise<HostController> {
  const security = controllerSecurityArgs(o.etcd, undefined, o.port);
  const args = [...programCommand('controller/main.ts'), '--etcd', o.etcd, '--listen', `${o.host}:${o.port}`, '--http', `${o.host}:${o.httpPort}`, '--kube-api-listen', `${o.host}:0`, ...security.args];
  if (o.id) args.push('--id', o.id);
  if (o.nodeGraceSeconds) args.push('--node-grace', String(o.nodeGraceSeconds));
  if (o.heartbeatMs) args.push('--heartbeat', String(o.heartbeatMs));
  if (o.leaderTtlSeconds) args.push('--leader-ttl', String(o.leaderTtlSeconds));
  const out = fs.openSync(o.logFile, 'a');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', out, out],
    detached: !!o.detached,
    env: { ...process.env, KITE_LOG_LEVEL: process.env.KITE_TEST_LOG_LEVEL ?? 'info' },
  });
  fs.closeSync(out);
  if (o.detached) child.unref();
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const target = `${o.host}:${o.port}`;
  const client = await waitForController(target, security.adminConfig, o.logFile, () => child.kill('SIGKILL'), gone);
  return {
    pid: child.pid!,
    target,
    httpPort: o.httpPort,
    logFile: o.logFile,
    client,
    async kill() {
      client.close();
      if (gone()) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      client.close();
      if (gone()) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
