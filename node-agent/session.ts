// The agent's side of its session with the controller: register, obey the heartbeat period the
// controller sets, apply assignments (a full set, then increments whose sequence numbers must
// follow on; a gap means we missed something, so we reconnect to get a full set again), and
// report pod status. Reconnects with back-off, forever: the pods keep running meanwhile.
import type * as grpcTypes from '@grpc/grpc-js';
import type { ConfigMap, Endpoints, Pod, Secret, Service } from '../common/api/types';
import type { PodNetwork__Output } from '../common/generated/kite/v1/PodNetwork';
import type { NetworkPeer__Output } from '../common/generated/kite/v1/NetworkPeer';
import type { ServiceUpdate__Output } from '../common/generated/kite/v1/ServiceUpdate';
import type { NodeInfo } from '../common/generated/kite/v1/NodeInfo';
import type { AgentMessage } from '../common/generated/kite/v1/AgentMessage';
import type { ControllerMessage__Output } from '../common/generated/kite/v1/ControllerMessage';
import type { Assignments__Output } from '../common/generated/kite/v1/Assignments';
import type { PodStatusReport } from '../common/generated/kite/v1/PodStatusReport';
import type { PodEvent } from '../common/generated/kite/v1/PodEvent';
import type { LocalVolume__Output } from '../common/generated/kite/v1/LocalVolume';
import type { LocalVolumeRemoved } from '../common/generated/kite/v1/LocalVolumeRemoved';
import type { Heartbeat } from '../common/generated/kite/v1/Heartbeat';
import type { NodeImage } from '../common/generated/kite/v1/NodeImage';
import type { DispatcherClient } from '../common/generated/kite/v1/Dispatcher';
import { loadProto } from '../common/grpc';
import { dial, type TransportSecurity } from '../common/transport';
import { errorMessage } from '../common/errors';
import type { Logger } from '../common/log';
import type { PodAssignment } from './pods/manager';

export interface SessionTarget {
  /** Applies assignments: full replaces everything known. */
  sync(full: boolean, upserts: PodAssignment[], removals: string[]): void;
  heartbeat(): Heartbeat;
  /** Every pod's current status, re-sent after a reconnect so the controller has the truth. */
  allStatuses(): PodStatusReport[];
  /** The node's pod subnet and the cluster's ranges, on every welcome (the pod network). */
  network?(net: PodNetwork__Output): void;
  /** Every other node's pod subnet and how to reach it; the complete list each time. */
  peers?(peers: NetworkPeer__Output[]): void;
  /**
   * Services and Endpoints for the service proxy and DNS: full replaces everything known;
   * otherwise upserts and removals ("ns/name"). Sequence gaps are handled here (resync).
   */
  services?(full: boolean, services: Service[], endpoints: Endpoints[], removedServices: string[], removedEndpoints: string[]): void;
  /** The local volumes of this node being deleted, whose directories are to be removed; the whole set each time. */
  volumeCleanup?(volumes: LocalVolume__Output[]): void;
}

export interface SessionOptions {
  controller: string;
  nodeInfo: () => Promise<NodeInfo>;
  target: SessionTarget;
  log: Logger;
  onConnected?: (connected: boolean) => void;
  onReconnect?: () => void;
  /** A connection of its own: hollow nodes in one process must not share one HTTP/2 connection. */
  ownConnection?: boolean;
}

/**
 * The longest wait between reconnect attempts. Short, because a node back from a partition must
 * hear soon which of its pods were replaced meanwhile (and stop them); one attempt every 2 s per
 * agent is little load even for a thousand agents.
 */
const MAX_RECONNECT_BACKOFF_MS = 2000;

export class AgentSession {
  private client: DispatcherClient | undefined;
  private call: grpcTypes.ClientDuplexStream<AgentMessage, ControllerMessage__Output> | undefined;
  private sequence = -1;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private backoffMs = 250;
  private stopped = false;
  private welcomed = false;
  /** Sequence of the last service update applied; a full update resets it. */
  private serviceSequence = -1;
  /** Statuses produced while disconnected: the latest per pod, sent after the next welcome. */
  private readonly unsent = new Map<string, PodStatusReport>();
  private readonly pendingEvents: PodEvent[] = [];
  /** The node's images as last reported (Node.status.images): sent again after every welcome. */
  private images: NodeImage[] | undefined;
  nodeName = '';

  constructor(private readonly opts: SessionOptions) {}

  /** Dials the controller with `security` (this node's certificate) and keeps the session up. */
  start(security: TransportSecurity): void {
    this.client = dial(this.opts.controller, loadProto().kite.v1.Dispatcher, { security, ownConnection: this.opts.ownConnection });
    void this.connect();
  }

  get connected(): boolean {
    return this.welcomed;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let info: NodeInfo;
    try {
      info = await this.opts.nodeInfo();
    } catch (e) {
      this.opts.log.warn({ err: errorMessage(e) }, 'cannot describe this node yet; retrying');
      return this.retry();
    }
    if (!this.client) return;
    const call = this.client.Session();
    this.call = call;
    this.sequence = -1;
    call.on('data', (msg: ControllerMessage__Output) => {
      if (this.call !== call) return;
      try {
        this.onMessage(msg);
      } catch (e) {
        this.opts.log.error({ err: errorMessage(e) }, 'bad message from controller; reconnecting');
        call.cancel();
      }
    });
    const lost = (why: string) => {
      if (this.call !== call) return;
      this.call = undefined;
      this.setWelcomed(false);
      if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
      if (!this.stopped) {
        this.opts.log.warn({ controller: this.opts.controller, reason: why }, 'session with controller lost; reconnecting');
        this.retry();
      }
    };
    call.on('error', (e: grpcTypes.ServiceError) => lost(e.details || e.message));
    call.on('end', () => lost('stream ended'));
    call.write({ register: info });
  }

  private retry(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.backoffMs * (0.8 + Math.random() * 0.4);
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_RECONNECT_BACKOFF_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.opts.onReconnect?.();
      void this.connect();
    }, delay);
  }

  private setWelcomed(v: boolean): void {
    if (this.welcomed === v) return;
    this.welcomed = v;
    this.opts.onConnected?.(v);
  }

  private onMessage(msg: ControllerMessage__Output): void {
    if (msg.msg === 'welcome' && msg.welcome) {
      const w = msg.welcome;
      this.nodeName = w.node_name;
      this.backoffMs = 250;
      this.setWelcomed(true);
      if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
      const period = Math.max(100, w.heartbeat_period_ms || 2000);
      this.heartbeatTimer = setInterval(() => this.write({ heartbeat: this.opts.target.heartbeat() }), period);
      this.opts.log.info({ controller: w.controller_id, node: w.node_name, heartbeatMs: period }, 'session established');
      if (w.network) this.opts.target.network?.(w.network);
      if (this.images) this.write({ images: { images: this.images } });
      return;
    }
    if (msg.msg === 'assignments' && msg.assignments) this.onAssignments(msg.assignments);
    else if (msg.msg === 'peers' && msg.peers) this.opts.target.peers?.(msg.peers.peers);
    else if (msg.msg === 'services' && msg.services) this.onServices(msg.services);
    else if (msg.msg === 'volume_cleanup' && msg.volume_cleanup) this.opts.target.volumeCleanup?.(msg.volume_cleanup.volumes);
  }

  private onServices(u: ServiceUpdate__Output): void {
    const seq = Number(u.sequence);
    if (!u.full && seq !== this.serviceSequence + 1) {
      this.opts.log.warn({ expected: this.serviceSequence + 1, got: seq }, 'service update sequence gap; resyncing');
      this.call?.cancel();
      return;
    }
    this.serviceSequence = seq;
    const parse = <T>(jsons: string[]): T[] =>
      jsons.flatMap((j) => {
        try {
          return [JSON.parse(j) as T];
        } catch (e) {
          this.opts.log.error({ err: errorMessage(e) }, 'skipping a service update entry that is not valid JSON');
          return [];
        }
      });
    this.opts.target.services?.(u.full, parse<Service>(u.services_json), parse<Endpoints>(u.endpoints_json), u.removed_services, u.removed_endpoints);
  }

  private onAssignments(a: Assignments__Output): void {
    const seq = Number(a.sequence);
    if (!a.full && seq !== this.sequence + 1) {
      // We missed an increment: the only safe thing is to start over with a full set.
      this.opts.log.warn({ expected: this.sequence + 1, got: seq }, 'assignment sequence gap; resyncing');
      this.call?.cancel();
      return;
    }
    this.sequence = seq;
    const upserts: PodAssignment[] = [];
    for (const u of a.upserts) {
      try {
        upserts.push({
          pod: JSON.parse(u.pod_json) as Pod,
          configMaps: u.config_maps_json.map((j) => JSON.parse(j) as ConfigMap),
          secrets: u.secrets_json.map((j) => JSON.parse(j) as Secret),
          claimVolumes: u.claim_volumes.map((v) => ({ claimName: v.claim_name, path: v.path })),
        });
      } catch (e) {
        this.opts.log.error({ err: errorMessage(e) }, 'skipping an assignment that is not valid JSON');
      }
    }
    this.opts.target.sync(a.full, upserts, a.removals);
    if (a.full) {
      // After a (re)connect, tell the controller the truth about every pod we run.
      for (const s of this.opts.target.allStatuses()) this.unsent.set(s.uid!, s);
      this.flushUnsent();
    }
  }

  /**
   * Sends pod events, coalesced per event-loop turn. Events are advisory: while disconnected
   * they are dropped rather than buffered (the status reports carry the truth).
   */
  reportEvent(e: PodEvent): void {
    if (!this.welcomed) return;
    this.pendingEvents.push(e);
    if (this.pendingEvents.length === 1) {
      setImmediate(() => {
        const events = this.pendingEvents.splice(0);
        if (events.length) this.write({ events: { events } });
      });
    }
  }

  /** Tells the controller a local volume's directory is removed (or why not). Dropped while disconnected: the cleanup set is sent again on welcome. */
  reportVolumeRemoved(r: LocalVolumeRemoved): void {
    if (this.welcomed) this.write({ volume_removed: r });
  }

  /** The engine's images changed (or were listed for the first time). */
  reportImages(images: NodeImage[]): void {
    this.images = images;
    if (this.welcomed) this.write({ images: { images } });
  }

  reportStatus(reports: PodStatusReport[]): void {
    for (const r of reports) this.unsent.set(r.uid!, r);
    if (this.welcomed && this.sequence >= 0) this.flushUnsent();
  }

  private flushUnsent(): void {
    if (!this.unsent.size) return;
    const pods = [...this.unsent.values()];
    this.unsent.clear();
    this.write({ status: { pods } });
  }

  private write(msg: AgentMessage): void {
    this.call?.write(msg);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const call = this.call;
    this.call = undefined;
    call?.end();
    call?.cancel();
    this.client?.close();
  }
}
