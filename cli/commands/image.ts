// kite image push / kite image ls: images from the local Docker Engine to the cluster's nodes
// without a registry. The archive (`docker save`) streams CLI → controller → every target agent
// (`docker load`), chunk by chunk with backpressure; nodes that hold the image id are skipped.
import Docker from 'dockerode';
import type * as grpc from '@grpc/grpc-js';
import type { Node } from '../../common/api/types';
import type { PushImageInput } from '../../common/generated/kite/v1/PushImageInput';
import type { PushImageOutput__Output } from '../../common/generated/kite/v1/PushImageOutput';
import { fromServiceError } from '../../common/grpc';
import { errorMessage, invalid } from '../../common/errors';
import type { CliContext } from '../context';
import { Progress } from '../print/progress';
import { renderTable } from '../print/table';
import { formatBytes, imageRows, progressLine } from '../print/images';

/** Size of the messages the archive is cut into: large enough to keep per-message cost low. */
export const PUSH_CHUNK_BYTES = 512 * 1024;
/** How often the progress line is redrawn on a terminal. */
const PROGRESS_EVERY_MS = 200;

/**
 * Re-cuts a byte stream into chunks of exactly `size` bytes (the last one shorter), copying only
 * when a chunk spans pieces of the source.
 */
export async function* rechunk(source: AsyncIterable<Buffer | Uint8Array>, size: number): AsyncIterable<Buffer> {
  let parts: Buffer[] = [];
  let held = 0;
  for await (const piece of source) {
    let buf = Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
    while (held + buf.length >= size) {
      const take = size - held;
      parts.push(buf.subarray(0, take));
      yield parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
      parts = [];
      held = 0;
      buf = buf.subarray(take);
    }
    if (buf.length) {
      parts.push(buf);
      held += buf.length;
    }
  }
  if (held) yield Buffer.concat(parts, held);
}

/** The local engine, as `docker` would reach it (DOCKER_HOST, else the default socket). */
function localDocker(): Docker {
  return new Docker();
}

type Outcome = { node: string; error?: string };

/** A PushImage call seen as: the plan, then results, with writes that wait for the stream to drain. */
class PushCall {
  private readonly results: Outcome[] = [];
  private plan: Promise<{ targets: string[]; skipped: string[] }>;
  readonly ended: Promise<void>;
  private onResult: (() => void) | undefined;

  constructor(private readonly call: grpc.ClientDuplexStream<PushImageInput, PushImageOutput__Output>, target: string) {
    let gotPlan!: (p: { targets: string[]; skipped: string[] }) => void;
    let failPlan!: (e: Error) => void;
    this.plan = new Promise((resolve, reject) => ((gotPlan = resolve), (failPlan = reject)));
    this.ended = new Promise((resolve, reject) => {
      call.on('data', (m: PushImageOutput__Output) => {
        if (m.output === 'plan' && m.plan) gotPlan({ targets: m.plan.targets, skipped: m.plan.skipped });
        else if (m.output === 'result' && m.result) {
          this.results.push({ node: m.result.node, ...(m.result.error ? { error: m.result.error } : {}) });
          this.onResult?.();
        }
      });
      call.on('end', () => resolve());
      call.on('error', (e: grpc.ServiceError) => {
        const err = fromServiceError(e, target);
        failPlan(err);
        reject(err);
      });
    });
    // The plan's failure is the stream's: reported once, by whoever awaits.
    this.ended.catch(() => undefined);
    this.plan.catch(() => undefined);
  }

  waitPlan() {
    return this.plan;
  }

  outcomes(): readonly Outcome[] {
    return this.results;
  }

  /** Resolves when the message is taken, or at once when every target already has a result. */
  write(msg: PushImageInput, targets: number): Promise<void> {
    if (this.results.length >= targets) return Promise.resolve();
    if (this.call.write(msg)) return Promise.resolve();
    return new Promise((resolve) => {
      const go = () => {
        this.call.off('drain', go);
        this.onResult = undefined;
        resolve();
      };
      this.call.once('drain', go);
      this.onResult = () => this.results.length >= targets && go();
    });
  }

  end(): void {
    this.call.end();
  }

  cancel(): void {
    this.call.cancel();
  }
}

export async function imagePushCommand(ctx: CliContext, image: string, opts: { node?: string[] }, docker: Docker = localDocker()): Promise<boolean> {
  let info: Docker.ImageInspectInfo;
  try {
    info = await docker.getImage(image).inspect();
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) throw invalid(`image "${image}" is not in the local Docker Engine (docker image ls shows what it holds); nothing was pushed`);
    throw invalid(`cannot read image "${image}" from the local Docker Engine: ${errorMessage(e)}`);
  }
  const call = new PushCall(ctx.client.raw.PushImage(), ctx.client.target);
  call.write({ start: { image, image_id: info.Id, size_bytes: String(info.Size), nodes: opts.node ?? [] } }, Infinity).catch(() => undefined);
  const sigint = () => call.cancel();
  process.once('SIGINT', sigint);
  try {
    const plan = await call.waitPlan();
    const shortId = info.Id.replace(/^sha256:/, '').slice(0, 12);
    for (const n of plan.skipped) process.stdout.write(`${n}: skipped (already has ${shortId})\n`);
    if (plan.targets.length) await sendArchive(docker, image, info.Size, plan.targets, call);
    call.end();
    await call.ended;
    let ok = true;
    for (const r of [...call.outcomes()].sort((a, b) => a.node.localeCompare(b.node))) {
      if (r.error) {
        ok = false;
        process.stdout.write(`${r.node}: failed: ${r.error}\n`);
      } else {
        process.stdout.write(`${r.node}: loaded ${image} (${shortId})\n`);
      }
    }
    const failed = call.outcomes().filter((r) => r.error).map((r) => r.node);
    if (failed.length) process.stderr.write(`error: image ${image} was not pushed to ${failed.join(', ')}\n`);
    return ok;
  } finally {
    process.off('SIGINT', sigint);
  }
}

/** Streams `docker save IMAGE` into the call, showing progress, until done or every target has an outcome. */
async function sendArchive(docker: Docker, image: string, total: number, targets: string[], call: PushCall): Promise<void> {
  const progress = new Progress(process.stdout);
  const tty = process.stdout.isTTY === true;
  const archive = (await docker.getImage(image).get()) as unknown as AsyncIterable<Buffer> & { destroy?: () => void };
  let sent = 0;
  let shownAt = 0;
  try {
    for await (const chunk of rechunk(archive, PUSH_CHUNK_BYTES)) {
      // Every target failed: there is no one left to send to.
      if (call.outcomes().length >= targets.length) break;
      await call.write({ data: chunk }, targets.length);
      sent += chunk.length;
      const now = Date.now();
      if (tty && now - shownAt >= PROGRESS_EVERY_MS) {
        shownAt = now;
        progress.update(progressLine(sent, total, targets));
      }
    }
  } finally {
    archive.destroy?.();
  }
  progress.done(`sent ${formatBytes(sent)} to ${targets.join(', ')}; loading`);
}

export async function imageListCommand(ctx: CliContext): Promise<void> {
  const nodes = (await ctx.client.list<Node>('Node')).items;
  const rows = imageRows(nodes);
  if (!rows.length) {
    process.stdout.write('No images reported by any node\n');
    return;
  }
  process.stdout.write(renderTable(['IMAGE', 'ID', 'SIZE', 'NODES'], rows.map((r) => [r.image, r.id, r.size, r.nodes])));
}
