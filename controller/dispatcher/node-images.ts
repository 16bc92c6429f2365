// Node.status.images from agents' NodeImages reports: checked and bounded (agent input is
// input), and written only when the list changed.
import type { NodeImageStatus } from '../../common/api/types';
import type { NodeImage__Output } from '../../common/generated/kite/v1/NodeImage';

/** As the kubelet's --node-status-max-images default. */
export const MAX_NODE_IMAGES = 50;
const MAX_NAMES = 11;
const MAX_NAME_LENGTH = 512;

/** The report as Node.status.images: at most MAX_NODE_IMAGES entries, names bounded in count and length. */
export function nodeImagesFromReport(images: readonly NodeImage__Output[]): NodeImageStatus[] {
  return images.slice(0, MAX_NODE_IMAGES).flatMap((img) => {
    const names = (img.names ?? []).filter((n) => typeof n === 'string' && n.length > 0 && n.length <= MAX_NAME_LENGTH).slice(0, MAX_NAMES);
    const sizeBytes = Number(img.size_bytes);
    if (!names.length || !Number.isFinite(sizeBytes) || sizeBytes < 0) return [];
    return [{ names, sizeBytes }];
  });
}

export function sameNodeImages(a: readonly NodeImageStatus[] | undefined, b: readonly NodeImageStatus[]): boolean {
  if (!a || a.length !== b.length) return false;
  return a.every((x, i) => x.sizeBytes === b[i]!.sizeBytes && x.names.length === b[i]!.names.length && x.names.every((n, j) => n === b[i]!.names[j]));
}
