// Measures the scheduler core in-process: CPU time to place a batch of pods on a large cluster,
// plus placement quality. A printed measurement, not a test: `npx tsx bench/scheduler-core.ts`.
import type { Node, Pod } from '../common/api/types';
import { ClusterSnapshot, Scheduler, type SchedulerOptions } from '../controller/scheduler';

interface Scenario {
  name: string;
  nodes: number;
  pods: number;
  workloads: number;
  options?: SchedulerOptions;
  /** Shape node i (labels, taints, cordon). */
  node?: (i: number, n: Node) => void;
  /** Shape pod j of workload w. */
  pod?: (w: number, p: Pod) => void;
  cpu?: string;
  memory?: string;
  nodeCpu?: string;
}

function makeNode(i: number, s: Scenario): Node {
  const n: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: `node-${i}`, labels: { zone: `z${i % 3}`, 'kubernetes.io/hostname': `node-${i}` } },
    spec: {},
    status: { allocatable: { cpu: s.nodeCpu ?? '16', memory: '64Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
  };
  s.node?.(i, n);
  return n;
}

function makePods(s: Scenario): Pod[] {
  const pods: Pod[] = [];
  const perWorkload = Math.ceil(s.pods / s.workloads);
  for (let j = 0; j < s.pods; j++) {
    const w = Math.floor(j / perWorkload);
    const p: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `w${w}-${j}`,
        namespace: 'default',
        labels: { app: `w${w}` },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `w${w}`, uid: `uid-w${w}`, controller: true }],
      },
      spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: s.cpu ?? '100m', memory: s.memory ?? '128Mi' } } }] },
    };
    s.pod?.(w, p);
    pods.push(p);
  }
  return pods;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

function run(s: Scenario) {
  const nodes = Array.from({ length: s.nodes }, (_, i) => makeNode(i, s));
  const pods = makePods(s);
  let t = process.cpuUsage();
  const snapshot = ClusterSnapshot.build(nodes, []);
  const buildMs = cpuMs(t);
  const scheduler = new Scheduler(s.options);
  t = process.cpuUsage();
  const wall = performance.now();
  const results = scheduler.scheduleAll(pods, snapshot);
  const scheduleCpuMs = cpuMs(t);
  const wallMs = performance.now() - wall;
  const perNode = new Map<string, number>();
  let scheduled = 0;
  for (const r of results) {
    if ('node' in r) {
      scheduled++;
      perNode.set(r.node, (perNode.get(r.node) ?? 0) + 1);
    }
  }
  const counts = [...perNode.values()];
  return {
    scenario: s.name,
    nodes: s.nodes,
    pods: s.pods,
    scheduled,
    unschedulable: s.pods - scheduled,
    snapshotBuildCpuMs: round(buildMs),
    scheduleCpuMs: round(scheduleCpuMs),
    wallMs: round(wallMs),
    podsPerSec: Math.round((s.pods / wallMs) * 1000),
    nodesUsed: perNode.size,
    minPodsPerNode: counts.length ? Math.min(...counts) : 0,
    maxPodsPerNode: counts.length ? Math.max(...counts) : 0,
  };
}

const round = (x: number) => Math.round(x * 10) / 10;

const scenarios: Scenario[] = [
  { name: '10k pods / 1k nodes, 100 workloads', nodes: 1000, pods: 10_000, workloads: 100 },
  { name: '10k pods / 1k nodes, 1 workload', nodes: 1000, pods: 10_000, workloads: 1 },
  {
    name: 'mixed: 10% cordoned, 10% gpu-tainted, zone selectors',
    nodes: 1000,
    pods: 10_000,
    workloads: 100,
    node: (i, n) => {
      if (i % 10 === 0) n.spec.unschedulable = true;
      if (i % 10 === 1) n.spec.taints = [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }];
    },
    pod: (w, p) => {
      if (w % 4 === 0) p.spec.nodeSelector = { zone: `z${w % 3}` };
    },
  },
  { name: 'overcommitted: half the pods fit', nodes: 1000, pods: 10_000, workloads: 100, nodeCpu: '500m' },
  { name: '10k pods / 1k nodes, score all nodes', nodes: 1000, pods: 10_000, workloads: 100, options: { percentageOfNodesToScore: 100 } },
  {
    // Chart-style: "spread my replicas over hosts" (preferred) and over zones (ScheduleAnyway).
    name: 'inter-pod: 2k pods, preferred anti-affinity + zone spread',
    nodes: 1000,
    pods: 2000,
    workloads: 20,
    pod: (w, p) => {
      const labelSelector = { matchLabels: { app: `w${w}` } };
      p.spec.affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector, topologyKey: 'kubernetes.io/hostname' } }] } };
      p.spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector }];
    },
  },
  {
    name: 'inter-pod: 2k pods, required anti-affinity on hostname',
    nodes: 1000,
    pods: 2000,
    workloads: 20,
    pod: (w, p) => {
      p.spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: `w${w}` } }, topologyKey: 'kubernetes.io/hostname' }] } };
    },
  },
];

// Warm the JIT so the first scenario is not penalised.
run({ name: 'warmup', nodes: 200, pods: 2000, workloads: 10 });
const rows = scenarios.map(run);
console.table(rows);
console.log(JSON.stringify(rows, null, 2));
