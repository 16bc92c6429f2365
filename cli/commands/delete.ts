// kite delete KIND NAME... | -l SELECTOR | -f FILE, with kubectl's graceful-deletion flags:
// --grace-period (-1: the pod's own), --force (with grace 0: remove at once), --now (grace 1),
// and --wait (default true): return once the objects are really gone.
import { invalid, isKiteError } from '../../common/errors';
import type { KiteClient } from '../../common/client';
import { type ComposeFlags, hasDefaultStorageClass, loadInput } from '../compose-input';
import { type CliContext, resolveKindArg, objectRef } from '../context';
import { withNamespace } from './apply';

interface Target {
  kind: string;
  name: string;
  namespace: string;
}

export interface DeleteFlags {
  ignoreNotFound?: boolean;
  selector?: string;
  gracePeriod?: string;
  force?: boolean;
  now?: boolean;
  wait?: boolean;
}

const WAIT_POLL_MS = 250;

/** The grace to send, as kubectl computes it; undefined means the objects' own. */
export function graceFromFlags(flags: DeleteFlags): number | undefined {
  let grace = -1;
  if (flags.gracePeriod !== undefined) {
    if (!/^-?\d+$/.test(flags.gracePeriod)) throw invalid(`--grace-period: "${flags.gracePeriod}" is not an integer`);
    grace = Number(flags.gracePeriod);
  }
  if (flags.now) {
    if (grace >= 0) throw invalid('--now and --grace-period cannot be specified together');
    grace = 1;
  }
  // kubectl: immediate deletion needs --force; without it grace 0 becomes 1.
  if (grace === 0 && !flags.force) grace = 1;
  if (flags.force && grace < 0) grace = 0;
  return grace >= 0 ? grace : undefined;
}

/** Deletes each target, printing kubectl's lines; false when some were not found (and that matters). */
async function deleteEach(ctx: CliContext, targets: Target[], flags: DeleteFlags): Promise<boolean> {
  const gracePeriodSeconds = graceFromFlags(flags);
  if (gracePeriodSeconds === 0) {
    process.stderr.write(
      'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. ' +
        'The resource may continue to run on the cluster indefinitely.\n',
    );
  }
  let ok = true;
  const deleted: (Target & { uid?: string })[] = [];
  for (const t of targets) {
    try {
      const o = await ctx.client.delete(t.kind, t.name, t.namespace, { gracePeriodSeconds });
      process.stdout.write(`${objectRef(o)} ${gracePeriodSeconds === 0 ? 'force deleted' : 'deleted'}\n`);
      deleted.push({ ...t, uid: o.metadata.uid });
    } catch (e) {
      if (!isKiteError(e, 'NotFound')) throw e;
      if (!flags.ignoreNotFound) {
        process.stderr.write(`Error from server (NotFound): ${e.message}\n`);
        ok = false;
      }
    }
  }
  if (flags.wait !== false) await waitUntilGone(ctx.client, deleted);
  return ok;
}

/**
 * Returns once none of the targets exists any more (a Terminating pod's containers stopped). As
 * kubectl, an object of the same name with another uid is a replacement (a StatefulSet's pod comes
 * back under its name at once): the deleted one is gone.
 */
async function waitUntilGone(client: KiteClient, targets: (Target & { uid?: string })[]): Promise<void> {
  let left = targets;
  while (left.length) {
    const still = await Promise.all(
      left.map((t) =>
        client.get(t.kind, t.name, t.namespace).then(
          (o) => !t.uid || o.metadata.uid === t.uid,
          (e: unknown) => {
            if (isKiteError(e, 'NotFound')) return false;
            throw e;
          },
        ),
      ),
    );
    left = left.filter((_t, i) => still[i]);
    if (left.length) await new Promise((r) => setTimeout(r, WAIT_POLL_MS));
  }
}

export async function deleteCommand(ctx: CliContext, kindArg: string, names: string[], flags: DeleteFlags): Promise<boolean> {
  const info = resolveKindArg(kindArg);
  const ns = ctx.namespace;
  let targets = names;
  if (flags.selector) targets = (await ctx.client.list(info.kind, { namespace: ns, labelSelector: flags.selector })).items.map((o) => o.metadata.name);
  else if (!names.length) throw invalid('delete needs a NAME, -l SELECTOR or -f FILE');
  return deleteEach(ctx, targets.map((name) => ({ kind: info.kind, name, namespace: ns })), flags);
}

/**
 * Deletes what the manifests name; for Compose files, what their conversion creates, and then the
 * project's namespace (as `docker compose down` removes the project's network), printed as well.
 */
export async function deleteFilesCommand(ctx: CliContext, files: string[], flags: DeleteFlags & ComposeFlags): Promise<boolean> {
  const { objects, compose } = await loadInput(files, flags, () => hasDefaultStorageClass(ctx.client));
  const targets = withNamespace(objects, ctx.flags.namespace).map((o) => ({ kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace ?? ctx.namespace }));
  const projectNamespace = compose ? targets.filter((t) => t.kind === 'Namespace' && t.name === compose.namespace) : [];
  const rest = targets.filter((t) => !projectNamespace.includes(t));
  const ok = await deleteEach(ctx, rest, flags);
  return (await deleteEach(ctx, projectNamespace, flags)) && ok;
}
