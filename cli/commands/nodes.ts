// kite cordon / uncordon / drain
import type { Node, Pod } from '../../common/api/types';
import { invalid, isKiteError } from '../../common/errors';
import { Progress } from '../print';
import { type CliContext, parseDuration } from '../context';

async function setUnschedulable(ctx: CliContext, name: string, unschedulable: boolean): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    const node = await ctx.client.get<Node>('Node', name);
    if (!!node.spec.unschedulable === unschedulable) return false;
    try {
      await ctx.client.update<Node>({ ...node, spec: { ...node.spec, unschedulable: unschedulable || undefined } });
      return true;
    } catch (e) {
      if (isKiteError(e, 'Conflict') && attempt < 5) continue;
      throw e;
    }
  }
}

export async function cordonCommand(ctx: CliContext, name: string, on: boolean): Promise<void> {
  const changed = await setUnschedulable(ctx, name, on);
  process.stdout.write(`node/${name} ${changed ? (on ? 'cordoned' : 'uncordoned') : 'already ' + (on ? 'cordoned' : 'uncordoned')}\n`);
}

export async function drainCommand(ctx: CliContext, name: string, opts: { force?: boolean; timeout?: string; ignoreDaemonsets?: boolean }): Promise<void> {
  const timeoutMs = opts.timeout ? parseDuration(opts.timeout, '--timeout') : 0;
  await cordonCommand(ctx, name, true);
  const pods = (await ctx.client.list<Pod>('Pod', { allNamespaces: true, fieldSelector: `spec.nodeName=${name}` })).items;
  const owner = (p: Pod) => p.metadata.ownerReferences?.find((r) => r.controller);
  const daemon = pods.filter((p) => owner(p)?.kind === 'DaemonSet');
  const bare = pods.filter((p) => !owner(p));
  if (bare.length && !opts.force) {
    throw invalid(
      `cannot delete Pods that declare no controller (use --force to override): ${bare.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ')}`,
    );
  }
  if (daemon.length && opts.ignoreDaemonsets === false) {
    throw invalid(`cannot delete DaemonSet-managed Pods (use --ignore-daemonsets): ${daemon.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ')}`);
  }
  if (daemon.length) process.stderr.write(`Warning: ignoring DaemonSet-managed Pods: ${daemon.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ')}\n`);
  const evict = pods.filter((p) => owner(p)?.kind !== 'DaemonSet');
  for (const p of evict) {
    process.stdout.write(`evicting pod ${p.metadata.namespace}/${p.metadata.name}\n`);
    await ctx.client.delete('Pod', p.metadata.name, p.metadata.namespace).catch((e) => {
      if (!isKiteError(e, 'NotFound')) throw e;
    });
  }
  // Wait until the evicted pods are gone from the node (their replacements run elsewhere).
  const progress = new Progress(process.stdout);
  const started = Date.now();
  const uids = new Set(evict.map((p) => p.metadata.uid));
  for (;;) {
    const left = (await ctx.client.list<Pod>('Pod', { allNamespaces: true, fieldSelector: `spec.nodeName=${name}` })).items.filter((p) => uids.has(p.metadata.uid));
    if (!left.length) break;
    progress.update(`waiting for ${left.length} pod(s) to terminate on node ${name}...`);
    if (timeoutMs && Date.now() - started > timeoutMs) {
      progress.done();
      throw invalid(`drain did not complete within ${opts.timeout}: ${left.length} pod(s) still on ${name}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  progress.done(`node/${name} drained`);
}
