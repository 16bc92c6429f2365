// kite version / kite top
import type { Node, Pod } from '../../common/api/types';
import { KITE_VERSION } from '../../common/version';
import { invalid } from '../../common/errors';
import { formatCpu, formatMemory, parseCpu, parseMemory } from '../../common/manifest';
import { renderTable } from '../print';
import type { CliContext } from '../context';

export async function versionCommand(ctx: CliContext, clientOnly: boolean): Promise<void> {
  process.stdout.write(`Client Version: v${KITE_VERSION}\n`);
  if (clientOnly) return;
  const v = await ctx.client.version();
  process.stdout.write(`Server Version: v${v.version}\n`);
  process.stdout.write(`Controller: ${v.controller_id}${v.is_leader ? ' (leader)' : ''}\n`);
  process.stdout.write(`Leader: ${v.leader_id || '<none>'}\n`);
}

export async function topCommand(ctx: CliContext, what: string, allNamespaces: boolean): Promise<void> {
  if (/^(nodes?|no)$/.test(what)) {
    const nodes = (await ctx.client.list<Node>('Node')).items;
    const rows = nodes.map((n) => {
      const u = n.status?.usage;
      const cap = n.status?.allocatable;
      if (!u || !cap) return [n.metadata.name, '<unknown>', '<unknown>', '<unknown>', '<unknown>'];
      const cpu = parseCpu(u.cpu);
      const mem = parseMemory(u.memory);
      return [n.metadata.name, formatCpu(cpu), `${Math.round((cpu / parseCpu(cap.cpu)) * 100)}%`, formatMemory(mem), `${Math.round((mem / parseMemory(cap.memory)) * 100)}%`];
    });
    // As kubectl top prints them: units in lower case.
    process.stdout.write(renderTable(['NAME', 'CPU(cores)', 'CPU%', 'MEMORY(bytes)', 'MEMORY%'], rows, { upperCaseHeaders: false }));
    return;
  }
  if (/^(pods?|po)$/.test(what)) {
    const pods = (await ctx.client.list<Pod>('Pod', { namespace: ctx.namespace, allNamespaces })).items;
    const withUsage = pods.filter((p) => usageOf(p));
    if (!withUsage.length) throw invalid('metrics not available yet: no running pod has reported usage');
    const rows = withUsage.map((p) => {
      const u = usageOf(p)!;
      const base = [p.metadata.name, formatCpu(parseCpu(u.cpu)), formatMemory(parseMemory(u.memory))];
      return allNamespaces ? [p.metadata.namespace ?? '', ...base] : base;
    });
    process.stdout.write(renderTable([...(allNamespaces ? ['NAMESPACE'] : []), 'NAME', 'CPU(cores)', 'MEMORY(bytes)'], rows, { upperCaseHeaders: false }));
    return;
  }
  throw invalid(`top supports "nodes" and "pods", not "${what}"`);
}

function usageOf(p: Pod): { cpu: string; memory: string } | undefined {
  return (p.status as { usage?: { cpu: string; memory: string } } | undefined)?.usage;
}
