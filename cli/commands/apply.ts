// kite apply -f (Kubernetes manifests and Compose files alike)
import type { KObject } from '../../common/api/types';
import { kindInfo } from '../../common/kinds/registry';
import { type ComposeFlags, hasDefaultStorageClass, loadInput } from '../compose-input';
import { type CliContext, qualifiedName } from '../context';

export function withNamespace(objects: KObject[], ns: string | undefined): KObject[] {
  if (!ns) return objects;
  return objects.map((o) => (kindInfo(o.kind)?.namespaced && !o.metadata.namespace ? { ...o, metadata: { ...o.metadata, namespace: ns } } : o));
}

export async function applyCommand(ctx: CliContext, files: string[], opts: { dryRun?: boolean } & ComposeFlags): Promise<void> {
  const { objects, warnings } = await loadInput(files, opts, () => hasDefaultStorageClass(ctx.client));
  for (const w of warnings) process.stderr.write(`Warning: ${w}\n`);
  const res = await ctx.client.apply(withNamespace(objects, ctx.flags.namespace), opts.dryRun);
  for (const r of res.results) process.stdout.write(`${qualifiedName(r)} ${r.action}${opts.dryRun ? ' (dry run)' : ''}\n`);
}
