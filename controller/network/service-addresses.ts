// The two address pools of Services, as Kubernetes' ipallocator and portallocator: cluster IPs from
// the service CIDR and node ports from 30000-32767, each allocated item one etcd key whose value
// names the service holding it ("ns/name/uid"; the uid is empty for the moment between the
// allocation and the creation that assigns it).
import type { Etcd3 } from 'etcd3';
import type { Service } from '../../common/api/types';
import type { KeyLayout } from '../store/keys';
import { AllocationPool, RangeFullError } from './allocation-pool';
import { type Cidr, cidrSize, formatCidr, formatIPv4, nthAddress, offsetOf, parseIPv4 } from './ipv4';

export const SERVICE_IP_POOL = 'serviceips';
export const NODE_PORT_POOL = 'nodeports';
export const NODE_PORT_RANGE = { first: 30000, last: 32767 } as const;

/** "ns/name/uid" of a service; without a uid while it is being created. */
export function serviceHolder(svc: Pick<Service, 'metadata'>, withUid = true): string {
  return `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name}/${withUid ? (svc.metadata.uid ?? '') : ''}`;
}

/** "ns/name" of a holder value, for messages. */
export function holderName(holder: string): string {
  return holder.split('/').slice(0, 2).join('/');
}

export function holderUid(holder: string): string {
  return holder.split('/')[2] ?? '';
}

/** Random numbers in [0, 1): injected so tests can make allocation order predictable. */
export type Random = () => number;

/**
 * A pool of consecutive numbers (offsets in a CIDR, or ports) handing out a random free one, as
 * Kubernetes does, so a deleted service's address is not the next one given out.
 */
class NumberedPool {
  constructor(
    readonly pool: AllocationPool,
    private readonly first: number,
    private readonly last: number,
    private readonly itemOf: (n: number) => string,
    private readonly random: Random,
  ) {}

  async allocate(holder: string, full: () => RangeFullError): Promise<number> {
    for (;;) {
      const taken = await this.pool.list();
      const size = this.last - this.first + 1;
      const start = Math.floor(this.random() * size);
      let pick: number | undefined;
      for (let i = 0; i < size; i++) {
        const n = this.first + ((start + i) % size);
        if (!taken.has(this.itemOf(n))) {
          pick = n;
          break;
        }
      }
      if (pick === undefined) throw full();
      if (await this.pool.claim(this.itemOf(pick), holder)) return pick;
      // Taken by another controller meanwhile: pick again.
    }
  }
}

/** Cluster IPs from the service CIDR: never the network address, the broadcast address, or .1. */
export class ServiceIPAllocator {
  readonly pool: AllocationPool;
  private readonly numbers: NumberedPool;

  constructor(
    client: Etcd3,
    keys: KeyLayout,
    readonly range: Cidr,
    random: Random = Math.random,
  ) {
    this.pool = new AllocationPool(client, keys, SERVICE_IP_POOL);
    // Offset 1 is kept for the API's own service (Kubernetes' `kubernetes` service); the last
    // offset is the broadcast address.
    this.numbers = new NumberedPool(this.pool, 2, cidrSize(range) - 2, (n) => formatIPv4(nthAddress(range, n)), random);
  }

  /** Why `ip` cannot be requested (outside the range), or undefined. Says nothing about who holds it. */
  rangeProblem(ip: string): string | undefined {
    const n = parseIPv4(ip);
    const offset = n === undefined ? undefined : offsetOf(this.range, n);
    if (offset === undefined || offset === 0 || offset === cidrSize(this.range) - 1) {
      return `spec.clusterIP: Invalid value: "${ip}": provided IP is not in the valid range. The range of valid IPs is ${formatCidr(this.range)}`;
    }
    return undefined;
  }

  async allocate(holder: string): Promise<string> {
    const offset = await this.numbers.allocate(holder, () => {
      const usable = cidrSize(this.range) - 3;
      return new RangeFullError(`no cluster IP left: --service-cidr ${formatCidr(this.range)} holds ${usable} service addresses and all are allocated`);
    });
    return formatIPv4(nthAddress(this.range, offset));
  }
}

/** Node ports from 30000-32767. */
export class NodePortAllocator {
  readonly pool: AllocationPool;
  private readonly numbers: NumberedPool;

  constructor(client: Etcd3, keys: KeyLayout, random: Random = Math.random) {
    this.pool = new AllocationPool(client, keys, NODE_PORT_POOL);
    this.numbers = new NumberedPool(this.pool, NODE_PORT_RANGE.first, NODE_PORT_RANGE.last, String, random);
  }

  async allocate(holder: string): Promise<number> {
    return this.numbers.allocate(holder, () => {
      const size = NODE_PORT_RANGE.last - NODE_PORT_RANGE.first + 1;
      return new RangeFullError(`no node port left: the range ${NODE_PORT_RANGE.first}-${NODE_PORT_RANGE.last} holds ${size} ports and all are allocated`);
    });
  }
}
