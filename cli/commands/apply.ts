// kite apply -f / kite delete -f
import type { KObject } from '../../common/api/types';
import { kindInfo } from '../../common/api/kinds';
import { isKiteError } from '../../common/errors';
import { loadObjects } from '../files';
import { type CliContext, qualifiedName, objectRef } from '../context';

function withNamespace(objects: KObject[], ns: string | undefined): KObject[] {
  if (!ns) return objects;
  return objects.map((o) => (kindInfo(o.kind)?.namespaced && !o.metadata.namespace ? { ...o, metadata: { ...o.metadata, namespace: ns } } : o));
}

export async function applyCommand(ctx: CliContext, files: string[], opts: { dryRun?: boolean }): Promise<void> {
  const { objects, warnings } = await loadObjects(files);
  for (const w of warnings) process.stderr.write(`Warning: ${w}\n`);
  const res = await ctx.client.apply(withNamespace(objects, ctx.flags.namespace), opts.dryRun);
  for (const r of res.results) process.stdout.write(`${qualifiedName(r)} ${r.action}${opts.dryRun ? ' (dry run)' : ''}\n`);
}

export async function deleteFilesCommand(ctx: CliContext, files: string[], opts: { ignoreNotFound?: boolean }): Promise<boolean> {
  const { objects } = await loadObjects(files);
  let ok = true;
  for (const o of withNamespace(objects, ctx.flags.namespace)) {
    try {
      await ctx.client.delete(o.kind, o.metadata.name, o.metadata.namespace ?? ctx.namespace);
      process.stdout.write(`${objectRef(o)} deleted\n`);
    } catch (e) {
      if (isKiteError(e, 'NotFound')) {
        if (!opts.ignoreNotFound) {
          process.stderr.write(`Error from server (NotFound): ${e.message}\n`);
          ok = false;
        }
        continue;
      }
      throw e;
    }
  }
  return ok;
}
