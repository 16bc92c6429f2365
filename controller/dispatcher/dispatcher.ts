// The dispatcher: the controller's side of agent sessions. It registers nodes, keeps each node's
// liveness lease alive while heartbeats arrive, sends each agent the pods bound to its node (a
// full set, then increments), and writes the pod status agents report back, in batches.
// Runs on every controller, leader or not: an agent may keep its session with any of them.
import { mustReregister, type NodeLiveness } from '../nodes/liveness';
import type { ConfigMap, Node, Pod, Secret, KObject } from '../../common/api/types';
import type { DispatcherHandlers } from '../../common/generated/kite/v1/Dispatcher';
import type { NodeInfo__Output } from '../../common/generated/kite/v1/NodeInfo';
import type { PodStatusReport__Output } from '../../common/generated/kite/v1/PodStatusReport';
import type { PodEvent__Output } from '../../common/generated/kite/v1/PodEvent';
import type { EventRecorderLike } from '../events';
import type { Heartbeat__Output } from '../../common/generated/kite/v1/Heartbeat';
import type { PodAssignment } from '../../common/generated/kite/v1/PodAssignment';
import { errorMessage, forbidden, isKiteError, invalid, unavailable } from '../../common/errors';
import { failCall, toServiceError } from '../../common/grpc';
import type { grpc } from '../../common/grpc';
import { describeIdentity } from '../../common/pki/identity';
import type { IdentifyCaller, PeerCall } from '../security/peer-identity';
import type { NodeCertificates, IssuedCertificate } from '../security/node-certificates';
import type { Logger } from '../../common/log';
import type { EtcdStore } from '../store/etcd-store';
import type { ControllerMetrics } from '../metrics';
import type { Informer } from '../informer';
import type { SharedInformers } from '../informers';
import { AgentSession, type SessionCall } from './session';
import { checkNodeInfo, nodeFromRegistration } from './node-object';
import { podStatusFromReport, reportProblem, eventProblem, sameStatus } from './pod-status';
import { referencedConfig } from './bundle';
import { NetworkFeed } from './network-feed';
import { VolumeFeed } from './volume-feed';
import type { NetworkConfig } from '../network/network-config';
import type { PodCidrAllocator } from '../network/pod-cidr-allocator';
import { RangeFullError } from '../network/allocation-pool';
import type { SdTarget } from '../http';
import type { Clock } from '../../common/clock';
import { systemClock } from '../../common/clock';
import type { NodeImage__Output } from '../../common/generated/kite/v1/NodeImage';
import type { NodeImageStatus } from '../../common/api/types';
import { nodeImagesFromReport, sameNodeImages } from './node-images';
import { PodCpuRates, UsageWriteGate, nodeUsageFromHeartbeat, podTotals, usageQuantities, type NodeUsageStatus, type Usage } from './usage';

export interface DispatcherOptions {
  store: EtcdStore;
  /** Where agents' pod events (Pulled, Started, BackOff...) are recorded. */
  events?: EventRecorderLike;
  informers: SharedInformers;
  /** Where registrations and heartbeats go; the leader's node lifecycle reads it. */
  liveness: NodeLiveness;
  controllerId: string;
  heartbeatPeriodMs: number;
  metrics: ControllerMetrics;
  log: Logger;
  clock?: Clock;
  /** The cluster's address plan and the pod subnet allocator; without it agents get no pod network. */
  network?: { config: NetworkConfig; podCidrs: PodCidrAllocator };
  /**
   * Node identity: who a call's certificate names, and the node certificates (join, renewal).
   * Absent only in the benchmarks' plaintext baseline, where an agent's registration names it.
   */
  certificates?: { identify: IdentifyCaller; nodes: NodeCertificates };
}

type WithUsage = { usage?: Usage };


const STATUS_FLUSH_MS = 20;

export class Dispatcher {
  readonly pods: Informer<Pod>;
  readonly nodes: Informer<Node>;
  private readonly configMaps: Informer<ConfigMap>;
  private readonly secrets: Informer<Secret>;
  private readonly podsByNode = new Map<string, Map<string, Pod>>();
  private readonly podsByUid = new Map<string, Pod>();
  /** Terminating pods whose removal is in flight. */
  private readonly finishing = new Set<string>();
  private readonly sessions = new Map<string, AgentSession>();
  /** Routes and services for agents (see network-feed.ts). */
  private readonly networkFeed: NetworkFeed;
  /** Claim directories with pods, local volume removals (see volume-feed.ts). */
  private readonly volumeFeed: VolumeFeed;
  /** Nodes that registered while the cluster CIDR had no subnet left, and the reason. */
  private readonly cidrUnavailable = new Map<string, string>();
  private pendingStatus = new Map<string, { pod: Pod; status: Pod['status'] }>();
  private statusTimer: ReturnType<typeof setTimeout> | undefined;
  private statusFlushing: Promise<void> = Promise.resolve();
  // Usage for `kite top`, written with the pod status batches (see noteUsage).
  private pendingPodUsage = new Map<string, Usage>();
  private pendingNodeUsage = new Map<string, NodeUsageStatus>();
  private readonly podCpu = new PodCpuRates();
  private readonly usageGate = new UsageWriteGate();
  /** Node.status.images reports waiting for their write, per node. */
  private readonly pendingImages = new Map<string, NodeImageStatus[]>();
  private readonly clock: Clock;

  constructor(private readonly opts: DispatcherOptions) {
    const { informers } = opts;
    this.clock = opts.clock ?? systemClock;
    this.pods = informers.get<Pod>('Pod').on((type, pod, old) => this.onPod(type, pod, old));
    this.pods.onResync(() => this.resyncAll());
    this.nodes = informers.get<Node>('Node');
    // Deleting a Node revokes its certificate (see NodeCertificateRecords): end a session that is
    // open with it now, rather than when it next drops.
    if (opts.certificates) {
      this.nodes.on((type, node) => {
        if (type === 'DELETED') this.sessions.get(node.metadata.name)?.close();
      });
    }
    this.configMaps = informers.get<ConfigMap>('ConfigMap');
    this.networkFeed = new NetworkFeed(informers, () => this.sessions.values());
    this.secrets = informers.get<Secret>('Secret');
    this.volumeFeed = new VolumeFeed(informers, () => this.sessions.values(), opts.store, opts.events, opts.log.child({ component: 'volume-feed' }));
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    for (const s of this.sessions.values()) s.close();
    this.sessions.clear();
    this.opts.liveness.close();
    if (this.statusTimer) clearTimeout(this.statusTimer);
    await this.statusFlushing;
  }

  // ---- pods -> agents -------------------------------------------------------------------

  private onPod(type: string, pod: Pod, old: Pod | undefined): void {
    const uid = pod.metadata.uid!;
    const before = old?.spec.nodeName;
    const after = type === 'DELETED' ? undefined : pod.spec.nodeName;
    if (before && before !== after) {
      this.podsByNode.get(before)?.delete(uid);
      this.sessions.get(before)?.remove(uid);
    }
    if (type === 'DELETED') {
      this.podsByUid.delete(uid);
      this.podCpu.forget(uid);
      this.usageGate.forget(uid);
      if (pod.spec.nodeName && pod.spec.nodeName !== before) this.sessions.get(pod.spec.nodeName)?.remove(uid);
      return;
    }
    this.podsByUid.set(uid, pod);
    if (!after) return;
    let onNode = this.podsByNode.get(after);
    if (!onNode) this.podsByNode.set(after, (onNode = new Map()));
    onNode.set(uid, pod);
    // Status-only changes (most of them: our own writes) are not news to the agent.
    const specChanged = !old || before !== after || old.metadata.generation !== pod.metadata.generation || old.metadata.deletionTimestamp !== pod.metadata.deletionTimestamp;
    if (specChanged) this.sessions.get(after)?.upsert(pod);
  }

  private resyncAll(): void {
    for (const s of this.sessions.values()) s.sendFull(this.podsByNode.get(s.nodeName)?.values() ?? []);
  }

  private bundle = (pod: Pod): PodAssignment => {
    const ns = pod.metadata.namespace ?? 'default';
    const refs = referencedConfig(pod);
    const pick = <T extends KObject>(inf: Informer<T>, names: Set<string>) =>
      [...names].map((n) => inf.get(`${ns}/${n}`)).filter((o): o is T => !!o).map((o) => JSON.stringify(o));
    return {
      pod_json: JSON.stringify(pod), config_maps_json: pick(this.configMaps, refs.configMaps), secrets_json: pick(this.secrets, refs.secrets),
      claim_volumes: this.volumeFeed.claimVolumes(pod),
    };
  };

  // ---- sessions ---------------------------------------------------------------------------

  handlers(): DispatcherHandlers {
    const certs = this.opts.certificates;
    const answer = (cb: grpc.sendUnaryData<{ certificate: string; ca: string }>, work: () => Promise<IssuedCertificate>) =>
      Promise.resolve()
        .then(work)
        .then(
          (issued) => cb(null, issued),
          (e: unknown) => {
            this.opts.log.warn({ err: errorMessage(e) }, 'node certificate refused');
            cb(toServiceError(e) as grpc.ServiceError);
          },
        );
    const noCertificates = () => Promise.reject(unavailable('this controller runs without TLS (a benchmark baseline): nodes cannot join'));
    return {
      Session: (call) => this.runSession(call),
      Join: (call, cb) => void answer(cb, () => (certs ? certs.nodes.join(call.request.token ?? '', call.request.node_name ?? '', call.request.csr ?? '') : noCertificates())),
      RenewCertificate: (call, cb) =>
        void answer(cb, () => (certs ? certs.nodes.renew(certs.identify(call), peerSerial(call), call.request.csr ?? '') : noCertificates())),
    };
  }

  /** The node a call's certificate names; undefined in the plaintext baseline (trust the message). */
  private callerNode(call: PeerCall): string | undefined {
    const certs = this.opts.certificates;
    if (!certs) return undefined;
    const who = certs.identify(call);
    if (who.kind !== 'node') throw forbidden(`${describeIdentity(who)} cannot open an agent session: only node certificates can`);
    return who.name;
  }

  private runSession(call: SessionCall): void {
    const log = this.opts.log;
    let session: AgentSession | undefined;
    let registering = false;
    const fail = (e: unknown) => {
      log.warn({ node: session?.nodeName, err: errorMessage(e) }, 'agent session refused');
      failCall(call, e);
    };
    let certifiedNode: string | undefined;
    try {
      certifiedNode = this.callerNode(call);
    } catch (e) {
      fail(e);
      return;
    }
    call.on('data', (msg) => {
      try {
        if (!session) {
          if (registering) return;
          if (msg.msg !== 'register' || !msg.register) throw invalid('the first message of a session must be a registration');
          // The name comes from the certificate; a registration naming another node is refused.
          if (certifiedNode !== undefined && msg.register.name !== certifiedNode) {
            throw forbidden(`node "${certifiedNode}" cannot register as "${msg.register.name}": its certificate names it "${certifiedNode}"`);
          }
          registering = true;
          const current = certifiedNode !== undefined ? this.opts.certificates!.nodes.requireCurrent(certifiedNode, peerSerial(call)) : Promise.resolve();
          current.then(() => this.register(call, msg.register!)).then(
            (s) => (session = s),
            (e) => fail(e),
          );
          return;
        }
        switch (msg.msg) {
          case 'heartbeat':
            this.onHeartbeat(session, msg.heartbeat!);
            break;
          case 'status':
            this.onStatus(session, msg.status?.pods ?? []);
            break;
          case 'events':
            this.onEvents(session, msg.events?.events ?? []);
            break;
          case 'volume_removed':
            if (msg.volume_removed) void this.volumeFeed.onRemoved(session, msg.volume_removed);
            break;
          case 'images':
            this.onImages(session.nodeName, msg.images?.images ?? []);
            break;
          default:
            log.warn({ node: session.nodeName, msg: msg.msg }, 'ignoring unexpected agent message');
        }
      } catch (e) {
        fail(e);
      }
    });
    const end = () => {
      if (!session) return;
      session.closed = true;
      if (this.sessions.get(session.nodeName) === session) {
        this.sessions.delete(session.nodeName);
        this.opts.liveness.forget(session.nodeName);
        this.opts.metrics.agentSessions.set(this.sessions.size);
        log.info({ node: session.nodeName }, 'agent session ended');
      }
    };
    call.on('end', () => {
      end();
      call.end();
    });
    call.on('error', end);
    call.on('cancelled', end);
    call.on('close', end);
  }

  private async register(call: SessionCall, info: NodeInfo__Output): Promise<AgentSession> {
    checkNodeInfo(info);
    await this.pods.synced;
    const address = info.address && info.address !== '0.0.0.0' ? info.address : peerAddress(call.getPeer());
    // Liveness first: the node lifecycle marks a lapsed Ready node unreachable, and with many
    // agents registering at once the gap between the two writes is long enough to hit.
    await this.opts.liveness.registered(info.name);
    const podCIDR = await this.podCidrFor(info.name);
    const node = await this.upsertNode(info, address, podCIDR);
    const noSubnet = this.cidrUnavailable.get(info.name);
    if (!podCIDR && noSubnet) this.opts.events?.record(node, 'Warning', 'CIDRNotAvailable', `Node ${info.name} has no pod subnet: ${noSubnet}`);
    const previous = this.sessions.get(info.name);
    previous?.close();
    const session = new AgentSession(info.name, this.clock.now(), call, this.bundle, this.opts.log);
    this.sessions.set(info.name, session);
    this.opts.metrics.agentSessions.set(this.sessions.size);
    const cfg = this.opts.network?.config;
    const network = cfg && podCIDR ? { pod_cidr: podCIDR, cluster_cidr: cfg.clusterCIDR, service_cidr: cfg.serviceCIDR, cluster_domain: cfg.clusterDomain } : undefined;
    session.send({ welcome: { node_name: info.name, heartbeat_period_ms: this.opts.heartbeatPeriodMs, controller_id: this.opts.controllerId, ...(network ? { network } : {}) } });
    this.networkFeed.welcome(session);
    this.volumeFeed.welcome(session);
    session.sendFull(this.podsByNode.get(info.name)?.values() ?? []);
    this.opts.log.info({ node: info.name, address, resourceVersion: node.metadata.resourceVersion }, 'agent registered');
    return session;
  }

  /**
   * The node's pod subnet, allocated on first registration. An exhausted cluster CIDR does not
   * refuse the node: it registers without a subnet, tainted network-unavailable, with an event
   * saying why (as Kubernetes' CIDRNotAvailable).
   */
  private async podCidrFor(nodeName: string): Promise<string | undefined> {
    if (!this.opts.network) return undefined;
    try {
      const subnet = await this.opts.network.podCidrs.allocate(nodeName);
      this.cidrUnavailable.delete(nodeName);
      return subnet;
    } catch (e) {
      if (!(e instanceof RangeFullError)) throw e;
      this.opts.log.error({ node: nodeName, err: e.message }, 'no pod subnet for node');
      this.cidrUnavailable.set(nodeName, e.message);
      return undefined;
    }
  }

  private async upsertNode(info: NodeInfo__Output, address: string, podCIDR: string | undefined): Promise<Node> {
    const store = this.opts.store;
    for (let attempt = 0; ; attempt++) {
      const existing = await store.get<Node>('Node', '', info.name);
      const desired = nodeFromRegistration(info, existing, address, { podCIDR, unavailable: this.cidrUnavailable.get(info.name) }, this.clock.now());
      try {
        if (!existing) return await store.create(desired);
        const updated = await store.update({ ...desired, metadata: { ...desired.metadata, resourceVersion: existing.metadata.resourceVersion } });
        return await store.updateStatus({ ...updated, status: desired.status });
      } catch (e) {
        if (attempt < 5 && (isKiteError(e, 'Conflict') || isKiteError(e, 'AlreadyExists'))) continue;
        throw e;
      }
    }
  }

  /** Node.status.images from the agent's report (node-images.ts); a conflicting write is retried with the latest report. */
  private onImages(nodeName: string, report: NodeImage__Output[]): void {
    const pending = this.pendingImages.has(nodeName);
    this.pendingImages.set(nodeName, nodeImagesFromReport(report));
    if (!pending) void this.writeNodeImages(nodeName, 0);
  }

  private async writeNodeImages(nodeName: string, attempt: number): Promise<void> {
    const images = this.pendingImages.get(nodeName);
    const node = this.nodes.get(nodeName);
    if (!images || !node || sameNodeImages(node.status?.images, images)) {
      this.pendingImages.delete(nodeName);
      return;
    }
    const [r] = await this.opts.store.updateMany([{ ...node, status: { ...node.status, images } } as KObject], 'status', { onStale: 'conflict' }).catch((e: unknown) => [e as Error]);
    if (r instanceof Error && isKiteError(r, 'Conflict') && attempt < 5) {
      // The informer has not seen the newer Node yet: try again on it shortly.
      this.clock.setTimeout(() => void this.writeNodeImages(nodeName, attempt + 1), 200);
      return;
    }
    if (r instanceof Error && !isKiteError(r, 'NotFound')) this.opts.log.debug({ node: nodeName, err: errorMessage(r) }, 'node images write failed');
    // A report that came in meanwhile is written next.
    if (this.pendingImages.get(nodeName) !== images) return void this.writeNodeImages(nodeName, 0);
    this.pendingImages.delete(nodeName);
  }

  private onHeartbeat(session: AgentSession, hb: Heartbeat__Output): void {
    // The agent also gets the full assignment set again and stops what it no longer owns.
    if (mustReregister(this.nodes.get(session.nodeName), this.clock.now() - session.registeredAt)) {
      this.opts.log.info({ node: session.nodeName }, 'heartbeat from a NotReady node; ending its session so it registers again');
      session.close();
      return;
    }
    this.noteUsage(session.nodeName, hb);
    this.opts.liveness.heartbeat(session.nodeName).catch((e) => this.opts.log.warn({ node: session.nodeName, err: errorMessage(e) }, 'lease refresh failed'));
  }

  /** Records what agents saw happen to their pods as Events on the pods (checked first: agent input is input). */
  private onEvents(session: AgentSession, events: PodEvent__Output[]): void {
    for (const e of events) {
      const pod = this.podsByUid.get(e.pod_uid);
      const problem = eventProblem(e, pod, session.nodeName);
      if (problem) {
        this.opts.log.warn({ node: session.nodeName, problem }, 'ignoring pod event');
        continue;
      }
      this.opts.events?.record(pod!, e.type as 'Normal' | 'Warning', e.reason, e.message.slice(0, 1024));
    }
  }

  private onStatus(session: AgentSession, reports: PodStatusReport__Output[]): void {
    const hostIP = this.nodes.get(session.nodeName)?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
    for (const r of reports) {
      const pod = this.podsByUid.get(r.uid);
      const problem = reportProblem(r, pod, session.nodeName);
      if (problem) {
        this.opts.log.warn({ node: session.nodeName, pod: `${r.namespace}/${r.name}`, problem }, 'ignoring pod status report');
        continue;
      }
      // Usage is ours, not the agent's report: carry it over so it neither causes nor loses a write.
      const status: Pod['status'] & WithUsage = { ...podStatusFromReport(r, pod!, hostIP), usage: (pod!.status as WithUsage | undefined)?.usage };
      if (!status.usage) delete status.usage;
      // The agent stopped every container of a Terminating pod: the deletion can complete.
      if (r.terminated && pod!.metadata.deletionTimestamp) this.finishDeletion(pod!);
      if (sameStatus(pod!.status, status)) continue;
      this.pendingStatus.set(r.uid, { pod: pod!, status });
    }
    this.scheduleFlush();
  }

  /** Removes a Terminating pod whose containers its agent stopped (finalizers still hold it, if any). */
  private finishDeletion(pod: Pod): void {
    const uid = pod.metadata.uid!;
    if (this.finishing.has(uid)) return;
    this.finishing.add(uid);
    this.opts.store
      .delete('Pod', pod.metadata.namespace ?? 'default', pod.metadata.name, { finalize: true })
      .then(
        (r) => r.removed && this.opts.log.debug({ pod: `${pod.metadata.namespace}/${pod.metadata.name}` }, 'pod deleted after its containers stopped'),
        (e: unknown) => {
          // The pod GC finishes it from the reported status if this did not.
          if (!isKiteError(e, 'NotFound')) this.opts.log.warn({ pod: pod.metadata.name, err: errorMessage(e) }, 'could not remove a terminated pod');
        },
      )
      .finally(() => this.finishing.delete(uid));
  }

  private scheduleFlush(): void {
    const pending = this.pendingStatus.size + this.pendingPodUsage.size + this.pendingNodeUsage.size;
    if (pending && !this.statusTimer) this.statusTimer = setTimeout(() => this.flushStatus(), STATUS_FLUSH_MS);
  }

  /** Queues Node and Pod status.usage writes from a heartbeat, rate-limited and only on real change. */
  private noteUsage(nodeName: string, hb: Heartbeat__Output): void {
    const now = this.clock.now();
    const node = this.nodes.get(nodeName);
    if (node) {
      const usage = nodeUsageFromHeartbeat(hb, now);
      if (this.usageGate.shouldWrite(`node/${nodeName}`, usage, node.status?.usage, now)) {
        this.usageGate.markWritten(`node/${nodeName}`, usage, now);
        this.pendingNodeUsage.set(nodeName, usage);
      }
    }
    for (const p of hb.pods ?? []) {
      const pod = this.podsByUid.get(p.uid);
      if (!pod || pod.spec.nodeName !== nodeName || !p.containers?.length) continue;
      const { cpuSeconds, memoryBytes } = podTotals(p);
      const usage = usageQuantities(this.podCpu.observe(p.uid, cpuSeconds, now) ?? 0, memoryBytes);
      if (!this.usageGate.shouldWrite(p.uid, usage, (pod.status as WithUsage | undefined)?.usage, now)) continue;
      this.usageGate.markWritten(p.uid, usage, now);
      this.pendingPodUsage.set(p.uid, usage);
    }
    this.scheduleFlush();
  }

  /** Writes queued pod statuses in batched transactions; one flush at a time, later reports coalesce. */
  private flushStatus(): void {
    this.statusTimer = undefined;
    this.statusFlushing = this.statusFlushing.then(async () => {
      const batch = this.pendingStatus;
      const podUsage = this.pendingPodUsage;
      const nodeUsage = this.pendingNodeUsage;
      this.pendingStatus = new Map();
      this.pendingPodUsage = new Map();
      this.pendingNodeUsage = new Map();
      // Reported statuses carry the usage last written; usage-only writes go separately and give
      // way on a conflict, so advisory numbers never overwrite a newer status.
      const objs: KObject[] = [];
      const usageOnly: KObject[] = [];
      const withUsage = (pod: Pod, status: Pod['status'] | undefined): KObject => {
        const next: Pod['status'] & WithUsage = { ...status };
        const usage = podUsage.get(pod.metadata.uid!) ?? (pod.status as WithUsage | undefined)?.usage;
        if (usage) next.usage = usage;
        return { ...pod, status: next } as KObject;
      };
      for (const [uid, { pod, status }] of batch) objs.push(withUsage(this.podsByUid.get(uid) ?? pod, status));
      for (const uid of podUsage.keys()) {
        const latest = this.podsByUid.get(uid);
        if (latest && !batch.has(uid)) usageOnly.push(withUsage(latest, latest.status));
      }
      for (const [name, usage] of nodeUsage) {
        const node = this.nodes.get(name);
        if (node) usageOnly.push({ ...node, status: { ...node.status, usage } } as KObject);
      }
      const write = (list: KObject[], onStale: 'retry' | 'conflict') =>
        list.length ? this.opts.store.updateMany(list, 'status', { onStale }).catch((e: unknown) => list.map(() => e as Error)) : Promise.resolve([]);
      const [reported, advisory] = await Promise.all([write(objs, 'retry'), write(usageOnly, 'conflict')]);
      for (const [i, r] of advisory.entries()) {
        if (r instanceof Error && !isKiteError(r, 'NotFound') && !isKiteError(r, 'Conflict')) {
          this.opts.log.debug({ object: usageOnly[i]!.metadata.name, err: errorMessage(r) }, 'usage write failed');
        }
      }
      const results = reported;
      results.forEach((r, i) => {
        if (r instanceof Error && !isKiteError(r, 'NotFound')) {
          this.opts.log.warn({ pod: objs[i]!.metadata.name, err: errorMessage(r) }, 'pod status write failed');
        }
      });
    });
  }

  serviceDiscovery(self: string): Promise<SdTarget[]> {
    const targets: SdTarget[] = [{ targets: [self], labels: { job: 'kite-controller', kite_component: 'controller' } }];
    for (const n of this.nodes.list()) {
      const ip = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
      const port = n.status?.daemonEndpoints?.metricsPort;
      if (!ip || !port) continue;
      targets.push({ targets: [`${ip}:${port}`], labels: { job: 'kite-agent', kite_component: 'agent', node: n.metadata.name, ...prefixed(n.metadata.labels) } });
    }
    return Promise.resolve(targets);
  }
}

function prefixed(labels: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) out['__meta_kite_node_label_' + k.replace(/[^a-zA-Z0-9_]/g, '_')] = v;
  return out;
}

function peerAddress(peer: string): string {
  // "ipv4:127.0.0.1:5555" or "ipv6:[::1]:5555"
  const m = /^(?:ipv4:)?([\d.]+):\d+$/.exec(peer) ?? /^ipv6:\[([^\]]+)\]:\d+$/.exec(peer);
  return m?.[1] ?? '127.0.0.1';
}

/** The serial of the certificate the caller presented (verified by the TLS handshake). */
function peerSerial(call: PeerCall): string | undefined {
  return call.getAuthContext()?.sslPeerCertificate?.serialNumber;
}
