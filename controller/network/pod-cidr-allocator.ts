// Pod subnets: each Node gets one /24 of the cluster CIDR, as Kubernetes' node IPAM and flannel's
// subnet manager do. Two keys per allocation, written in one transaction:
//   <prefix>/allocations/podcidrs/10.244.3.0-24   -> node name   (the subnet is taken)
//   <prefix>/allocations/podcidr-nodes/<node>      -> 10.244.3.0/24 (the node has one)
// so several controllers allocating at once never give a subnet twice nor a node two subnets.
import type { Etcd3 } from 'etcd3';
import type { KeyLayout } from '../store/keys';
import { AllocationPool, RangeFullError, claimKeys } from './allocation-pool';
import { type Cidr, formatCidr, parseCidr, subnet24, subnet24Count } from './ipv4';

export const POD_CIDR_POOL = 'podcidrs';
export const POD_CIDR_NODE_POOL = 'podcidr-nodes';

/** "10.244.3.0/24" -> "10.244.3.0-24": a slash cannot be part of one key segment. */
export const subnetItem = (cidr: string) => cidr.replace('/', '-');

export class PodCidrAllocator {
  readonly subnets: AllocationPool;
  readonly nodes: AllocationPool;

  constructor(
    private readonly client: Etcd3,
    keys: KeyLayout,
    readonly clusterCIDR: Cidr,
  ) {
    this.subnets = new AllocationPool(client, keys, POD_CIDR_POOL);
    this.nodes = new AllocationPool(client, keys, POD_CIDR_NODE_POOL);
  }

  /** The node's subnet: the one it has, else the lowest free /24. Throws RangeFullError when none is left. */
  async allocate(nodeName: string): Promise<string> {
    for (;;) {
      const existing = await this.subnetOf(nodeName);
      if (existing) return existing;
      const taken = await this.subnets.list();
      const free = this.firstFree(taken);
      if (free === undefined) throw this.fullError();
      const subnet = formatCidr(free);
      const won = await claimKeys(this.client, [
        { key: this.subnets.key(subnetItem(subnet)), value: nodeName },
        { key: this.nodes.key(nodeName), value: subnet },
      ]);
      if (won) return subnet;
      // Someone took that subnet, or gave this node one, meanwhile: look again.
    }
  }

  /** The node's allocated subnet, if it has one. */
  async subnetOf(nodeName: string): Promise<string | undefined> {
    return (await this.nodes.get(nodeName))?.holder;
  }

  /** Frees the node's subnet; nothing happens when it has none. */
  async release(nodeName: string): Promise<void> {
    const mine = await this.nodes.get(nodeName);
    if (mine) await this.subnets.release(subnetItem(mine.holder), nodeName);
    // Subnets recorded for the node without the node key (a half-finished repair) go too.
    for (const claim of (await this.subnets.list()).values()) {
      if (claim.holder === nodeName) await this.subnets.release(claim.item, nodeName);
    }
    if (mine) await this.nodes.release(nodeName, mine.holder);
  }

  /**
   * Records a subnet a Node already carries (spec.podCIDR) whose allocation keys are missing, so
   * it is not handed to another node. False when another node holds that subnet.
   */
  async adopt(nodeName: string, subnet: string): Promise<boolean> {
    const cidr = parseCidr(subnet, 'spec.podCIDR');
    const item = subnetItem(formatCidr(cidr));
    const holder = (await this.subnets.get(item))?.holder;
    if (holder !== undefined && holder !== nodeName) return false;
    if (holder === undefined && !(await this.subnets.claim(item, nodeName))) return (await this.subnets.get(item))?.holder === nodeName;
    if (!(await this.nodes.get(nodeName))) await this.nodes.claim(nodeName, formatCidr(cidr));
    return true;
  }

  private firstFree(taken: ReadonlyMap<string, unknown>): Cidr | undefined {
    const n = subnet24Count(this.clusterCIDR);
    for (let i = 0; i < n; i++) {
      const s = subnet24(this.clusterCIDR, i);
      if (!taken.has(subnetItem(formatCidr(s)))) return s;
    }
    return undefined;
  }

  private fullError(): RangeFullError {
    const n = subnet24Count(this.clusterCIDR);
    return new RangeFullError(
      `no pod subnet left: --cluster-cidr ${formatCidr(this.clusterCIDR)} holds ${n} node subnet${n === 1 ? '' : 's'} (/24) and all are allocated; ` +
        'delete nodes that are gone or start the controllers with a larger --cluster-cidr',
    );
  }
}
