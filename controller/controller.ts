// Composition of one controller process: store, API, dispatcher, HTTP, leader election, and the
// leader-only work (scheduler, reconcilers). Used by main.ts and, in-process, by tests and benches.
import * as os from 'node:os';
import { Etcd3 } from 'etcd3';
import { circuitBreaker, handleWhen, ConsecutiveBreaker } from 'cockatiel';
import { isRecoverableError } from 'etcd3';
import { loadProto } from '../common/grpc';
import { bindServer, createServer } from '../common/transport';
import type { Logger } from '../common/log';
import { errorMessage } from '../common/errors';
import { KITE_VERSION } from '../common/version';
import { EtcdStore } from './store/etcd-store';
import { KeyLayout } from './store/keys';
import { ApiService } from './api/service';
import { ensureSystemNamespaces } from './namespaces/namespace-controller';
import { createGrpcHandlers } from './api/grpc-edge';
import { ControllerMetrics } from './metrics';
import { LeaderElector } from './leader';
import { createHttpServer } from './http';
import { listen } from '../common/net';
import type * as http from 'node:http';
import { Dispatcher } from './dispatcher/dispatcher';
import { EtcdNodeLiveness } from './nodes/etcd-liveness';
import { LeaderWork } from './leader-work';
import { SharedInformers } from './informers';
import { EventRecorder } from './events';
import { PodStreamProxy } from './api/pod-streams';
import { bindClusterMetrics } from './cluster-metrics';
import { type ClusterNetwork, type NetworkConfig, createClusterNetwork, networkPlan } from './network';
import type { Deployment, Node, Pod } from '../common/api/types';

export interface ControllerOptions {
  etcd: string[];
  /** gRPC listen address, HOST:PORT (port 0 picks a free one). */
  listen: string;
  /** HTTP listen address for /metrics, /healthz, /sd. */
  httpListen: string;
  id?: string;
  etcdPrefix?: string;
  /** Seconds without heartbeats before a node is NotReady. */
  nodeGraceSeconds?: number;
  heartbeatPeriodMs?: number;
  leaderTtlSeconds?: number;
  /** Pod addresses: a /24 per node from it (default 10.244.0.0/16). */
  clusterCIDR?: string;
  /** Service virtual IPs (default 10.96.0.0/12); must not overlap clusterCIDR. */
  serviceCIDR?: string;
  log: Logger;
}

export class Controller {
  readonly id: string;
  readonly metrics = new ControllerMetrics();
  readonly store: EtcdStore;
  readonly leader: LeaderElector;
  readonly dispatcher: Dispatcher;
  readonly informers: SharedInformers;
  private readonly grpcServer = createServer();
  private httpServer: http.Server | undefined;
  private readonly leaderWork: LeaderWork;
  private readonly podStreams: PodStreamProxy;
  /** The API's operations, shared by every transport edge. */
  readonly api: ApiService;
  /** The address plan agents are told in Welcome.network. */
  readonly network: NetworkConfig;
  /** Allocators: podCidrs.allocate(node) at registration (dispatcher). */
  readonly clusterNetwork: ClusterNetwork;
  grpcPort = 0;
  httpPort = 0;

  constructor(readonly opts: ControllerOptions) {
    this.id = opts.id ?? `${os.hostname()}-${process.pid}`;
    // Checked before anything connects: a bad range is an error at start, not broken pods later.
    const plan = networkPlan(opts.clusterCIDR, opts.serviceCIDR);
    const client = new Etcd3({
      hosts: opts.etcd,
      dialTimeout: 3000,
      // Lists of 10,000 pods are larger than gRPC's default 4 MiB message limit.
      grpcOptions: { 'grpc.max_receive_message_length': 512 * 1024 * 1024, 'grpc.max_send_message_length': 64 * 1024 * 1024 },
      // Fail fast while etcd is down and retry it every second, so the API answers Unavailable
      // promptly and recovers quickly once etcd is back.
      faultHandling: {
        host: () => circuitBreaker(handleWhen(isRecoverableError), { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(3) }),
      },
      defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + 5000 }),
    });
    const keys = new KeyLayout(opts.etcdPrefix ?? '/kite');
    this.store = new EtcdStore({ client, keys, metrics: this.metrics });
    const log = opts.log;
    this.clusterNetwork = createClusterNetwork(client, keys, plan, log);
    this.network = this.clusterNetwork.config;
    const nodeGraceSeconds = opts.nodeGraceSeconds ?? 10;
    this.informers = new SharedInformers(this.store, log);
    const liveness = new EtcdNodeLiveness({ client, keys, graceSeconds: nodeGraceSeconds, controllerId: this.id, log: log.child({ component: 'node-liveness' }) });
    this.dispatcher = new Dispatcher({
      store: this.store,
      events: new EventRecorder(this.store, 'kite-agent', log.child({ component: 'events' })),
      informers: this.informers,
      liveness,
      controllerId: this.id,
      heartbeatPeriodMs: opts.heartbeatPeriodMs ?? 2000,
      metrics: this.metrics,
      network: { config: this.clusterNetwork.config, podCidrs: this.clusterNetwork.podCidrs },
      log: log.child({ component: 'dispatcher' }),
    });
    this.leaderWork = new LeaderWork({
      store: this.store,
      informers: this.informers,
      liveness,
      metrics: this.metrics,
      network: this.clusterNetwork,
      log,
    });
    this.leader = new LeaderElector(
      client,
      keys.election,
      this.id,
      opts.leaderTtlSeconds ?? 3,
      {
        onElected: async () => {
          this.metrics.isLeader.set(1);
          await this.leaderWork.start();
        },
        onDemoted: async () => {
          this.metrics.isLeader.set(0);
          await this.leaderWork.stop();
        },
      },
      log.child({ component: 'leader-election' }),
    );
    this.podStreams = new PodStreamProxy(this.store, log.child({ component: 'pod-streams' }));
    this.api = new ApiService({
      store: this.store,
      leader: this.leader,
      version: KITE_VERSION,
      podStreams: this.podStreams,
      writeHooks: this.clusterNetwork.admission,
      components: async () => {
        try {
          await this.store.revision();
          return [{ name: 'etcd', healthy: true, message: opts.etcd.join(',') }];
        } catch (e) {
          return [{ name: 'etcd', healthy: false, message: errorMessage(e) }];
        }
      },
    });
    bindClusterMetrics(this.metrics, {
      pods: () => this.informers.get<Pod>('Pod').list(),
      nodes: () => this.informers.get<Node>('Node').list(),
      deployments: () => this.informers.get<Deployment>('Deployment').list(),
      isLeader: () => this.leader.isLeader(),
    });
  }

  async start(): Promise<void> {
    const proto = loadProto();
    const log = this.opts.log;
    this.grpcServer.addService(proto.kite.v1.Kite.service, createGrpcHandlers(this.api, log.child({ component: 'api' }), this.metrics));
    this.grpcServer.addService(proto.kite.v1.Dispatcher.service, this.dispatcher.handlers());
    this.grpcPort = await bindServer(this.grpcServer, this.opts.listen);
    this.httpServer = createHttpServer({
      registry: this.metrics.registry,
      log: log.child({ component: 'http' }),
      ready: async () => {
        try {
          await this.store.revision();
          return { ok: true, message: 'ok' };
        } catch (e) {
          return { ok: false, message: errorMessage(e) };
        }
      },
      serviceDiscovery: () => this.dispatcher.serviceDiscovery(this.opts.httpListen.replace(/:\d+$/, ':' + this.httpPort)),
    });
    this.httpPort = await listen(this.httpServer, this.opts.httpListen);
    await this.store.hub.start().catch((e) => log.warn({ err: errorMessage(e) }, 'etcd not reachable yet; watch starts when it is'));
    this.informers.start();
    // The leader creates them too; doing it here lets the first apply find them at once.
    await ensureSystemNamespaces(this.store).catch((e: unknown) => log.warn({ err: errorMessage(e) }, 'system namespaces not created yet'));
    await this.dispatcher.start();
    this.leader.start();
    log.info({ component: 'controller', id: this.id, grpc: this.grpcPort, http: this.httpPort, etcd: this.opts.etcd }, 'controller started');
  }

  async stop(): Promise<void> {
    await this.leader.stop();
    await this.leaderWork.stop();
    await this.dispatcher.stop();
    this.podStreams.close();
    this.informers.stop();
    await new Promise<void>((resolve) => this.grpcServer.tryShutdown(() => resolve()));
    this.grpcServer.forceShutdown();
    await new Promise<void>((resolve) => (this.httpServer ? this.httpServer.close(() => resolve()) : resolve()));
    this.httpServer?.closeAllConnections();
    await this.store.close();
  }
}
