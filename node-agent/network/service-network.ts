// Services on this node, composed: the ServiceCache fed by the controller, the proxy (kernel
// rules) synced by a bounded-frequency runner, the DNS server on the pod network gateway, and
// the service environment variables for new containers. The agent only forwards messages here.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import { systemClock, type Clock, type Timer } from '../../common/clock';
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { Endpoints, Service } from '../../common/api/types';
import type { PodNetwork__Output } from '../../common/generated/kite/v1/PodNetwork';
import { contains, gatewayOf, parseCidr, type Cidr } from './cidr';
import { DnsServer, upstreamsFromResolvConf } from './dns-server';
import type { ServiceProxier } from './proxier';
import { ServiceCache } from './service-cache';
import { serviceEnvVars } from './service-env';
import { servicePorts } from './service-ports';
import { SyncRunner } from './sync-runner';

export interface ServiceNetworkOptions {
  proxier: ServiceProxier;
  log: Logger;
  clock?: Clock;
  /** This node's address (--address); otherwise its interfaces' addresses outside the cluster. */
  nodeAddress?: string;
  /** Serve DNS on the pod network gateway (real nodes only). */
  dns: boolean;
  /** Default 53. */
  dnsPort?: number;
  resolvConf?: string;
  /**
   * Bounds of the proxy's sync frequency (defaults 50 ms and 10 s): a readiness change is applied
   * well within a second; the periodic sync repairs jumps Docker displaced when it restarted.
   */
  minSyncMs?: number;
  maxSyncMs?: number;
}

interface NetConfig {
  podCidr: Cidr;
  clusterCidr: Cidr;
  domain: string;
  gateway: string;
}

/** Non-loopback IPv4 addresses of this host's interfaces, without pod network and Docker bridges. */
export function interfaceAddresses(ifaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>, clusterCidr: Cidr): string[] {
  const out: string[] = [];
  for (const [name, infos] of Object.entries(ifaces)) {
    if (/^(docker|br-|veth|kite)/.test(name)) continue;
    for (const i of infos ?? []) if (i.family === 'IPv4' && !i.internal && !contains(clusterCidr, i.address)) out.push(i.address);
  }
  return out;
}

const DNS_RETRY_MS = 1000;

export class ServiceNetwork {
  readonly cache = new ServiceCache();
  private readonly clock: Clock;
  private readonly runner: SyncRunner;
  private config: NetConfig | undefined;
  private started = false;
  private stopped = false;
  private dns: DnsServer | undefined;
  private dnsTimer: Timer | undefined;
  private dnsWarned = false;
  /** Serialises DNS server restarts. */
  private dnsWork: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ServiceNetworkOptions) {
    this.clock = opts.clock ?? systemClock;
    this.runner = new SyncRunner({
      minIntervalMs: opts.minSyncMs ?? 50,
      maxIntervalMs: opts.maxSyncMs ?? 10_000,
      clock: this.clock,
      run: () => this.syncProxy(),
      onError: (e) => opts.log.warn({ err: errorMessage(e) }, 'service proxy sync failed; retrying'),
    });
    this.cache.onChange(() => {
      this.maybeStart();
      this.runner.request();
    });
  }

  /** The controller's service update (SessionTarget.services). */
  apply(full: boolean, services: Service[], endpoints: Endpoints[], removedServices: string[], removedEndpoints: string[]): void {
    this.cache.apply(full, services, endpoints, removedServices, removedEndpoints);
  }

  /** The node's pod network (SessionTarget.network): the proxy's local pod range and the DNS address. */
  configure(net: PodNetwork__Output): void {
    if (!net.pod_cidr) return;
    let config: NetConfig;
    try {
      const podCidr = parseCidr(net.pod_cidr);
      config = { podCidr, clusterCidr: parseCidr(net.cluster_cidr || net.pod_cidr), domain: net.cluster_domain || 'cluster.local', gateway: gatewayOf(podCidr) };
    } catch (e) {
      this.opts.log.error({ err: errorMessage(e) }, 'bad pod network from the controller: no service routing or DNS');
      return;
    }
    const gatewayChanged = config.gateway !== this.config?.gateway || config.domain !== this.config?.domain;
    this.config = config;
    if (gatewayChanged && this.opts.dns) this.restartDns();
    this.maybeStart();
    this.runner.request();
  }

  /** Re-asserts the rules now (the container engine restarted and re-inserted its own at the top). */
  resync(): void {
    this.runner.request();
  }

  /** Service variables for a new container of a pod in `namespace`. */
  serviceEnv(namespace: string): Record<string, string> {
    return serviceEnvVars(this.cache.servicesIn(namespace));
  }

  /** The DNS server's address, once it serves. */
  get dnsAddress(): string | undefined {
    return this.dns ? this.config?.gateway : undefined;
  }

  /** Syncs only once both the pod network and a full service list are known: never wipe rules on a restart. */
  private maybeStart(): void {
    if (this.started || this.stopped || !this.config || !this.cache.hasSynced) return;
    this.started = true;
    this.runner.start();
  }

  private nodeAddresses(clusterCidr: Cidr): string[] {
    if (this.opts.nodeAddress) return [this.opts.nodeAddress];
    return interfaceAddresses(os.networkInterfaces(), clusterCidr);
  }

  private async syncProxy(): Promise<void> {
    const c = this.config;
    if (!c) return;
    await this.opts.proxier.sync({
      ports: servicePorts(this.cache.services(), this.cache.endpointsMap()),
      nodeAddresses: this.nodeAddresses(c.clusterCidr),
      localPodCIDR: c.podCidr.text,
    });
  }

  private restartDns(): void {
    if (this.dnsTimer !== undefined) this.clock.clearTimeout(this.dnsTimer);
    this.dnsTimer = undefined;
    this.dnsWork = this.dnsWork.then(async () => {
      const c = this.config;
      if (this.dns) await this.dns.stop();
      this.dns = undefined;
      if (!c || this.stopped) return;
      const conf = await fs.readFile(this.opts.resolvConf ?? '/etc/resolv.conf', 'utf8').catch(() => '');
      const upstreams = upstreamsFromResolvConf(conf, [c.gateway, '127.0.0.11']);
      const server = new DnsServer({ address: c.gateway, port: this.opts.dnsPort ?? 53, domain: c.domain, lookup: this.cache, upstreams, log: this.opts.log });
      try {
        await server.start();
        this.dns = server;
        this.opts.log.info({ address: c.gateway, domain: c.domain, upstreams }, 'DNS server for pods listening');
      } catch (e) {
        // The gateway address appears when the pod bridge is up: try again shortly. Anything else
        // (port 53 taken by another server) is worth a warning, once.
        const notYet = (e as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL';
        if (!notYet && !this.dnsWarned) this.opts.log.warn({ err: errorMessage(e), address: c.gateway }, 'DNS server for pods cannot listen; retrying');
        else this.opts.log.debug({ err: errorMessage(e), address: c.gateway }, 'DNS server cannot listen yet; retrying');
        this.dnsWarned ||= !notYet;
        this.dnsTimer = this.clock.setTimeout(() => this.restartDns(), DNS_RETRY_MS);
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.dnsTimer !== undefined) this.clock.clearTimeout(this.dnsTimer);
    await this.runner.stop();
    await this.dnsWork;
    await this.dns?.stop();
    this.dns = undefined;
  }
}
