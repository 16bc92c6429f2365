// kite delete KIND NAME... | -l SELECTOR | -f FILE
import { invalid, isKiteError } from '../../common/errors';
import { loadObjects } from '../files';
import { type CliContext, resolveKindArg, objectRef } from '../context';
import { withNamespace } from './apply';

interface Target {
  kind: string;
  name: string;
  namespace: string;
}

/** Deletes each target, printing kubectl's lines; false when some were not found (and that matters). */
async function deleteEach(ctx: CliContext, targets: Target[], ignoreNotFound: boolean): Promise<boolean> {
  let ok = true;
  for (const t of targets) {
    try {
      const o = await ctx.client.delete(t.kind, t.name, t.namespace);
      process.stdout.write(`${objectRef(o)} deleted\n`);
    } catch (e) {
      if (!isKiteError(e, 'NotFound')) throw e;
      if (!ignoreNotFound) {
        process.stderr.write(`Error from server (NotFound): ${e.message}\n`);
        ok = false;
      }
    }
  }
  return ok;
}

export async function deleteCommand(ctx: CliContext, kindArg: string, names: string[], opts: { ignoreNotFound?: boolean; selector?: string }): Promise<boolean> {
  const info = resolveKindArg(kindArg);
  const ns = ctx.namespace;
  let targets = names;
  if (opts.selector) targets = (await ctx.client.list(info.kind, { namespace: ns, labelSelector: opts.selector })).items.map((o) => o.metadata.name);
  else if (!names.length) throw invalid('delete needs a NAME, -l SELECTOR or -f FILE');
  return deleteEach(ctx, targets.map((name) => ({ kind: info.kind, name, namespace: ns })), !!opts.ignoreNotFound);
}

export async function deleteFilesCommand(ctx: CliContext, files: string[], opts: { ignoreNotFound?: boolean }): Promise<boolean> {
  const { objects } = await loadObjects(files);
  const targets = withNamespace(objects, ctx.flags.namespace).map((o) => ({ kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace ?? ctx.namespace }));
  return deleteEach(ctx, targets, !!opts.ignoreNotFound);
}
