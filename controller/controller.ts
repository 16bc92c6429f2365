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
import { ImagePushRelay } from './api/image-push';
import { bindClusterMetrics } from './cluster-metrics';
import { type ClusterNetwork, type NetworkConfig, createClusterNetwork, networkPlan } from './network';
import type { Deployment, Node, Pod } from '../common/api/types';
import * as fs from 'node:fs';
import { KeyRing } from './security/keyring';
import { ControllerSecurity, DEFAULT_USER_CERT_VALIDITY_MS } from './security/controller-security';
import { SecurityService } from './api/security-service';
import { alsoOnRemoved } from './api/write-hooks';
import { withClaimExpansionCheck } from './storage/claim-expansion';
import { KubeApiServer } from './kube-api/server';
import { handlePodStreamUpgrade } from './kube-api/streams';
import { identifyAsAdmin } from './security/peer-identity';

export interface ControllerOptions {
  etcd: string[];
  /** gRPC listen address, HOST:PORT (port 0 picks a free one). */
  listen: string;
  /** HTTP listen address for /metrics, /healthz, /sd. */
  httpListen: string;
  /** HTTPS listen address of the Kubernetes API (kubectl); not served when undefined. */
  kubeApiListen?: string;
  id?: string;
  etcdPrefix?: string;
  /** Seconds without heartbeats before a node is NotReady. */
  nodeGraceSeconds?: number;
  heartbeatPeriodMs?: number;
  leaderTtlSeconds?: number;
  /** The controller's encryption keys (Secrets and the CA's key at rest); created when missing. */
  keysFile: string;
  /** Write the admin's credential to this file at start (when missing or stale). */
  adminConfig?: string;
  /** Lifetime of the controller's and nodes' certificates (default 24 h); renewed at two thirds. */
  certValidityMs?: number;
  /** Lifetime of users' certificates (default 1 year). */
  userCertValidityMs?: number;
  /** TLS to etcd: PEM file paths (CA to verify etcd; client certificate and key). */
  etcdTls?: { caFile?: string; certFile?: string; keyFile?: string };
  /** Watches one client may hold open (default 1024). */
  maxWatchesPerClient?: number;
  /** Benchmarks only: serve plaintext and treat every caller as the admin (TLS's baseline). */
  plaintextForBenchmarks?: boolean;
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
  /** The CA, certificates, users, tokens and authorization. */
  readonly security: ControllerSecurity;
  private readonly grpcServer = createServer();
  private httpServer: http.Server | undefined;
  private kubeApi: KubeApiServer | undefined;
  private readonly leaderWork: LeaderWork;
  private readonly podStreams: PodStreamProxy;
  private readonly imagePusher: ImagePushRelay;
  /** The API's operations, shared by every transport edge. */
  readonly api: ApiService;
  /** The address plan agents are told in Welcome.network. */
  readonly network: NetworkConfig;
  /** Allocators: podCidrs.allocate(node) at registration (dispatcher). */
  readonly clusterNetwork: ClusterNetwork;
  grpcPort = 0;
  httpPort = 0;
  /** The Kubernetes API's port (0 when not served). */
  kubeApiPort = 0;

  constructor(readonly opts: ControllerOptions) {
    this.id = opts.id ?? `${os.hostname()}-${process.pid}`;
    // Checked before anything connects: a bad range is an error at start, not broken pods later.
    const plan = networkPlan(opts.clusterCIDR, opts.serviceCIDR);
    const client = new Etcd3({
      hosts: opts.etcd,
      dialTimeout: 3000,
      ...(opts.etcdTls ? { credentials: etcdCredentials(opts.etcdTls) } : {}),
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
    const keyring = KeyRing.loadOrCreate(opts.keysFile);
    this.store = new EtcdStore({ client, keys, metrics: this.metrics, keyring });
    const log = opts.log;
    this.security = new ControllerSecurity({
      client,
      keys,
      sealer: keyring,
      node: (name) => this.informers.get<Node>('Node').get(name),
      certValidityMs: opts.certValidityMs,
      userCertValidityMs: opts.userCertValidityMs,
      adminConfig: opts.adminConfig ? { file: opts.adminConfig, server: advertisedServer(opts.listen) } : undefined,
      plaintext: opts.plaintextForBenchmarks,
      log,
    });
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
      certificates: opts.plaintextForBenchmarks ? undefined : { identify: this.security.identify, nodes: this.security.nodeCertificates },
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
    this.podStreams = new PodStreamProxy(this.store, log.child({ component: 'pod-streams' }), (node) => this.security.agentDialSecurity(node));
    this.imagePusher = new ImagePushRelay(this.store, log.child({ component: 'image-push' }), (node) => this.security.agentDialSecurity(node));
    this.api = new ApiService({
      store: this.store,
      leader: this.leader,
      version: KITE_VERSION,
      podStreams: this.podStreams,
      imagePusher: this.imagePusher,
      // A deleted node's certificate stops working at once (it could otherwise re-register it).
      writeHooks: withClaimExpansionCheck(alsoOnRemoved(this.clusterNetwork.admission, async (obj) => {
        if (obj.kind === 'Node') await this.security.nodeCertificateRecords.revoke(obj.metadata.name);
      }), this.store),
      authorizer: this.security.authorizer,
      maxWatchesPerCaller: opts.maxWatchesPerClient,
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
    await this.security.start();
    const securityApi = new SecurityService({
      tokens: this.security.tokens,
      users: this.security.users,
      ca: this.security.ca,
      authorizer: this.security.authorizer,
      userCertValidityMs: this.opts.userCertValidityMs ?? DEFAULT_USER_CERT_VALIDITY_MS,
      userTokens: this.security.userTokens,
      // Until the Kubernetes API server is wired in: CreateKubeconfig answers Unavailable.
      kubeApiUrl: () => (this.kubeApiPort ? `https://${advertisedServer(this.opts.kubeApiListen!).replace(/:\d+$/, '')}:${this.kubeApiPort}` : ''),
    });
    this.grpcServer.addService(
      proto.kite.v1.Kite.service,
      createGrpcHandlers({ api: this.api, security: securityApi, identify: this.security.identify, log: log.child({ component: 'api' }), metrics: this.metrics }),
    );
    this.grpcServer.addService(proto.kite.v1.Dispatcher.service, this.dispatcher.handlers());
    this.grpcPort = await bindServer(this.grpcServer, this.opts.listen, this.security.serverSecurity());
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
    if (this.opts.kubeApiListen) {
      const tls = this.security.serverSecurity();
      this.kubeApi = new KubeApiServer({
        api: this.api,
        kiteVersion: KITE_VERSION,
        certificates: tls.mode === 'tls' ? tls.certs : undefined,
        authenticateBearer: (header) => this.security.authenticateBearer(header),
        plaintextCaller: tls.mode === 'tls' ? undefined : identifyAsAdmin(),
        podStreams: (caller, target, req, socket, head) => handlePodStreamUpgrade({ api: this.api, log }, caller, target, req, socket, head),
        log: log.child({ component: 'kube-api' }),
      });
      this.kubeApiPort = await this.kubeApi.start(this.opts.kubeApiListen);
    }
    await this.store.hub.start().catch((e) => log.warn({ err: errorMessage(e) }, 'etcd not reachable yet; watch starts when it is'));
    this.informers.start();
    // The leader creates them too; doing it here lets the first apply find them at once.
    await ensureSystemNamespaces(this.store).catch((e: unknown) => log.warn({ err: errorMessage(e) }, 'system namespaces not created yet'));
    await this.dispatcher.start();
    this.leader.start();
    log.info({ component: 'controller', id: this.id, grpc: this.grpcPort, http: this.httpPort, kubeApi: this.kubeApiPort || undefined, etcd: this.opts.etcd }, 'controller started');
  }

  async stop(): Promise<void> {
    await this.security.stop();
    await this.leader.stop();
    await this.leaderWork.stop();
    await this.dispatcher.stop();
    this.podStreams.close();
    this.imagePusher.close();
    this.informers.stop();
    await new Promise<void>((resolve) => this.grpcServer.tryShutdown(() => resolve()));
    this.grpcServer.forceShutdown();
    await this.kubeApi?.stop();
    await new Promise<void>((resolve) => (this.httpServer ? this.httpServer.close(() => resolve()) : resolve()));
    this.httpServer?.closeAllConnections();
    await this.store.close();
  }
}

function etcdCredentials(tls: NonNullable<ControllerOptions['etcdTls']>): { rootCertificate: Buffer; privateKey?: Buffer; certChain?: Buffer } {
  const read = (file: string | undefined, what: string) => {
    if (!file) return undefined;
    try {
      return fs.readFileSync(file);
    } catch (e) {
      throw new Error(`${what} ${file}: ${errorMessage(e)}`);
    }
  };
  const rootCertificate = read(tls.caFile, '--etcd-cafile');
  if (!rootCertificate) throw new Error('--etcd-cafile is required for TLS to etcd');
  if (!tls.certFile !== !tls.keyFile) throw new Error('--etcd-certfile and --etcd-keyfile go together');
  return { rootCertificate, privateKey: read(tls.keyFile, '--etcd-keyfile'), certChain: read(tls.certFile, '--etcd-certfile') };
}

/** The address a local client dials for a listen address (a wildcard means this host). */
function advertisedServer(listen: string): string {
  return listen.replace(/^(0\.0\.0\.0|\[::\]|::)?:/, '127.0.0.1:');
}
