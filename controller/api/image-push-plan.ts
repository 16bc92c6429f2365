// Which nodes a `kite image push` goes to: the nodes named with --node (each must exist and be
// Ready), else every Ready node; and, after asking each, which of them already hold the image id.
import type { Node } from '../../common/api/types';
import { isNodeReady } from '../../common/api/node';
import { invalid, notFound, unavailable } from '../../common/errors';

/** The target nodes, in name order. Throws (nothing is sent) on an unknown or not-Ready named node. */
export function selectPushTargets(nodes: readonly Node[], requested: readonly string[]): Node[] {
  const byName = new Map(nodes.map((n) => [n.metadata.name, n]));
  if (!requested.length) {
    const ready = nodes.filter(isNodeReady).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    if (!ready.length) throw unavailable('no node is Ready to receive the image');
    return ready;
  }
  const unknown = [...new Set(requested)].filter((n) => !byName.has(n));
  if (unknown.length) {
    const known = [...byName.keys()].sort();
    throw notFound(`node${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')} not found (nodes: ${known.join(', ') || 'none'})`);
  }
  const targets = [...new Set(requested)].sort().map((n) => byName.get(n)!);
  const notReady = targets.filter((n) => !isNodeReady(n)).map((n) => n.metadata.name);
  if (notReady.length) throw unavailable(`node${notReady.length > 1 ? 's' : ''} ${notReady.join(', ')} not Ready: cannot receive the image`);
  return targets;
}

/** What one node answered when asked whether it holds the image id. */
export type ImagePresence = { node: string; present: boolean } | { node: string; error: string };

export interface PushPlan {
  /** Nodes to stream the image to. */
  targets: string[];
  /** Nodes that hold the image id already. */
  skipped: string[];
  /** Nodes that could not be asked: they count as failed. */
  failed: { node: string; error: string }[];
}

export function planPush(answers: readonly ImagePresence[]): PushPlan {
  const plan: PushPlan = { targets: [], skipped: [], failed: [] };
  for (const a of answers) {
    if ('error' in a) plan.failed.push({ node: a.node, error: a.error });
    else if (a.present) plan.skipped.push(a.node);
    else plan.targets.push(a.node);
  }
  return plan;
}

const IMAGE_ID = /^sha256:[0-9a-f]{64}$/;

/** Checks the client's start message. */
export function checkPushStart(image: string, imageId: string): void {
  if (!image) throw invalid('image push needs the image name');
  if (!IMAGE_ID.test(imageId)) throw invalid(`image id "${imageId}" is not sha256:<64 hex digits>`);
}
