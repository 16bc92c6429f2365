// The node's images, for `kite image push` and Node.status.images: whether the engine holds an
// image id, loading an image archive (`docker load`) streamed in by the controller, and the list
// of images reported to the controller whenever it changes.
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { invalid, unavailable, errorMessage } from '../common/errors';
import { systemClock, type Clock, type Timer } from '../common/clock';
import type { Logger } from '../common/log';
import type { NodeImage } from '../common/generated/kite/v1/NodeImage';

/** Node.status.images is bounded, as the kubelet's (--node-status-max-images, default 50). */
export const MAX_REPORTED_IMAGES = 50;
/** Names per image kept in the report (tags and digests; the id is added last). */
const MAX_NAMES_PER_IMAGE = 10;
/** How often the engine's images are listed to catch pulls and removals. */
const DEFAULT_POLL_MS = 30_000;

/** What the engine says about one image (a subset of `docker image ls`). */
export interface EngineImage {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Size: number;
}

/**
 * The images to report, largest first and at most `max`: names are the image's tags and digests
 * (no `<none>` placeholders), then its id, which the engine also accepts as a reference.
 */
export function reportedImages(images: readonly EngineImage[], max = MAX_REPORTED_IMAGES): NodeImage[] {
  return [...images]
    .sort((a, b) => b.Size - a.Size || a.Id.localeCompare(b.Id))
    .slice(0, max)
    .map((img) => {
      const names = [...(img.RepoTags ?? []), ...(img.RepoDigests ?? [])].filter((n) => !n.startsWith('<none>')).slice(0, MAX_NAMES_PER_IMAGE);
      return { names: [...names, img.Id], size_bytes: img.Size, id: img.Id };
    });
}

/** A stable key of a report, to send it only when it changed. */
export function imagesKey(images: readonly NodeImage[]): string {
  return images.map((i) => `${i.id}=${(i.names ?? []).join(',')}`).join(';');
}

/** Reads `docker load`'s JSON lines; the engine reports a bad archive as an `error` line. */
async function followLoad(docker: Docker, response: NodeJS.ReadableStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let failure: Error | undefined;
    docker.modem.followProgress(
      response,
      (err: Error | null) => (err || failure ? reject(err ?? failure) : resolve()),
      (ev: { error?: string; errorDetail?: { message?: string } }) => {
        if (ev.error) failure ??= new Error(ev.errorDetail?.message ?? ev.error);
      },
    );
  });
}

export interface NodeImagesOptions {
  docker: Docker;
  log: Logger;
  /** Called with the full report after it changed (and once after start). */
  onChange: (images: NodeImage[]) => void;
  clock?: Clock;
  pollMs?: number;
}

/** A reference as the engine lists it in RepoTags: Docker Hub's prefixes dropped, `:latest` when untagged. */
export function engineTag(image: string): string {
  const short = image.replace(/^(docker\.io|index\.docker\.io)\/(library\/)?/, '');
  const lastPart = short.slice(short.lastIndexOf('/') + 1);
  return lastPart.includes(':') || short.includes('@') ? short : `${short}:latest`;
}

export class NodeImages {
  private readonly clock: Clock;
  private lastKey: string | undefined;
  private last: NodeImage[] = [];
  private timer: Timer | undefined;
  private stopped = false;

  constructor(private readonly opts: NodeImagesOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  /** Whether the engine holds `imageId`, under the name `image` too when one is given. */
  async present(imageId: string, image = ''): Promise<boolean> {
    if (!/^sha256:[0-9a-f]{64}$/.test(imageId)) throw invalid(`image id "${imageId}" is not sha256:<64 hex digits>`);
    try {
      const info = await this.opts.docker.getImage(imageId).inspect();
      return info.Id === imageId && (image === '' || (info.RepoTags ?? []).includes(engineTag(image)));
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return false;
      throw unavailable(`the engine could not inspect ${imageId}: ${errorMessage(e)}`);
    }
  }

  /**
   * Loads an image archive from `chunks` (consumed with backpressure: the engine's pace sets the
   * sender's) and checks the engine then holds `imageId`. The executor's image cache needs no
   * change: it remembers only images seen present, and a load only adds images.
   */
  async load(image: string, imageId: string, chunks: AsyncIterable<Buffer>): Promise<void> {
    const source = Readable.from(chunks, { objectMode: false });
    let response: NodeJS.ReadableStream;
    try {
      response = await this.opts.docker.loadImage(source as unknown as string, { quiet: true } as object);
    } catch (e) {
      source.destroy();
      throw unavailable(`docker load of ${image} failed: ${errorMessage(e)}`);
    }
    try {
      await followLoad(this.opts.docker, response);
    } catch (e) {
      throw unavailable(`docker load of ${image} failed: ${errorMessage(e)}`);
    }
    if (imageId && !(await this.present(imageId))) throw invalid(`the archive loaded, but the engine holds no image ${imageId} (the archive is of another image?)`);
    this.opts.log.info({ image, imageId }, 'image loaded');
    void this.refresh();
  }

  /** The report last sent (the controller asks again after a reconnect). */
  current(): NodeImage[] {
    return this.last;
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      void this.refresh().finally(() => {
        if (!this.stopped) this.timer = this.clock.setTimeout(tick, this.opts.pollMs ?? DEFAULT_POLL_MS);
      });
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
  }

  /** Lists the engine's images and reports them when they changed since the last report. */
  async refresh(): Promise<void> {
    try {
      const images = reportedImages((await this.opts.docker.listImages()) as EngineImage[]);
      const key = imagesKey(images);
      if (key === this.lastKey) return;
      this.lastKey = key;
      this.last = images;
      this.opts.onChange(images);
    } catch (e) {
      this.opts.log.debug({ err: errorMessage(e) }, 'could not list images');
    }
  }
}
