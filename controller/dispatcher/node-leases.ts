// Node liveness leases. Each node has an etcd lease with TTL = the node grace period, attached to
// its key under /leases/nodes/; every heartbeat renews it, so the key disappears exactly one grace
// period after the last heartbeat this controller relayed (or after this controller died).
// Renewals of all nodes share one LeaseKeepAlive stream: a thousand nodes heartbeating every two
// seconds cost one stream and 500 small messages a second, not 500 new streams.
import type { Etcd3 } from 'etcd3';
import type { Logger } from '../../common/log';
import { errorMessage } from '../../common/errors';
import type { KeyLayout } from '../store/keys';

type KeepAliveStream = Awaited<ReturnType<Etcd3['leaseClient']['leaseKeepAlive']>>;

export class NodeLeases {
  private readonly ids = new Map<string, string>();
  private stream: KeepAliveStream | undefined;
  private opening: Promise<KeepAliveStream> | undefined;
  /** Leases etcd said are gone: the next heartbeat grants a new one. */
  private readonly expired = new Set<string>();

  constructor(
    private readonly client: Etcd3,
    private readonly keys: KeyLayout,
    private readonly ttlSeconds: number,
    private readonly owner: string,
    private readonly log: Logger,
  ) {}

  /** A fresh lease and key for the node (at registration, or after its lease expired). */
  async grant(node: string): Promise<void> {
    const res = await this.client.leaseClient.leaseGrant({ TTL: this.ttlSeconds, ID: 0 });
    await this.client.put(this.keys.nodeLease(node)).value(this.owner).lease(res.ID);
    this.ids.set(node, res.ID);
    this.expired.delete(res.ID);
  }

  /** Renews the node's lease; grants a new one when it has expired meanwhile. */
  async renew(node: string): Promise<void> {
    const id = this.ids.get(node);
    if (!id || this.expired.has(id)) return this.grant(node);
    const stream = await this.keepAliveStream();
    stream.write({ ID: id });
  }

  /** Stops renewing (the lease then expires on its own: a quick reconnect elsewhere keeps the node Ready). */
  forget(node: string): void {
    this.ids.delete(node);
  }

  private keepAliveStream(): Promise<KeepAliveStream> {
    if (this.stream) return Promise.resolve(this.stream);
    this.opening ??= this.client.leaseClient.leaseKeepAlive().then((s) => {
      s.on('data', (res: { ID: string; TTL: string }) => {
        if (Number(res.TTL) <= 0) this.expired.add(res.ID);
      });
      const drop = (e?: unknown) => {
        if (this.stream === s) this.stream = undefined;
        if (e) this.log.debug({ err: errorMessage(e) }, 'lease keepalive stream closed');
      };
      s.on('error', drop);
      s.on('end', () => drop());
      this.stream = s;
      this.opening = undefined;
      return s;
    }, (e: unknown) => {
      this.opening = undefined;
      throw e;
    });
    return this.opening;
  }

  close(): void {
    this.stream?.end();
    this.stream = undefined;
    this.ids.clear();
  }
}
