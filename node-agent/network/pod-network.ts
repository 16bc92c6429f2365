// The node's pod network: the `kite` bridge network with this node's pod CIDR, one fixed IP per
// pod, routes to every peer's pod subnet (host-gw or VXLAN per peer), the iptables rules that
// keep pod addresses visible inside the cluster and masquerade traffic leaving it, and hairpin
// on the bridge ports. Everything is re-asserted on a timer and after an engine restart.
// With the fake runtime (hollow nodes) only the addresses are handed out: no kernel changes.
import type Docker from 'dockerode';
import type { Pod } from '../../common/api/types';
import { systemClock, type Clock, type Timer } from '../../common/clock';
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { PodNetwork as PodNetworkConfig } from '../../common/generated/kite/v1/PodNetwork';
import type { NetworkPeer__Output } from '../../common/generated/kite/v1/NetworkPeer';
import { ContainerRuntimeError, LABELS, type ManagedContainer, type PodNetworkPlacement, type PodNetworkProvider } from '../executor/types';
import { execRunner, type CommandRunner } from './commands';
import { gatewayOf, parseCidr } from './cidr';
import { PodIpAllocator } from './ipam';
import { HostGwBackend, removeStaleRoutes } from './backend';
import { VxlanBackend, VXLAN_MTU } from './vxlan';
import { isDirectRoute, planRoutes } from './route-plan';
import { parseIptablesSave, podNetworkRules } from './pod-iptables';
import { DockerBridgeNetwork, POD_BRIDGE, POD_NETWORK_NAME, watchEngineRestarts } from './docker-network';
import { enableHairpin } from './hairpin';
import type { DnsSettings } from './pod-dns';

export interface PodNetworkOptions {
  /** 'kernel' programs this host (docker runtime); 'addresses-only' just hands out IPs (fake runtime). */
  mode: 'kernel' | 'addresses-only';
  nodeName: string;
  /** This node's address: the VXLAN tunnel's local end. */
  nodeAddress?: string;
  /** Use VXLAN for every peer, even those on this L2 segment. */
  forceVxlan?: boolean;
  docker?: Docker;
  runner?: CommandRunner;
  log: Logger;
  clock?: Clock;
  /** How often routes, the device and rules are re-asserted (default 10 s). */
  reassertMs?: number;
  /** How long a pod waits for the network before its container create fails and is retried (default 20 s). */
  waitMs?: number;
}

type State =
  | { kind: 'waiting' } // no welcome yet: pods wait
  | { kind: 'none' } // the controller gives no pod network: the engine's default bridge
  | { kind: 'configuring' }
  | { kind: 'ready' }
  | { kind: 'failed'; error: string };

interface Config {
  podCidr: string;
  clusterCidr: string;
  /** Service virtual IPs: forwarding them is the service proxy's business (it rejects the ones without endpoints). */
  serviceCidr?: string;
  domain: string;
  gateway: string;
}

export class PodNetwork implements PodNetworkProvider {
  private readonly ipam = new PodIpAllocator();
  private readonly runner: CommandRunner;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly vxlan: VxlanBackend;
  private readonly hostGw: HostGwBackend;
  private state: State = { kind: 'waiting' };
  private config: Config | undefined;
  private peers: NetworkPeer__Output[] = [];
  private waiters: (() => void)[] = [];
  private configureCount = 0;
  private vtepMac = '';
  private readonly sameL2 = new Map<string, boolean>();
  private work: Promise<void> = Promise.resolve();
  private pending = false;
  private hairpinTimer: Timer | undefined;
  private reassertTimer: Timer | undefined;
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(private opts: PodNetworkOptions) {
    this.runner = opts.runner ?? execRunner;
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log;
    this.vxlan = new VxlanBackend(this.runner);
    this.hostGw = new HostGwBackend(this.runner);
  }

  private get kernel(): boolean {
    return this.opts.mode === 'kernel';
  }

  /** The engine whose `kite` network carries the pods (kernel mode). */
  useDocker(docker: Docker): void {
    this.opts.docker = docker;
  }

  /** Creates the VXLAN device (kernel mode) and returns its MAC for the node's registration; '' without one. */
  async prepare(): Promise<string> {
    if (!this.kernel || this.vtepMac) return this.vtepMac;
    try {
      this.vtepMac = await this.vxlan.ensureDevice(this.opts.nodeAddress);
    } catch (e) {
      this.log.warn({ err: errorMessage(e) }, 'no VXLAN device: only peers on this L2 segment are reachable');
    }
    return this.vtepMac;
  }

  /** Starts re-asserting on a timer and after engine restarts. */
  start(): void {
    if (!this.kernel) return;
    const tick = () => {
      if (this.stopped) return;
      this.schedule();
      this.reassertTimer = this.clock.setTimeout(tick, this.opts.reassertMs ?? 10_000);
    };
    this.reassertTimer = this.clock.setTimeout(tick, this.opts.reassertMs ?? 10_000);
    if (this.opts.docker) {
      void watchEngineRestarts(
        this.opts.docker,
        () => {
          this.log.info('container engine is back: re-asserting the pod network');
          this.schedule();
        },
        this.abort.signal,
      );
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    if (this.reassertTimer !== undefined) this.clock.clearTimeout(this.reassertTimer);
    if (this.hairpinTimer !== undefined) this.clock.clearTimeout(this.hairpinTimer);
    await this.work.catch(() => undefined);
  }

  /** The session was welcomed: if no network() follows in this same message, there is no pod network. */
  welcomed(): void {
    const seen = this.configureCount;
    queueMicrotask(() => {
      if (this.configureCount !== seen || this.state.kind !== 'waiting') return;
      this.log.warn('the controller gives this node no pod network: pods use the engine\'s default bridge');
      this.setState({ kind: 'none' });
    });
  }

  /** This node's pod subnet and the cluster's ranges (on every welcome). */
  configure(net: PodNetworkConfig): void {
    this.configureCount++;
    if (!net.pod_cidr) {
      this.setState({ kind: 'failed', error: 'the controller has not given this node a pod CIDR' });
      return;
    }
    let config: Config;
    try {
      const pod = parseCidr(net.pod_cidr);
      config = {
        podCidr: pod.text,
        clusterCidr: parseCidr(net.cluster_cidr || pod.text).text,
        serviceCidr: net.service_cidr ? parseCidr(net.service_cidr).text : undefined,
        domain: net.cluster_domain || 'cluster.local',
        gateway: gatewayOf(pod),
      };
    } catch (e) {
      this.setState({ kind: 'failed', error: `bad pod network from the controller: ${errorMessage(e)}` });
      return;
    }
    const changed = config.podCidr !== this.config?.podCidr;
    this.config = config;
    if (changed) {
      const dropped = this.ipam.setCidr(config.podCidr);
      if (dropped.length) this.log.warn({ pods: dropped, podCidr: config.podCidr }, 'pods whose address is outside the new pod CIDR get a new one');
      this.log.info({ podCidr: config.podCidr, clusterCidr: config.clusterCidr }, 'pod network configured');
    }
    if (!this.kernel) {
      this.setState({ kind: 'ready' });
      return;
    }
    if (this.state.kind !== 'ready' || changed) this.setState({ kind: 'configuring' });
    this.schedule();
  }

  /** Every node's pod subnet and address (the full list each time). */
  setPeers(peers: NetworkPeer__Output[]): void {
    this.peers = peers;
    if (this.kernel) this.schedule();
  }

  /** This node's address as the controller lists it among the peers (undefined before the first list). */
  ownAddress(): string | undefined {
    return this.peers.find((p) => p.node === this.opts.nodeName)?.address || undefined;
  }

  /** Re-reserves the addresses of pods found running after an agent restart. */
  recover(containers: ManagedContainer[]): void {
    for (const c of containers) {
      const ip = c.labels[LABELS.podIP];
      if (ip && !this.ipam.reserve(c.podUid, ip)) this.log.warn({ pod: c.podUid, ip }, 'recovered pod address is taken or outside the pod CIDR');
    }
  }

  release(uid: string): void {
    this.ipam.release(uid);
  }

  podIP(uid: string): string | undefined {
    return this.ipam.get(uid);
  }

  async placement(pod: Pod): Promise<PodNetworkPlacement | undefined> {
    await this.settled(this.opts.waitMs ?? 20_000);
    const s = this.state;
    if (s.kind === 'none') return undefined;
    if (s.kind === 'failed') throw new ContainerRuntimeError('CreateContainerError', `pod network: ${s.error}`);
    if (s.kind !== 'ready' || !this.config) {
      throw new ContainerRuntimeError('CreateContainerError', 'pod network not set up yet (waiting for this node\'s pod CIDR from the controller)');
    }
    let ip: string;
    try {
      ip = this.ipam.allocate(pod.metadata.uid ?? '');
    } catch (e) {
      throw new ContainerRuntimeError('CreateContainerError', errorMessage(e));
    }
    return { network: POD_NETWORK_NAME, ip, dns: this.dnsFor(this.config, pod.metadata.namespace ?? 'default') };
  }

  clusterDns(namespace: string): DnsSettings | undefined {
    return this.state.kind === 'ready' && this.config ? this.dnsFor(this.config, namespace) : undefined;
  }

  /** The cluster DNS (this node's server on the bridge) with the namespace's search path. */
  private dnsFor(config: Config, namespace: string): DnsSettings {
    const d = config.domain;
    return { servers: [config.gateway], search: [`${namespace}.svc.${d}`, `svc.${d}`, d], options: ['ndots:5'] };
  }

  containerStarted(): void {
    if (!this.kernel || this.stopped || this.hairpinTimer !== undefined) return;
    // Debounced: a burst of pod starts costs one pass over the bridge ports.
    this.hairpinTimer = this.clock.setTimeout(() => {
      this.hairpinTimer = undefined;
      this.work = this.work.then(() =>
        enableHairpin(this.runner, POD_BRIDGE).then(
          () => undefined,
          (e: unknown) => this.log.debug({ err: errorMessage(e) }, 'hairpin pass failed'),
        ),
      );
    }, 100);
  }

  // ---- internals ---------------------------------------------------------------------------

  private setState(s: State): void {
    this.state = s;
    if (s.kind !== 'waiting' && s.kind !== 'configuring') for (const w of this.waiters.splice(0)) w();
  }

  private settled(timeoutMs: number): Promise<void> {
    const k = this.state.kind;
    if (k !== 'waiting' && k !== 'configuring') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.clock.clearTimeout(t);
        resolve();
      };
      const t = this.clock.setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      }, timeoutMs);
      this.waiters.push(done);
    });
  }

  /** Queues one reconcile; requests arriving meanwhile fold into the next one. */
  private schedule(): void {
    if (this.pending || this.stopped) return;
    this.pending = true;
    this.work = this.work.then(async () => {
      this.pending = false;
      if (this.stopped) return;
      await this.reconcile();
    });
  }

  private async reconcile(): Promise<void> {
    const config = this.config;
    if (!config || !this.opts.docker) return;
    try {
      await this.prepare();
      const mtu = this.vtepMac ? VXLAN_MTU : 1500;
      const result = await new DockerBridgeNetwork(this.opts.docker).ensure({ subnet: config.podCidr, gateway: config.gateway, mtu });
      if (result !== 'unchanged') this.log.info({ network: POD_NETWORK_NAME, subnet: config.podCidr, mtu, result }, 'pod bridge network ready');
      if (this.vtepMac) await this.vxlan.setAddress(config.podCidr);
      const saved = parseIptablesSave(await this.runner.run('iptables-save', []));
      await this.runner.run('iptables-restore', ['--noflush', '-w', '5'], { input: podNetworkRules({ clusterCidr: config.clusterCidr, podCidr: config.podCidr, serviceCidr: config.serviceCidr }, saved) });
      if (this.state.kind !== 'ready') this.setState({ kind: 'ready' });
    } catch (e) {
      const error = errorMessage(e);
      if (this.state.kind !== 'ready') this.setState({ kind: 'failed', error });
      this.log.error({ err: error }, 'could not set up the pod network; retrying');
      this.clock.setTimeout(() => this.schedule(), 2000);
      return;
    }
    await this.programPeers(config).catch((e: unknown) => this.log.error({ err: errorMessage(e) }, 'could not program routes to peers; retrying on the next pass'));
    await enableHairpin(this.runner, POD_BRIDGE).catch((e: unknown) => this.log.debug({ err: errorMessage(e) }, 'hairpin pass failed'));
  }

  private async programPeers(config: Config): Promise<void> {
    for (const p of this.peers) {
      if (p.node === this.opts.nodeName || !p.address || this.sameL2.has(p.address)) continue;
      try {
        this.sameL2.set(p.address, isDirectRoute(await this.runner.run('ip', ['-4', 'route', 'get', p.address])));
      } catch (e) {
        this.log.warn({ peer: p.node, address: p.address, err: errorMessage(e) }, 'cannot tell how to reach a peer');
      }
    }
    const plan = planRoutes({
      selfNode: this.opts.nodeName,
      selfPodCidr: config.podCidr,
      peers: this.peers,
      sameL2: (a) => this.sameL2.get(a),
      forceVxlan: (this.opts.forceVxlan ?? false) && !!this.vtepMac,
    });
    for (const s of plan.skipped) this.log.warn({ peer: s.node, reason: s.reason }, 'no route to a peer\'s pods');
    const vxlanPeers = plan.routes.filter((r) => r.backend === 'vxlan');
    await removeStaleRoutes(this.runner, new Set(plan.routes.map((r) => r.podCidr)));
    await this.hostGw.program(plan.routes.filter((r) => r.backend === 'host-gw'));
    if (this.vtepMac) await this.vxlan.program(vxlanPeers);
  }
}
