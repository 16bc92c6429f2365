// `kite image push` through the controller: the client's image archive comes in as a stream of
// chunks and goes out to every target node's agent at once (AgentStreams.LoadImage, one stream per
// node, on the same controller→agent connection as logs and exec). The next chunk is read from the
// client only when every live node stream has taken the current one, so the controller holds a
// few chunks per node, never the image; the slowest node sets the pace. A node that fails is
// reported at once and dropped; the others go on.
import type * as grpcTypes from '@grpc/grpc-js';
import type { Node } from '../../common/api/types';
import type { AgentStreamsClient } from '../../common/generated/kite/v1/AgentStreams';
import type { LoadImageInput } from '../../common/generated/kite/v1/LoadImageInput';
import type { ImageStatusResponse__Output } from '../../common/generated/kite/v1/ImageStatusResponse';
import { loadProto, fromServiceError } from '../../common/grpc';
import { dial, type TransportSecurity } from '../../common/transport';
import { errorMessage, unavailable } from '../../common/errors';
import { AsyncQueue } from '../../common/async-queue';
import type { Logger } from '../../common/log';
import type { ObjectStore } from '../store/types';
import type { Access } from '../security/authorize';
import { systemClock, type Clock } from '../../common/clock';
import { checkPushStart, planPush, selectPushTargets, type ImagePresence } from './image-push-plan';

/**
 * Pushing an image is for cluster admins: it writes to every node's engine, cluster-wide, and can
 * re-point a tag (say `postgres:16`) that pods of every namespace run; a namespace's editor must not
 * be able to change what other namespaces' pods start from. Listing images is reading Nodes (view).
 */
export const PUSH_IMAGES: Access = { verb: 'create', resource: 'images', namespaced: false };

export interface PushStart {
  image: string;
  imageId: string;
  sizeBytes: number;
  /** Empty: every Ready node. */
  nodes: string[];
}

export type PushEvent = { plan: { targets: string[]; skipped: string[] } } | { result: { node: string; error?: string } };

export interface ImagePusher {
  /**
   * Yields the plan first; the client must send `data` only after it (nothing is read before).
   * Then one result per target node, a failure as soon as it happens.
   */
  push(start: PushStart, data: AsyncIterable<Buffer>, signal: AbortSignal): AsyncIterable<PushEvent>;
}

/** How long a node gets to say whether it holds the image. */
const STATUS_DEADLINE_MS = 10_000;

/** One node's LoadImage stream: writes resolve once the stream took the chunk (or the node failed). */
class NodeUpload {
  readonly done: Promise<void>;
  private failure: Error | undefined;
  private readonly call: grpcTypes.ClientWritableStream<LoadImageInput>;
  private wake: (() => void) | undefined;

  constructor(
    readonly node: string,
    client: AgentStreamsClient,
  ) {
    let settle!: (e?: Error) => void;
    this.done = new Promise<void>((resolve, reject) => (settle = (e) => (e ? reject(e) : resolve())));
    this.call = client.LoadImage((err) => {
      if (err) this.failure = fromServiceError(err);
      // A node that failed takes no more writes: let a write waiting for a drain go on.
      this.wake?.();
      settle(this.failure);
    });
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  write(msg: LoadImageInput): Promise<void> {
    if (this.failure) return Promise.resolve();
    if (this.call.write(msg)) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        this.call.off('drain', onDrain);
        resolve();
      };
      const onDrain = () => this.wake?.();
      this.call.once('drain', onDrain);
    });
  }

  end(): void {
    this.call.end();
  }

  cancel(): void {
    this.call.cancel();
  }
}

export class ImagePushRelay implements ImagePusher {
  private readonly clients = new Map<string, AgentStreamsClient>();

  constructor(
    private readonly store: Pick<ObjectStore, 'list'>,
    private readonly log: Logger,
    /** How to dial a node's agent: the controller's certificate, expecting the node's. */
    private readonly security: (node: string) => TransportSecurity,
    private readonly clock: Clock = systemClock,
  ) {}

  async *push(start: PushStart, data: AsyncIterable<Buffer>, signal: AbortSignal): AsyncIterable<PushEvent> {
    checkPushStart(start.image, start.imageId);
    const nodes = (await this.store.list<Node>('Node', {})).items;
    const targets = selectPushTargets(nodes, start.nodes);
    const answers = await Promise.all(targets.map((n) => this.presence(n, start.image, start.imageId)));
    const plan = planPush(answers);
    this.log.info({ image: start.image, imageId: start.imageId, targets: plan.targets, skipped: plan.skipped, failed: plan.failed.map((f) => f.node) }, 'image push');
    yield { plan: { targets: plan.targets, skipped: plan.skipped } };
    for (const f of plan.failed) yield { result: f };
    if (!plan.targets.length) return;

    const byName = new Map(targets.map((n) => [n.metadata.name, n]));
    const uploads = plan.targets.map((name) => new NodeUpload(name, this.client(byName.get(name)!)));
    const events = new AsyncQueue<PushEvent>();
    // Each node's outcome, as soon as it is known.
    for (const u of uploads) {
      u.done.then(
        () => events.push({ result: { node: u.node } }),
        (e: unknown) => {
          this.log.warn({ node: u.node, image: start.image, err: errorMessage(e) }, 'image push to a node failed');
          events.push({ result: { node: u.node, error: errorMessage(e) } });
        },
      );
    }
    const cancelAll = () => uploads.forEach((u) => u.cancel());
    signal.addEventListener('abort', cancelAll, { once: true });
    const pump = (async () => {
      const header = { header: { image: start.image, image_id: start.imageId, size_bytes: String(start.sizeBytes) } };
      await Promise.all(uploads.map((u) => u.write(header)));
      for await (const chunk of data) {
        const live = uploads.filter((u) => !u.failed);
        if (!live.length) break;
        await Promise.all(live.map((u) => u.write({ data: chunk })));
      }
      for (const u of uploads) u.end();
    })();
    pump.catch((e: unknown) => {
      // The client's stream broke: no node gets a partial image loaded.
      this.log.warn({ image: start.image, err: errorMessage(e) }, 'image push stream from the client failed');
      cancelAll();
    });
    void Promise.allSettled(uploads.map((u) => u.done)).then(() => events.end());
    try {
      for await (const ev of events) yield ev;
      await pump;
    } finally {
      signal.removeEventListener('abort', cancelAll);
    }
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
  }

  private presence(node: Node, image: string, imageId: string): Promise<ImagePresence> {
    const name = node.metadata.name;
    let client: AgentStreamsClient;
    try {
      client = this.client(node);
    } catch (e) {
      return Promise.resolve({ node: name, error: errorMessage(e) });
    }
    return new Promise((resolve) => {
      client.ImageStatus({ image_id: imageId, image }, { deadline: this.clock.now() + STATUS_DEADLINE_MS }, (err: grpcTypes.ServiceError | null, res?: ImageStatusResponse__Output) => {
        if (err) resolve({ node: name, error: `cannot ask the kite-agent of node ${name}: ${fromServiceError(err).message}` });
        else resolve({ node: name, present: !!res?.present });
      });
    });
  }

  /** A client for the node's agent; its certificate must name this node. */
  private client(node: Node): AgentStreamsClient {
    const name = node.metadata.name;
    const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    const port = node.status?.daemonEndpoints?.streamPort;
    if (!ip || !port) throw unavailable(`node ${name} has no reachable agent endpoint`);
    const addr = `${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
    const key = `${name}@${addr}`;
    let client = this.clients.get(key);
    if (!client) {
      client = dial(addr, loadProto().kite.v1.AgentStreams, { security: this.security(name) });
      this.clients.set(key, client);
    }
    return client;
  }
}
