// The dispatcher: the controller's side of agent sessions. It registers nodes, keeps each node's
// liveness lease alive while heartbeats arrive, sends each agent the pods bound to its node (a
// full set, then increments), and writes the pod status agents report back, in batches.
// Runs on every controller, leader or not: an agent may keep its session with any of them.
import { randomUUID } from 'node:crypto';
import type { Etcd3, Lease } from 'etcd3';
import type { ConfigMap, Node, Pod, Secret, KObject } from '../../common/api/types';
import type { DispatcherHandlers } from '../../common/generated/kite/v1/Dispatcher';
import type { NodeInfo__Output } from '../../common/generated/kite/v1/NodeInfo';
import type { PodStatusReport__Output } from '../../common/generated/kite/v1/PodStatusReport';
import type { Heartbeat__Output } from '../../common/generated/kite/v1/Heartbeat';
import type { PodAssignment } from '../../common/generated/kite/v1/PodAssignment';
import { errorMessage, isKiteError, invalid } from '../../common/errors';
import { toServiceError } from '../../common/grpc';
import type { Logger } from '../../common/log';
import type { EtcdStore } from '../store/etcd-store';
import type { KeyLayout } from '../store/keys';
import type { ControllerMetrics } from '../metrics';
import type { Informer } from '../informer';
import type { SharedInformers } from '../informers';
import { AgentSession, type SessionCall } from './session';
import { checkNodeInfo, nodeFromRegistration } from './node-object';
import { podStatusFromReport, reportProblem, sameStatus } from './pod-status';
import { referencedConfig } from './bundle';
import type { SdTarget } from '../http';

export interface DispatcherOptions {
  store: EtcdStore;
  informers: SharedInformers;
  client: Etcd3;
  keys: KeyLayout;
  controllerId: string;
  heartbeatPeriodMs: number;
  nodeGraceSeconds: number;
  metrics: ControllerMetrics;
  log: Logger;
}

/** Latest usage an agent reported, kept in memory for `kite top` and written to the Node now and then. */
export interface NodeUsage {
  heartbeat: Heartbeat__Output;
  at: number;
}

const STATUS_FLUSH_MS = 20;

export class Dispatcher {
  readonly pods: Informer<Pod>;
  readonly nodes: Informer<Node>;
  private readonly configMaps: Informer<ConfigMap>;
  private readonly secrets: Informer<Secret>;
  private readonly podsByNode = new Map<string, Map<string, Pod>>();
  private readonly podsByUid = new Map<string, Pod>();
  private readonly sessions = new Map<string, AgentSession>();
  private readonly leases = new Map<string, Lease>();
  readonly usage = new Map<string, NodeUsage>();
  private pendingStatus = new Map<string, { pod: Pod; status: Pod['status'] }>();
  private statusTimer: ReturnType<typeof setTimeout> | undefined;
  private statusFlushing: Promise<void> = Promise.resolve();

  constructor(private readonly opts: DispatcherOptions) {
    const { informers } = opts;
    this.pods = informers.get<Pod>('Pod').on((type, pod, old) => this.onPod(type, pod, old));
    this.pods.onResync(() => this.resyncAll());
    this.nodes = informers.get<Node>('Node');
    this.configMaps = informers.get<ConfigMap>('ConfigMap');
    this.secrets = informers.get<Secret>('Secret');
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    for (const s of this.sessions.values()) s.close();
    this.sessions.clear();
    for (const l of this.leases.values()) l.release();
    this.leases.clear();
    if (this.statusTimer) clearTimeout(this.statusTimer);
    await this.statusFlushing;
  }

  sessionCount(): number {
    return this.sessions.size;
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
    return { pod_json: JSON.stringify(pod), config_maps_json: pick(this.configMaps, refs.configMaps), secrets_json: pick(this.secrets, refs.secrets) };
  };

  // ---- sessions ---------------------------------------------------------------------------

  handlers(): DispatcherHandlers {
    return { Session: (call) => this.runSession(call) };
  }

  private runSession(call: SessionCall): void {
    const log = this.opts.log;
    let session: AgentSession | undefined;
    let registering = false;
    const fail = (e: unknown) => {
      log.warn({ node: session?.nodeName, err: errorMessage(e) }, 'agent session refused');
      call.destroy(Object.assign(new Error(errorMessage(e)), toServiceError(e)));
    };
    call.on('data', (msg) => {
      try {
        if (!session) {
          if (registering) return;
          if (msg.msg !== 'register' || !msg.register) throw invalid('the first message of a session must be a registration');
          registering = true;
          this.register(call, msg.register).then(
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
          case 'ack':
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
    const node = await this.upsertNode(info, address);
    await this.refreshLease(info.name, true);
    const previous = this.sessions.get(info.name);
    previous?.close();
    const session = new AgentSession(info.name, randomUUID(), call, this.bundle, this.opts.log);
    session.lastHeartbeat = Date.now();
    this.sessions.set(info.name, session);
    this.opts.metrics.agentSessions.set(this.sessions.size);
    session.send({ welcome: { node_name: info.name, session_id: session.id, heartbeat_period_ms: this.opts.heartbeatPeriodMs, controller_id: this.opts.controllerId } });
    session.sendFull(this.podsByNode.get(info.name)?.values() ?? []);
    this.opts.log.info({ node: info.name, address, resourceVersion: node.metadata.resourceVersion }, 'agent registered');
    return session;
  }

  private async upsertNode(info: NodeInfo__Output, address: string): Promise<Node> {
    const store = this.opts.store;
    for (let attempt = 0; ; attempt++) {
      const existing = await store.get<Node>('Node', '', info.name);
      const desired = nodeFromRegistration(info, existing, address, Date.now());
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

  /** The node's liveness lease: refreshed at most every third of its TTL, expiring `nodeGraceSeconds` after the last heartbeat. */
  private async refreshLease(node: string, force: boolean): Promise<void> {
    const session = this.sessions.get(node);
    const now = Date.now();
    const ttl = this.opts.nodeGraceSeconds;
    if (!force && session && now - session.lastLeaseRefresh < (ttl * 1000) / 3) return;
    if (session) session.lastLeaseRefresh = now;
    let lease = this.leases.get(node);
    if (lease && !force) {
      try {
        await lease.keepaliveOnce();
        return;
      } catch {
        // The lease expired (etcd was away too long): grant a new one below.
      }
    }
    lease?.release();
    lease = this.opts.client.lease(ttl, { autoKeepAlive: false });
    lease.on('lost', () => undefined);
    await lease.put(this.opts.keys.nodeLease(node)).value(this.opts.controllerId);
    this.leases.set(node, lease);
  }

  private onHeartbeat(session: AgentSession, hb: Heartbeat__Output): void {
    session.lastHeartbeat = Date.now();
    this.usage.set(session.nodeName, { heartbeat: hb, at: session.lastHeartbeat });
    this.refreshLease(session.nodeName, false).catch((e) => this.opts.log.warn({ node: session.nodeName, err: errorMessage(e) }, 'lease refresh failed'));
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
      const status = podStatusFromReport(r, pod!, hostIP);
      if (sameStatus(pod!.status, status)) continue;
      this.pendingStatus.set(r.uid, { pod: pod!, status });
    }
    if (this.pendingStatus.size && !this.statusTimer) this.statusTimer = setTimeout(() => this.flushStatus(), STATUS_FLUSH_MS);
  }

  /** Writes queued pod statuses in batched transactions; one flush at a time, later reports coalesce. */
  private flushStatus(): void {
    this.statusTimer = undefined;
    this.statusFlushing = this.statusFlushing.then(async () => {
      const batch = [...this.pendingStatus.values()];
      this.pendingStatus = new Map();
      if (!batch.length) return;
      const objs = batch.map(({ pod, status }) => {
        const latest = this.podsByUid.get(pod.metadata.uid!) ?? pod;
        return { ...latest, status } as KObject;
      });
      const results = await this.opts.store.updateMany(objs, 'status').catch((e: unknown) => objs.map(() => e as Error));
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
