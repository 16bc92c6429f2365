// kite create namespace NAME (kubectl's imperative create, for the kinds that need only a name).
import type { Namespace } from '../../common/api/types';
import { alreadyExists, invalid } from '../../common/errors';
import { lookupKind } from '../../common/kinds/registry';
import { type CliContext, qualifiedName } from '../context';

export async function createCommand(ctx: CliContext, kindArg: string, name: string): Promise<void> {
  const def = lookupKind(kindArg);
  if (def?.kind !== 'Namespace') throw invalid(`kite create supports only "namespace" (got "${kindArg}"); use kite apply -f for other kinds`);
  const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
  const res = await ctx.client.apply([ns], false);
  const r = res.results[0]!;
  if (r.action !== 'created') throw alreadyExists(`namespaces "${name}" already exists`);
  process.stdout.write(`${qualifiedName(r)} created\n`);
}
