// A node as the scheduler sees it (like swarmkit's nodeinfo.go): its fixed facts (allocatable,
// labels, taints, readiness) plus running sums over the pods bound or assumed onto it.
import type { Node, Taint } from '../../common/api/types';
import { isNodeReady } from '../../common/api/node';
import type { HostPort, PodInfo } from './pod-info';
import { parseCpuMillis, parseMemoryBytes } from './quantity';

/** Kubelet's default pod limit, used when a node does not report one. */
export const DEFAULT_MAX_PODS = 110;

export interface Allocatable {
  milliCpu: number;
  memory: number;
  pods: number;
}

export class NodeInfo {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ready: boolean;
  readonly unschedulable: boolean;
  /** NoSchedule and NoExecute taints: a pod must tolerate each of them to land here. */
  readonly hardTaints: readonly Taint[];
  /** PreferNoSchedule taints: only lower the node's score. */
  readonly softTaints: readonly Taint[];
  readonly allocatable: Allocatable;

  requestedMilliCpu = 0;
  requestedMemory = 0;
  nonZeroRequestedMilliCpu = 0;
  nonZeroRequestedMemory = 0;
  readonly pods = new Map<string, PodInfo>();
  /** `PROTOCOL/port` -> host IPs holding it ('' = all addresses). */
  private readonly usedPorts = new Map<string, string[]>();
  private readonly spreadCounts = new Map<string, number>();
  /** The node's pods carrying inter-pod affinity terms, which other pods must respect too (an
   *  existing pod's required anti-affinity keeps matching newcomers out of its domain). */
  readonly podsWithAffinity: PodInfo[] = [];

  constructor(readonly node: Node) {
    this.name = node.metadata.name;
    this.labels = node.metadata.labels ?? {};
    this.ready = isNodeReady(node);
    this.unschedulable = node.spec?.unschedulable === true;
    const taints = node.spec?.taints ?? [];
    this.hardTaints = taints.filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    this.softTaints = taints.filter((t) => t.effect === 'PreferNoSchedule');
    this.allocatable = allocatableOf(node);
  }

  get podCount(): number {
    return this.pods.size;
  }

  /** Pods of the workload with this spread key already on the node. */
  countOf(spreadKey: string): number {
    return this.spreadCounts.get(spreadKey) ?? 0;
  }

  /** Whether any of the ports is already taken here (wildcard host IPs clash with every IP). */
  hasPortConflict(ports: readonly HostPort[]): boolean {
    for (const p of ports) {
      const ips = this.usedPorts.get(`${p.protocol}/${p.port}`);
      if (!ips) continue;
      for (const ip of ips) if (isWildcard(ip) || isWildcard(p.hostIP) || ip === p.hostIP) return true;
    }
    return false;
  }

  addPod(info: PodInfo): void {
    this.pods.set(info.key, info);
    this.applyPod(info, 1);
    if (info.topology?.hasAffinity) this.podsWithAffinity.push(info);
    for (const p of info.hostPorts) {
      const k = `${p.protocol}/${p.port}`;
      const ips = this.usedPorts.get(k);
      if (ips) ips.push(p.hostIP);
      else this.usedPorts.set(k, [p.hostIP]);
    }
  }

  /** Returns false when the pod was not on this node. */
  removePod(key: string): boolean {
    const info = this.pods.get(key);
    if (!info) return false;
    this.pods.delete(key);
    this.applyPod(info, -1);
    if (info.topology?.hasAffinity) this.podsWithAffinity.splice(this.podsWithAffinity.indexOf(info), 1);
    for (const p of info.hostPorts) {
      const k = `${p.protocol}/${p.port}`;
      const ips = this.usedPorts.get(k);
      const i = ips?.indexOf(p.hostIP) ?? -1;
      if (ips && i >= 0) ips.splice(i, 1);
      if (ips && ips.length === 0) this.usedPorts.delete(k);
    }
    return true;
  }

  private applyPod(info: PodInfo, sign: 1 | -1): void {
    this.requestedMilliCpu += sign * info.milliCpu;
    this.requestedMemory += sign * info.memory;
    this.nonZeroRequestedMilliCpu += sign * info.nonZeroMilliCpu;
    this.nonZeroRequestedMemory += sign * info.nonZeroMemory;
    if (info.spreadKey !== undefined) {
      const n = (this.spreadCounts.get(info.spreadKey) ?? 0) + sign;
      if (n > 0) this.spreadCounts.set(info.spreadKey, n);
      else this.spreadCounts.delete(info.spreadKey);
    }
  }
}

function isWildcard(ip: string): boolean {
  return ip === '' || ip === '0.0.0.0' || ip === '::';
}

/** status.allocatable, falling back to capacity. A quantity the agent garbled counts as zero:
 *  that node then simply fits nothing, instead of failing the whole scheduling batch. */
function allocatableOf(node: Node): Allocatable {
  const a = node.status?.allocatable ?? node.status?.capacity;
  const pods = a?.pods !== undefined ? Number.parseInt(a.pods, 10) : NaN;
  return {
    milliCpu: lenient(() => (a?.cpu !== undefined ? parseCpuMillis(a.cpu) : 0)),
    memory: lenient(() => (a?.memory !== undefined ? parseMemoryBytes(a.memory) : 0)),
    pods: Number.isFinite(pods) && pods >= 0 ? pods : DEFAULT_MAX_PODS,
  };
}

function lenient(parse: () => number): number {
  try {
    return parse();
  } catch {
    return 0;
  }
}
