// Composition of one node agent: executor, pod manager, session with the controller, the
// stream endpoint for logs/exec and the HTTP endpoint for /metrics. Used by main.ts and, many
// at once with the fake runtime, by scale benchmarks (hollow nodes).
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadProto, type grpc } from '../common/grpc';
import { bindServer, createServer, PLAINTEXT } from '../common/transport';
import type { Logger } from '../common/log';
import { errorMessage } from '../common/errors';
import { removeLocalVolume } from './pods/local-volumes';
import { parseMemory } from '../common/manifest';
import type { PodStatusReport } from '../common/generated/kite/v1/PodStatusReport';
import type { Executor } from './executor/types';
import { DockerExecutor } from './executor/docker';
import { FakeExecutor } from './executor/fake';
import { PodManager, settleWithin, type PodAssignment } from './pods/manager';
import { AgentSession } from './session';
import { streamHandlers } from './streams-server';
import { AgentMetrics } from './metrics';
import { describeNode } from './node-info';
import type { NodeFacts } from './pods/downward';
import { listen } from '../common/net';
import { HostUsage } from './host-usage';
import { ServiceNetwork } from './network/service-network';
import { IptablesProxier } from './network/iptables-proxier';
import { RecordingProxier } from './network/proxier';
import { execRunner } from './network/commands';
import { PodNetwork } from './network/pod-network';
import { ensureSecretsDir, hostOf } from './pods/secret-volumes';
import { NodeCredentials } from './credentials';
import { NodeImages } from './images';

export interface AgentOptions {
  controller: string;
  name: string;
  labels?: Record<string, string>;
  taints?: { key: string; value: string; effect: string }[];
  runtime: 'docker' | 'fake';
  dockerHost?: string;
  /** HOST:PORT for /metrics and /healthz; omit to serve none (hollow nodes). */
  httpListen?: string;
  /** HOST:PORT for logs/exec; omit to serve none. */
  streamListen?: string;
  /** Address the controller and peers reach this node at; default: what the controller sees. */
  address?: string;
  dataDir?: string;
  /** Local-path volumes live here (k3s: /var/lib/rancher/k3s/storage); default DATA_DIR/storage. */
  storageDir?: string;
  /** Secret volumes go here, on a tmpfs (mounted at start when it is not one); in each pod's dir when omitted. */
  secretsDir?: string;
  maxPods?: number;
  cpuMillis?: number;
  memoryBytes?: number;
  log: Logger;
  defaultMetrics?: boolean;
  /** Route every peer's pods over VXLAN, even peers on this L2 segment (tests both paths). */
  forceVxlan?: boolean;
  /** Fake runtime only: share one in-memory engine (tests). */
  executor?: Executor;
  /** Joining: a token from `kite token create` and the CA pin printed with it. */
  token?: string;
  caHash?: string;
  /** Where the node's certificate is kept (default DATA_DIR/pki; hollow nodes keep it in memory). */
  pkiDir?: string;
  /** Benchmarks' baseline against a --plaintext-for-benchmarks controller: no TLS at all. */
  plaintextForBenchmarks?: boolean;
}

export class Agent {
  readonly executor: Executor;
  readonly manager: PodManager;
  readonly session: AgentSession;
  readonly metrics: AgentMetrics;
  /** Services on this node: proxy rules, DNS, service env vars (kernel untouched with the fake runtime). */
  readonly services: ServiceNetwork;
  readonly podNetwork: PodNetwork;
  /** The engine's images: kite image push loads here; Node.status.images comes from here (docker runtime only). */
  readonly images: NodeImages | undefined;
  private grpcServer: grpc.Server | undefined;
  private httpServer: http.Server | undefined;
  private readonly assignedAt = new Map<string, number>();
  /** Resolves once the containers already running here were adopted (start()). */
  private recovered: Promise<void> = Promise.resolve();
  /** Assignments applied in order, each after the adoption. */
  private syncs: Promise<void> = Promise.resolve();
  private readonly reported = new Map<string, PodStatusReport>();
  private readonly limits = new Map<string, number>();
  metricsPort = 0;
  streamPort = 0;
  private readonly hostUsage: HostUsage | undefined;
  private readonly credentials: NodeCredentials;
  private readonly storageDir: string;
  /** Local volume removals under way, so a re-sent cleanup set does not start a second one. */
  private readonly removing = new Set<string>();

  constructor(private readonly opts: AgentOptions) {
    this.allocatable = { cpuMillis: opts.cpuMillis ?? os.cpus().length * 1000, memoryBytes: opts.memoryBytes ?? os.totalmem() };
    const log = opts.log;
    const dataDir = opts.dataDir ?? path.join(os.tmpdir(), 'kite-agent', opts.name);
    this.storageDir = path.resolve(opts.storageDir ?? path.join(dataDir, 'storage'));
    this.hostUsage = opts.runtime === 'docker' ? new HostUsage() : undefined;
    this.credentials = new NodeCredentials({
      controller: opts.controller,
      nodeName: opts.name,
      token: opts.token,
      caHash: opts.caHash,
      pkiDir: opts.pkiDir ?? (opts.dataDir ? path.join(opts.dataDir, 'pki') : undefined),
      log,
    });
    // Only a real engine's host is programmed; hollow nodes just hand out addresses.
    const kernelNetwork = opts.runtime === 'docker' && !opts.executor;
    this.services = new ServiceNetwork({
      proxier: kernelNetwork ? new IptablesProxier({ runner: execRunner, log: log.child({ component: 'proxy' }) }) : new RecordingProxier(),
      dns: kernelNetwork,
      nodeAddress: opts.address,
      log: log.child({ component: 'services' }),
    });
    this.podNetwork = new PodNetwork({ mode: kernelNetwork ? 'kernel' : 'addresses-only', nodeName: opts.name, nodeAddress: opts.address, forceVxlan: opts.forceVxlan, log: log.child({ component: 'pod-network' }) });
    this.executor =
      opts.executor ??
      (opts.runtime === 'fake' ? new FakeExecutor(opts.name) : new DockerExecutor({
            nodeName: opts.name,
            ...dockerTarget(opts.dockerHost),
            podNetwork: this.podNetwork,
            hostAddress: opts.address,
            dataDir,
          }));
    if (this.executor instanceof DockerExecutor) this.podNetwork.useDocker(this.executor.docker);
    const docker = this.executor instanceof DockerExecutor ? this.executor.docker : undefined;
    this.images = docker ? new NodeImages({ docker, log: log.child({ component: 'images' }), onChange: (images) => this.session.reportImages(images) }) : undefined;
    if (this.executor instanceof FakeExecutor) this.executor.podNetwork ??= this.podNetwork;
    this.manager = new PodManager({
      executor: this.executor,
      nodeName: opts.name,
      dataDir,
      secretsDir: opts.secretsDir,
      log: log.child({ component: 'pods' }),
      onStatus: (reports) => this.onStatus(reports),
      onRecovered: (containers) => this.podNetwork.recover(containers),
      onPodRemoved: (uid) => this.podNetwork.release(uid),
      onEvent: (e) => this.session.reportEvent({ pod_uid: e.podUid, type: e.type, reason: e.reason, message: e.message }),
      onTiming: (step, seconds) => {
        this.metrics.podStartLatency.observe({ phase: step }, seconds);
        if (step === 'pull') this.metrics.imagePullDuration.observe(seconds);
      },
    });
    this.metrics = new AgentMetrics(
      {
        usage: () => this.manager.usage(),
        statuses: () => [...this.reported.values()],
        limits: (uid, c) => this.limits.get(`${uid}/${c}`),
      },
      { defaultMetrics: opts.defaultMetrics },
    );
    this.session = new AgentSession({
      controller: opts.controller,
      log: log.child({ component: 'session' }),
      nodeInfo: async () => {
        const v = await this.executor.version();
        const vtepMac = await this.podNetwork.prepare();
        const described = describeNode({
          name: opts.name,
          labels: opts.labels ?? {},
          taints: opts.taints ?? [],
          address: opts.address ?? '',
          metricsPort: this.metricsPort,
          streamPort: this.streamPort,
          maxPods: opts.maxPods ?? 110,
          cpuMillis: opts.cpuMillis,
          memoryBytes: opts.memoryBytes,
          runtime: v.name,
          runtimeVersion: v.version,
          vtepMac,
        });
        return { ...described, storage_dir: this.storageDir };
      },
      target: {
        sync: (full, upserts, removals) => this.sync(full, upserts, removals),
        network: (net) => {
          this.podNetwork.configure(net);
          // The services need the pod CIDR (who is local) and its gateway (where DNS listens).
          this.services.configure(net);
        },
        peers: (peers) => this.podNetwork.setPeers(peers),
        heartbeat: () => {
          const u = this.manager.usage();
          // A real node reports the host's own usage; a hollow node only what its fake pods use.
          const host = this.hostUsage ? this.hostUsage.sample() : { cpuMillis: u.cpuUsageMillis, memoryBytes: u.memoryUsageBytes };
          return { cpu_usage_millis: String(host.cpuMillis), memory_usage_bytes: String(host.memoryBytes), pods: u.pods };
        },
        services: (full, services, endpoints, removedServices, removedEndpoints) => this.services.apply(full, services, endpoints, removedServices, removedEndpoints),
        volumeCleanup: (volumes) => this.removeLocalVolumes(volumes),
        allStatuses: () => this.manager.podUids().map((uid) => this.manager.podStatus(uid)).filter((s): s is PodStatusReport => !!s),
      },
      onConnected: (c) => {
        this.metrics.connected.set(c ? 1 : 0);
        if (c) this.podNetwork.welcomed();
      },
      onReconnect: () => this.metrics.sessionReconnects.inc(),
      // Hollow nodes in one process must not share one HTTP/2 connection.
      ownConnection: opts.runtime === 'fake',
    });
  }

  /** The node's allocatable CPU and memory, read once: the downward API's value for unset limits. */
  private readonly allocatable: { cpuMillis: number; memoryBytes: number };

  /** This node's facts for the downward API (status.hostIP, limits a container leaves unset). */
  private nodeFacts(): NodeFacts {
    return { name: this.opts.name, hostIP: this.opts.address ?? this.podNetwork.ownAddress() ?? '', ...this.allocatable };
  }

  private sync(full: boolean, upserts: PodAssignment[], removals: string[]): void {
    const now = Date.now();
    for (const u of upserts) {
      const uid = u.pod.metadata.uid!;
      const podNamespace = u.pod.metadata.namespace ?? 'default';
      u.serviceEnv = () => this.services.serviceEnv(podNamespace);
      u.node = () => this.nodeFacts();
      u.storageDir = this.storageDir;
      if (!this.assignedAt.has(uid)) this.assignedAt.set(uid, now);
      for (const c of u.pod.spec.containers) {
        const mem = c.resources?.limits?.memory;
        if (mem !== undefined) this.limits.set(`${uid}/${c.name}`, parseMemory(mem));
      }
    }
    if (full) {
      const keep = new Set(upserts.map((u) => u.pod.metadata.uid!));
      for (const uid of this.assignedAt.keys()) if (!keep.has(uid)) this.forget(uid);
    }
    for (const uid of removals) this.forget(uid);
    // Assignments wait for the adoption of what already runs here (see start()); in order.
    this.syncs = this.syncs.then(() => this.recovered).then(() => this.manager.sync(full, upserts, removals));
  }

  /** Removes the directories of deleted local volumes the controller named, and reports each. */
  private removeLocalVolumes(volumes: { name: string; path: string }[]): void {
    for (const v of volumes) {
      if (this.removing.has(v.name)) continue;
      this.removing.add(v.name);
      void removeLocalVolume(this.storageDir, v.path)
        .then(
          () => {
            this.opts.log.info({ volume: v.name, path: v.path }, 'local volume removed');
            this.session.reportVolumeRemoved({ name: v.name, path: v.path, error: '' });
          },
          (e: unknown) => {
            this.opts.log.warn({ volume: v.name, path: v.path, err: errorMessage(e) }, 'local volume not removed');
            this.session.reportVolumeRemoved({ name: v.name, path: v.path, error: errorMessage(e) });
          },
        )
        .finally(() => this.removing.delete(v.name));
    }
  }

  private forget(uid: string): void {
    this.assignedAt.delete(uid);
    this.reported.delete(uid);
    for (const k of this.limits.keys()) if (k.startsWith(uid + '/')) this.limits.delete(k);
  }

  private onStatus(reports: PodStatusReport[]): void {
    for (const r of reports) {
      const uid = r.uid!;
      const before = this.reported.get(uid);
      this.reported.set(uid, r);
      const assigned = this.assignedAt.get(uid);
      if (r.phase === 'Running' && before?.phase !== 'Running' && assigned !== undefined) {
        this.metrics.podStartLatency.observe({ phase: 'total' }, (Date.now() - assigned) / 1000);
      }
    }
    this.session.reportStatus(reports);
  }

  async start(): Promise<void> {
    const log = this.opts.log;
    if (this.opts.secretsDir) await ensureSecretsDir(this.opts.secretsDir, hostOf(execRunner));
    const plaintext = this.opts.plaintextForBenchmarks ?? false;
    // Before anything else: without a certificate this agent cannot talk to anyone.
    if (!plaintext) await this.credentials.obtain();
    if (this.opts.streamListen) {
      const server = createServer();
      server.addService(loadProto().kite.v1.AgentStreams.service, streamHandlers(this.manager, log.child({ component: 'streams' }), { plaintext, images: this.images }));
      this.streamPort = await bindServer(server, this.opts.streamListen, plaintext ? PLAINTEXT : this.credentials.serverSecurity());
      this.grpcServer = server;
    }
    if (this.opts.httpListen) {
      this.httpServer = http.createServer((req, res) => {
        const p = (req.url ?? '/').split('?')[0];
        if (p === '/metrics') {
          this.metrics.registry.metrics().then(
            (body) => {
              res.writeHead(200, { 'content-type': this.metrics.registry.contentType });
              res.end(body);
            },
            (e: unknown) => {
              res.writeHead(500);
              res.end(errorMessage(e));
            },
          );
        } else if (p === '/healthz') {
          res.writeHead(200);
          res.end(this.session.connected ? 'ok\n' : 'ok (not connected to a controller)\n');
        } else {
          res.writeHead(404);
          res.end('not found\n');
        }
      });
      this.metricsPort = await listen(this.httpServer, this.opts.httpListen);
    }
    // Adopt what already runs here before applying what the controller says should run; but
    // register and heartbeat at once, so a restarted agent on a busy engine (where listing the
    // containers takes seconds) is not declared NotReady and its pods evicted meanwhile.
    this.recovered = this.manager.recover().catch((e) => log.warn({ err: errorMessage(e) }, 'could not list existing containers; continuing'));
    this.podNetwork.start();
    this.session.start(plaintext ? PLAINTEXT : this.credentials.controllerSecurity());
    this.images?.start();
    await this.recovered;
    log.info({ component: 'agent', node: this.opts.name, runtime: this.opts.runtime, controller: this.opts.controller, metricsPort: this.metricsPort, streamPort: this.streamPort }, 'agent started');
  }

  async stop(): Promise<void> {
    this.credentials.stop();
    this.images?.stop();
    await this.session.stop();
    await this.manager.stop();
    await this.services.stop();
    await this.podNetwork.stop();
    // A controller may hold a logs or exec stream open: give streams a moment, then cut them,
    // so that stopping never waits on a peer.
    if (this.grpcServer) {
      await settleWithin(new Promise<void>((r) => this.grpcServer!.tryShutdown(() => r())), SHUTDOWN_GRACE_MS);
      this.grpcServer.forceShutdown();
    }
    if (this.httpServer) {
      const closed = new Promise<void>((r) => this.httpServer!.close(() => r()));
      this.httpServer.closeAllConnections();
      await settleWithin(closed, SHUTDOWN_GRACE_MS);
    }
  }
}

/** How long stopping waits for open streams and connections before cutting them. */
const SHUTDOWN_GRACE_MS = 1000;

export function dockerTarget(host: string | undefined): { socketPath?: string; host?: string; port?: number } {
  if (!host) return {};
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  const m = /^tcp:\/\/([^:]+):(\d+)$/.exec(host);
  if (m) return { host: m[1], port: Number(m[2]) };
  return { socketPath: host };
}
