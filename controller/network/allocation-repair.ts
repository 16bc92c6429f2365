// The leader's repair of address allocations, as Kubernetes' repair controllers for cluster IPs,
// node ports and node CIDRs: allocations whose holder is gone are released, holders that use an
// item without an allocation get one back, and allocations made while their service was being
// created get its uid. A deleted Service or Node releases at once (from the informer's event); the
// periodic sweep catches everything else (a controller that died between allocating and writing).
// A leak is released only when a second sweep still finds it unchanged, so an allocation whose
// object is being created right now (not yet in the informer cache) is not taken from it.
import type { Node, Service } from '../../common/api/types';
import type { Clock, Timer } from '../../common/clock';
import { systemClock } from '../../common/clock';
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { SharedInformers } from '../informers';
import type { AllocationPool, Claim } from './allocation-pool';
import type { PodCidrAllocator } from './pod-cidr-allocator';
import { subnetItem } from './pod-cidr-allocator';
import { holderName, holderUid, serviceHolder } from './service-addresses';
import { usesNodePorts } from '../../common/kinds/service';

export interface AllocationRepairDeps {
  informers: SharedInformers;
  podCidrs: PodCidrAllocator;
  serviceIPs: AllocationPool;
  nodePorts: AllocationPool;
  log: Logger;
  clock?: Clock;
  /** Between sweeps; default 30 s. */
  intervalMs?: number;
}

/** What a sweep finds an allocation to be. */
type Verdict = { kind: 'ok' } | { kind: 'leaked' } | { kind: 'reassign'; holder: string };

/** One pool's items in use: item -> the holder value that should be on its allocation. */
type InUse = Map<string, string>;

export class AllocationRepair {
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private running = false;
  private timer: Timer | undefined;
  /** Allocations found leaked by the last sweep: pool/item -> mod revision then. */
  private suspects = new Map<string, string>();

  constructor(private readonly deps: AllocationRepairDeps) {
    this.log = deps.log.child({ component: 'allocation-repair' });
    this.clock = deps.clock ?? systemClock;
    this.intervalMs = deps.intervalMs ?? 30_000;
    deps.informers.get<Service>('Service').on((type, svc) => {
      if (type === 'DELETED' && this.running) void this.quietly('release service addresses', () => this.releaseService(svc));
    });
    deps.informers.get<Node>('Node').on((type, node) => {
      if (type !== 'DELETED' || !this.running) return;
      // A node deleted and registered again at once keeps its subnet.
      if (deps.informers.get<Node>('Node').get(node.metadata.name)) return;
      void this.quietly('release pod CIDR', () => deps.podCidrs.release(node.metadata.name));
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.deps.informers.synced(['Service', 'Node']).then(() => this.schedule(0));
  }

  stop(): void {
    this.running = false;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.suspects.clear();
  }

  /** One pass over every pool (tests call it directly). */
  async sweep(): Promise<void> {
    const services = [...this.deps.informers.get<Service>('Service').list()];
    const nodes = [...this.deps.informers.get<Node>('Node').list()];
    const suspects = new Map<string, string>();
    await this.repairPool(this.deps.serviceIPs, ipsInUse(services), suspects, serviceVerdict);
    await this.repairPool(this.deps.nodePorts, nodePortsInUse(services), suspects, serviceVerdict);
    const live = new Set(nodes.map((n) => n.metadata.name));
    const nodeClaims = await this.deps.podCidrs.nodes.list();
    // A subnet is fine while the node holding it exists (it may not have written spec.podCIDR yet).
    await this.repairPool(this.deps.podCidrs.subnets, subnetsInUse(nodes), suspects, (claim, wanted) =>
      live.has(claim.holder) ? { kind: 'ok' } : wanted ? { kind: 'reassign', holder: wanted } : { kind: 'leaked' },
    );
    await this.repairPool(this.deps.podCidrs.nodes, nodeSubnets(nodes, nodeClaims), suspects, (claim, wanted) =>
      !live.has(claim.item) ? { kind: 'leaked' } : wanted && wanted !== claim.holder ? { kind: 'reassign', holder: wanted } : { kind: 'ok' },
    );
    this.suspects = suspects;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = this.clock.setTimeout(() => {
      void this.quietly('sweep allocations', () => this.sweep()).finally(() => this.schedule(this.intervalMs));
    }, ms);
  }

  private async repairPool(pool: AllocationPool, inUse: InUse, suspects: Map<string, string>, verdict: (claim: Claim, wanted: string | undefined) => Verdict): Promise<void> {
    const claims = await pool.list();
    for (const claim of claims.values()) {
      const v = verdict(claim, inUse.get(claim.item));
      if (v.kind === 'reassign') {
        await pool.transfer(claim.item, claim.holder, v.holder);
      } else if (v.kind === 'leaked') {
        const id = `${pool.pool}/${claim.item}`;
        if (this.suspects.get(id) === claim.modRevision) {
          if (await pool.release(claim.item, claim.holder, claim.modRevision)) this.log.info({ pool: pool.pool, item: claim.item, holder: claim.holder }, 'released a leaked allocation');
        } else {
          suspects.set(id, claim.modRevision);
        }
      }
    }
    // In use without an allocation (lost, or made before allocations existed): take it back.
    for (const [item, holder] of inUse) {
      if (claims.has(item)) continue;
      if (!(await pool.claim(item, holder))) this.log.warn({ pool: pool.pool, item, holder }, 'in use but allocated to another holder');
    }
  }

  private async releaseService(svc: Service): Promise<void> {
    const holder = serviceHolder(svc);
    if (svc.spec.clusterIP && svc.spec.clusterIP !== 'None') await this.deps.serviceIPs.release(svc.spec.clusterIP, holder);
    if (!usesNodePorts(svc)) return;
    for (const p of svc.spec.ports ?? []) if (p.nodePort) await this.deps.nodePorts.release(String(p.nodePort), holder);
  }

  private async quietly(what: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.log.warn({ err: errorMessage(e) }, `could not ${what}; the next sweep retries`);
    }
  }
}

/** A service allocation is fine when that service uses it; one made before the uid was known gets the uid. */
function serviceVerdict(claim: Claim, wanted: string | undefined): Verdict {
  if (wanted === undefined) return { kind: 'leaked' };
  if (claim.holder === wanted) return { kind: 'ok' };
  // Same service name: the allocation was made for it (pending uid, or a transfer that did not land).
  if (holderName(claim.holder) === holderName(wanted) && (holderUid(claim.holder) === '' || holderUid(claim.holder) !== holderUid(wanted))) return { kind: 'reassign', holder: wanted };
  return { kind: 'leaked' };
}

function ipsInUse(services: Service[]): InUse {
  const out: InUse = new Map();
  for (const s of services) if (s.spec.clusterIP && s.spec.clusterIP !== 'None') out.set(s.spec.clusterIP, serviceHolder(s));
  return out;
}

function nodePortsInUse(services: Service[]): InUse {
  const out: InUse = new Map();
  for (const s of services) {
    if (!usesNodePorts(s)) continue;
    for (const p of s.spec.ports ?? []) if (p.nodePort) out.set(String(p.nodePort), serviceHolder(s));
  }
  return out;
}

/** Subnet items held by existing nodes: from their spec.podCIDR. */
function subnetsInUse(nodes: Node[]): InUse {
  const out: InUse = new Map();
  for (const n of nodes) if (n.spec.podCIDR) out.set(subnetItem(n.spec.podCIDR), n.metadata.name);
  return out;
}

/**
 * Node keys that should exist: for every node with a spec.podCIDR, and for existing nodes that
 * have an allocation but no spec.podCIDR yet (being registered), the allocation they have.
 */
function nodeSubnets(nodes: Node[], claims: ReadonlyMap<string, Claim>): InUse {
  const out: InUse = new Map();
  for (const n of nodes) {
    const subnet = n.spec.podCIDR ?? claims.get(n.metadata.name)?.holder;
    if (subnet) out.set(n.metadata.name, subnet);
  }
  return out;
}
