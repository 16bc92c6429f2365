// A real etcd for tests: free loopback ports, a temp data dir, stopped by its own pid. One member
// (startEtcd) or several forming one cluster (startEtcdCluster); optionally serving clients over
// TLS with client-certificate authentication, as a production etcd does.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './ports';
import { reap } from './reaper';
import { createTestCa, issueClientCertificate, issueServerCertificate, writeTlsFiles, type TlsFiles } from './test-pki';

export type { TlsFiles } from './test-pki';

export interface EtcdOptions {
  /**
   * Serve clients on https:// with a certificate for 127.0.0.1 from a fresh CA, and require a
   * client certificate from that CA (--client-cert-auth). The handle's `tls` holds the files a
   * client needs.
   */
  tls?: boolean;
}

export interface EtcdHandle {
  endpoint: string;
  dataDir: string;
  pid: number;
  /** With `tls`: the CA, and a client certificate and key etcd accepts. */
  tls?: TlsFiles;
  stop(): Promise<void>;
  /** Stops etcd (SIGSTOP-free: really stops the process) and keeps its data for restart(). */
  pause(): Promise<void>;
  restart(): Promise<void>;
}

export interface EtcdMemberHandle {
  name: string;
  endpoint: string;
  pid: number;
  /** Stops this member and keeps its data, so restart() rejoins the cluster. */
  stop(): Promise<void>;
  /** Starts it again on the same ports and data; resolves once it is healthy (has a leader). */
  restart(): Promise<void>;
  /** KV requests (Range, Put, Txn, ...) this member answered since it (re)started: are clients using it? */
  kvRequestsServed(): Promise<number>;
}

export interface EtcdClusterHandle {
  /** Every member's client URL, in member order. */
  endpoints: string[];
  members: EtcdMemberHandle[];
  tls?: TlsFiles;
  /** The index in `members` of the current raft leader (asked of the running members). */
  leader(): Promise<number>;
  /** Stops every member and removes the data. */
  stop(): Promise<void>;
}

const HEALTHY_WITHIN_MS = 15_000;

/** A GET or POST to etcd's HTTP endpoints (over TLS with the client certificate when `tls`). */
function request(endpoint: string, urlPath: string, tls: TlsFiles | undefined, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const url = `${endpoint}${urlPath}`;
    const options: https.RequestOptions = { method: body === undefined ? 'GET' : 'POST', timeout: 2000 };
    if (tls) Object.assign(options, { ca: fs.readFileSync(tls.caFile), cert: fs.readFileSync(tls.certFile), key: fs.readFileSync(tls.keyFile) });
    const req = (tls ? https : http).request(url, options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within 2 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** etcd's /health answers 200 once the member serves and the cluster has a leader. */
async function healthy(endpoint: string, tls: TlsFiles | undefined): Promise<boolean> {
  try {
    return (await request(endpoint, '/health', tls)).status === 200;
  } catch {
    return false;
  }
}

/** The sum of etcd's grpc_server_handled_total for its KV service (its /metrics, Prometheus text). */
async function kvRequestsServed(endpoint: string, tls: TlsFiles | undefined): Promise<number> {
  const res = await request(endpoint, '/metrics', tls);
  let total = 0;
  for (const line of res.text.split('\n')) {
    if (line.startsWith('grpc_server_handled_total{') && line.includes('grpc_service="etcdserverpb.KV"')) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** A member's own id and the id of the leader it follows (etcd's v3 status, through its HTTP gateway). */
async function memberStatus(endpoint: string, tls: TlsFiles | undefined): Promise<{ id: string; leader: string }> {
  const res = await request(endpoint, '/v3/maintenance/status', tls, '{}');
  if (res.status !== 200) throw new Error(`etcd status at ${endpoint}: HTTP ${res.status} ${res.text}`);
  const status = JSON.parse(res.text) as { header: { member_id: string }; leader: string };
  return { id: status.header.member_id, leader: status.leader };
}

/** One etcd process: its flags are fixed at creation; it can be started and stopped repeatedly. */
class Member {
  private child: ChildProcess | undefined;
  readonly endpoint: string;
  private readonly logFile: string;

  constructor(
    readonly name: string,
    private readonly dataDir: string,
    private readonly args: string[],
    clientPort: number,
    private readonly tls: { server: TlsFiles; client: TlsFiles } | undefined,
  ) {
    this.endpoint = `${tls ? 'https' : 'http'}://127.0.0.1:${clientPort}`;
    this.logFile = path.join(dataDir, `${name}.log`);
  }

  get pid(): number {
    return this.child?.pid ?? 0;
  }

  spawn(): void {
    fs.mkdirSync(this.dataDir, { recursive: true });
    const out = fs.openSync(this.logFile, 'a');
    const tlsArgs = this.tls
      ? ['--cert-file', this.tls.server.certFile, '--key-file', this.tls.server.keyFile, '--trusted-ca-file', this.tls.server.caFile, '--client-cert-auth']
      : [];
    this.child = reap(
      spawn(
        'etcd',
        [
          '--name', this.name,
          '--data-dir', path.join(this.dataDir, 'data'),
          '--listen-client-urls', this.endpoint,
          '--advertise-client-urls', this.endpoint,
          ...this.args,
          ...tlsArgs,
          '--log-level', 'error',
        ],
        { stdio: ['ignore', out, out] },
      ),
    );
    fs.closeSync(out);
  }

  async waitHealthy(): Promise<void> {
    const until = Date.now() + HEALTHY_WITHIN_MS;
    while (Date.now() < until) {
      const child = this.child!;
      if (child.exitCode !== null) throw new Error(`etcd ${this.name} exited with ${child.exitCode}: ${this.logTail()}`);
      if (await healthy(this.endpoint, this.tls?.client)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`etcd ${this.name} at ${this.endpoint} not healthy after ${HEALTHY_WITHIN_MS} ms: ${this.logTail()}`);
  }

  async start(): Promise<void> {
    this.spawn();
    await this.waitHealthy();
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }

  private logTail(): string {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8').slice(-2000) : '(no log)';
  }
}

/** A CA, a serving certificate for 127.0.0.1 and a client certificate, written into `dir/tls`. */
async function createTls(dir: string): Promise<{ server: TlsFiles; client: TlsFiles }> {
  const tlsDir = path.join(dir, 'tls');
  fs.mkdirSync(tlsDir, { recursive: true });
  const ca = await createTestCa('kite-test-etcd-ca');
  const [server, client] = await Promise.all([
    issueServerCertificate(ca, { dns: ['localhost'], ips: ['127.0.0.1'] }),
    issueClientCertificate(ca, 'kite-controller'),
  ]);
  return { server: writeTlsFiles(tlsDir, 'server', ca, server), client: writeTlsFiles(tlsDir, 'client', ca, client) };
}

/** A single-member etcd (plain http unless `tls`). */
export async function startEtcd(opts: EtcdOptions = {}): Promise<EtcdHandle> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-etcd-'));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const tls = opts.tls ? await createTls(dataDir) : undefined;
  const peer = `http://127.0.0.1:${peerPort}`;
  const member = new Member(
    'test',
    dataDir,
    ['--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer, '--initial-cluster', `test=${peer}`],
    clientPort,
    tls,
  );
  await member.start();
  return {
    endpoint: member.endpoint,
    dataDir,
    tls: tls?.client,
    get pid() {
      return member.pid;
    },
    async stop() {
      await member.kill();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    pause: () => member.kill(),
    restart: () => member.start(),
  };
}

/**
 * `size` members on free loopback ports forming one new cluster (peers talk plain http on
 * loopback; clients use TLS when `tls`). Resolves once every member is healthy.
 */
export async function startEtcdCluster(size: number, opts: EtcdOptions = {}): Promise<EtcdClusterHandle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kite-etcd-cluster-'));
  const tls = opts.tls ? await createTls(dir) : undefined;
  const ports: { client: number; peer: number }[] = [];
  for (let i = 0; i < size; i++) ports.push({ client: await freePort(), peer: await freePort() });
  const names = ports.map((_, i) => `m${i}`);
  const initialCluster = ports.map((p, i) => `${names[i]}=http://127.0.0.1:${p.peer}`).join(',');
  const token = path.basename(dir); // unique per cluster, so members never join a stranger's
  const members = ports.map((p, i) => {
    const peer = `http://127.0.0.1:${p.peer}`;
    return new Member(
      names[i]!,
      path.join(dir, names[i]!),
      [
        '--listen-peer-urls', peer,
        '--initial-advertise-peer-urls', peer,
        '--initial-cluster', initialCluster,
        '--initial-cluster-token', token,
        '--initial-cluster-state', 'new',
      ],
      p.client,
      tls,
    );
  });
  const stopAll = async () => {
    await Promise.all(members.map((m) => m.kill()));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // All spawned before waiting: no member is healthy until a quorum has elected a leader.
  for (const m of members) m.spawn();
  try {
    await Promise.all(members.map((m) => m.waitHealthy()));
  } catch (e) {
    await stopAll();
    throw e;
  }
  return {
    endpoints: members.map((m) => m.endpoint),
    members: members.map((m) => ({
      name: m.name,
      endpoint: m.endpoint,
      get pid() {
        return m.pid;
      },
      stop: () => m.kill(),
      restart: () => m.start(),
      kvRequestsServed: () => kvRequestsServed(m.endpoint, tls?.client),
    })),
    tls: tls?.client,
    async leader() {
      const statuses = await Promise.all(members.map((m) => memberStatus(m.endpoint, tls?.client).catch(() => undefined)));
      const leaderId = statuses.find((st) => st && st.leader !== '0')?.leader;
      const index = statuses.findIndex((st) => st?.id === leaderId);
      if (index < 0) throw new Error(`no etcd member is the leader (${JSON.stringify(statuses)})`);
      return index;
    },
    stop: stopAll,
  };
}
