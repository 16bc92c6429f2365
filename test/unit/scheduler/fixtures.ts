// Builders for scheduler tests: small, explicit nodes and pods.
import type { Container, Node, Pod, PodSpec, Taint } from '../../../common/api/types';

export interface NodeOpts {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  ready?: boolean;
}

export function node(name: string, o: NodeOpts = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: { unschedulable: o.unschedulable, taints: o.taints },
    status: {
      allocatable: { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110' },
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
    },
  };
}

export interface PodOpts {
  cpu?: string;
  memory?: string;
  owner?: string;
  labels?: Record<string, string>;
  hostPort?: number;
  nodeName?: string;
  spec?: Partial<PodSpec>;
  containers?: Container[];
  namespace?: string;
}

export function pod(name: string, o: PodOpts = {}): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  const container: Container = {
    name: 'main',
    image: 'nginx',
    resources: Object.keys(requests).length ? { requests } : undefined,
    ports: o.hostPort ? [{ containerPort: 80, hostPort: o.hostPort }] : undefined,
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      labels: o.labels,
      ownerReferences: o.owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner, uid: `uid-${o.owner}`, controller: true }] : undefined,
    },
    spec: { containers: o.containers ?? [container], nodeName: o.nodeName, ...o.spec },
  };
}

/** `count` replicas of one workload. */
export function replicas(owner: string, count: number, o: PodOpts = {}): Pod[] {
  return Array.from({ length: count }, (_, i) => pod(`${owner}-${i}`, { ...o, owner }));
}

/** Pods per node name from a batch of results. */
export function tally(results: ({ node: string } | { unschedulable: unknown })[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) if ('node' in r) out[r.node] = (out[r.node] ?? 0) + 1;
  return out;
}
