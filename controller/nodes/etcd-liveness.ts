// NodeLiveness on etcd leases, shared by every controller. Each node has a lease with TTL = the
// grace period, attached to its key under <prefix>/leases/nodes/; every heartbeat renews it, so the
// key disappears exactly one grace period after the last heartbeat any controller relayed (or after
// that controller died). The leader's lifecycle lists the keys to see who lapsed.
// Renewals of all nodes share one LeaseKeepAlive stream: a thousand nodes heartbeating every two
// seconds cost one stream and 500 small messages a second, not 500 new streams.
import type { Etcd3 } from 'etcd3';
import type { Logger } from '../../common/log';
import { errorMessage } from '../../common/errors';
import type { KeyLayout } from '../store/keys';
import { NODE_STATUS_UNKNOWN, lapseMessage, type Lapse, type NodeLiveness } from './liveness';

type KeepAliveStream = Awaited<ReturnType<Etcd3['leaseClient']['leaseKeepAlive']>>;

export interface EtcdNodeLivenessOptions {
  client: Etcd3;
  keys: KeyLayout;
  graceSeconds: number;
  /** Written as the lease key's value: which controller relays the node's heartbeats. */
  controllerId: string;
  log: Logger;
}

export class EtcdNodeLiveness implements NodeLiveness {
  private readonly ids = new Map<string, string>();
  private stream: KeepAliveStream | undefined;
  private opening: Promise<KeepAliveStream> | undefined;
  /** Leases etcd said are gone: the next heartbeat grants a new one. */
  private readonly expired = new Set<string>();

  constructor(private readonly opts: EtcdNodeLivenessOptions) {}

  /** A fresh lease and key for the node, even if an old lease may still be renewed. */
  async registered(node: string): Promise<void> {
    const { client, keys, graceSeconds, controllerId } = this.opts;
    const res = await client.leaseClient.leaseGrant({ TTL: graceSeconds, ID: 0 });
    await client.put(keys.nodeLease(node)).value(controllerId).lease(res.ID);
    this.ids.set(node, res.ID);
    this.expired.delete(res.ID);
  }

  /** Renews the node's lease; grants a new one when it has expired meanwhile. */
  async heartbeat(node: string): Promise<void> {
    const id = this.ids.get(node);
    if (!id || this.expired.has(id)) return this.registered(node);
    const stream = await this.keepAliveStream();
    stream.write({ ID: id });
  }

  forget(node: string): void {
    this.ids.delete(node);
  }

  async lapsed(nodes: Iterable<string>): Promise<Lapse[]> {
    const prefix = this.opts.keys.nodeLease('');
    const keys = await this.opts.client.getAll().prefix(prefix).keys();
    const alive = new Set(keys.map((k) => k.slice(prefix.length)));
    const out: Lapse[] = [];
    for (const node of nodes) {
      if (!alive.has(node)) out.push({ node, reason: NODE_STATUS_UNKNOWN, message: lapseMessage(this.opts.graceSeconds) });
    }
    return out;
  }

  private keepAliveStream(): Promise<KeepAliveStream> {
    if (this.stream) return Promise.resolve(this.stream);
    this.opening ??= this.opts.client.leaseClient.leaseKeepAlive().then(
      (s) => {
        s.on('data', (res: { ID: string; TTL: string }) => {
          if (Number(res.TTL) <= 0) this.expired.add(res.ID);
        });
        const drop = (e?: unknown) => {
          if (this.stream === s) this.stream = undefined;
          if (e) this.opts.log.debug({ err: errorMessage(e) }, 'lease keepalive stream closed');
        };
        s.on('error', drop);
        s.on('end', () => drop());
        this.stream = s;
        this.opening = undefined;
        return s;
      },
      (e: unknown) => {
        this.opening = undefined;
        throw e;
      },
    );
    return this.opening;
  }

  close(): void {
    this.stream?.end();
    this.stream = undefined;
    this.ids.clear();
  }
}
