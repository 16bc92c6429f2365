// AgentStreams' image calls (kite image push, relayed by the controller): ImageStatus answers
// whether the engine holds an image id; LoadImage feeds a streamed archive to `docker load`.
// Like logs and exec, only the controller may call them.
import type * as grpcTypes from '@grpc/grpc-js';
import type { Readable } from 'node:stream';
import type { ImageStatusRequest__Output } from '../common/generated/kite/v1/ImageStatusRequest';
import type { ImageStatusResponse } from '../common/generated/kite/v1/ImageStatusResponse';
import type { LoadImageInput__Output } from '../common/generated/kite/v1/LoadImageInput';
import type { LoadImageResult } from '../common/generated/kite/v1/LoadImageResult';
import { toServiceError } from '../common/grpc';
import { errorMessage, forbidden, invalid, unavailable } from '../common/errors';
import { describeIdentity, identityOfPeer, type PeerCall } from '../common/pki/identity';
import type { Logger } from '../common/log';
import type { NodeImages } from './images';

type Callback<T> = (err: grpcTypes.ServiceError | null, value?: T) => void;

/** A refusal for anyone but the controller (undefined: allowed). */
function refusal(call: PeerCall, plaintext: boolean): Error | undefined {
  if (plaintext) return undefined;
  const who = identityOfPeer(call.getAuthContext()?.sslPeerCertificate);
  if (who?.kind === 'controller') return undefined;
  return forbidden(`${who ? describeIdentity(who) : 'a caller without a certificate'} cannot use this agent's image endpoint: only the controller can`);
}

function fail<T>(callback: Callback<T>, e: unknown): void {
  callback(toServiceError(e) as grpcTypes.ServiceError);
}

/** The archive's bytes from a LoadImage call after its header, in order. */
async function* archiveChunks(messages: AsyncIterator<LoadImageInput__Output>, cancelled: () => boolean): AsyncIterable<Buffer> {
  for (;;) {
    const next = await messages.next();
    // A cancelled call ends its input too: that is a cut archive, never one to load.
    if (cancelled()) throw invalid('the image push was cancelled');
    if (next.done) return;
    if (next.value.input !== 'data' || !next.value.data) throw invalid('after the header, LoadImage takes only data');
    yield Buffer.from(next.value.data);
  }
}

export function imageHandlers(images: Pick<NodeImages, 'present' | 'load'> | undefined, log: Logger, opts: { plaintext?: boolean } = {}) {
  const noEngine = () => unavailable('this node has no Docker Engine to hold images (fake runtime)');
  return {
    ImageStatus: (call: grpcTypes.ServerUnaryCall<ImageStatusRequest__Output, ImageStatusResponse>, callback: Callback<ImageStatusResponse>) => {
      const refused = refusal(call, opts.plaintext ?? false);
      if (refused) return fail(callback, refused);
      if (!images) return fail(callback, noEngine());
      images.present(call.request.image_id, call.request.image).then(
        (present) => callback(null, { present }),
        (e) => fail(callback, e),
      );
    },

    LoadImage: (call: grpcTypes.ServerReadableStream<LoadImageInput__Output, LoadImageResult>, callback: Callback<LoadImageResult>) => {
      const refused = refusal(call, opts.plaintext ?? false);
      if (refused) return fail(callback, refused);
      if (!images) return fail(callback, noEngine());
      // Not destroyed at the end of the input: the answer still has to go out on this call.
      const messages = (call as unknown as Readable).iterator({ destroyOnReturn: false }) as AsyncIterator<LoadImageInput__Output>;
      void (async () => {
        const first = await messages.next();
        if (first.done || first.value.input !== 'header' || !first.value.header) throw invalid('the first LoadImage message must be a header');
        const h = first.value.header;
        log.info({ image: h.image, imageId: h.image_id, bytes: Number(h.size_bytes) }, 'loading a pushed image');
        await images.load(h.image, h.image_id, archiveChunks(messages, () => call.cancelled));
        return h.image_id;
      })().then(
        (imageId) => callback(null, { image_id: imageId }),
        (e: unknown) => {
          log.warn({ err: errorMessage(e) }, 'image load failed');
          fail(callback, e);
        },
      );
    },
  };
}
