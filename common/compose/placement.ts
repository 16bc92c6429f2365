// deploy.placement.constraints -> nodeSelector (==) and required node affinity NotIn (!=):
// node.labels.KEY, node.hostname (kubernetes.io/hostname), node.platform.os/arch.
import type { Affinity, NodeSelectorRequirement } from '../api/types';
import { invalid } from '../errors';
import { type ServiceContext, isObj, warn, where } from './service-context';

export interface Placement {
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
}

const NODE_FIELDS: Record<string, string> = { 'node.hostname': 'kubernetes.io/hostname', 'node.platform.os': 'kubernetes.io/os', 'node.platform.arch': 'kubernetes.io/arch' };

function labelKey(field: string): string | undefined {
  if (field.startsWith('node.labels.')) return field.slice('node.labels.'.length);
  return NODE_FIELDS[field];
}

export function placement(ctx: ServiceContext): Placement {
  const deploy = isObj(ctx.def.deploy) ? ctx.def.deploy : {};
  const p = isObj(deploy.placement) ? deploy.placement : {};
  const constraints = Array.isArray(p.constraints) ? p.constraints.map(String) : [];
  const nodeSelector: Record<string, string> = {};
  const notIn: NodeSelectorRequirement[] = [];
  constraints.forEach((c, i) => {
    const at = `deploy.placement.constraints[${i}]`;
    const m = /^\s*([\w.\-/]+)\s*(==|!=)\s*(.*?)\s*$/.exec(c);
    if (!m) throw invalid(`${where(ctx, at)}: "${c}" is not "FIELD == VALUE" or "FIELD != VALUE"`);
    const key = labelKey(m[1]!);
    if (!key) {
      warn(ctx, at, `"${m[1]}" is not a node field Kite knows (node.labels.KEY, node.hostname, node.platform.os, node.platform.arch); ignored`);
      return;
    }
    if (m[2] === '==') nodeSelector[key] = m[3]!;
    else notIn.push({ key, operator: 'NotIn', values: [m[3]!] });
  });
  if (p.preferences !== undefined) warn(ctx, 'deploy.placement.preferences', 'is not supported by Kite and is ignored (topologySpreadConstraints are the Kubernetes way)');
  if (p.max_replicas_per_node !== undefined) warn(ctx, 'deploy.placement.max_replicas_per_node', 'is not supported by Kite and is ignored');
  const out: Placement = {};
  if (Object.keys(nodeSelector).length) out.nodeSelector = nodeSelector;
  if (notIn.length) out.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: notIn }] } } };
  return out;
}
