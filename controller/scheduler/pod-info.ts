// What the scheduler needs to know about a pod, computed once per pod (requests, ports,
// tolerations, spread key) so that filtering it against 1,000 nodes never re-walks its spec.
import type { Container, NodeSelectorTerm, Pod, ResourceList, Toleration } from '../../common/api/types';
import { podClaimKeys } from '../storage/volume-facts';
import { topologyRulesOf, type PodTopologyRules } from './pod-topology';
import { parseCpuMillis, parseMemoryBytes } from './quantity';

export interface HostPort {
  protocol: 'TCP' | 'UDP';
  port: number;
  /** '' or '0.0.0.0' means every address of the host. */
  hostIP: string;
}

export interface WeightedTerm {
  weight: number;
  term: NodeSelectorTerm;
}

export interface PodInfo {
  readonly pod: Pod;
  /** `namespace/name`: how the snapshot identifies the pod. */
  readonly key: string;
  /** Requests that must fit into a node's free allocatable. */
  readonly milliCpu: number;
  readonly memory: number;
  /** Requests with Kubernetes' non-zero defaults (100m, 200Mi) for pods that ask for nothing,
   *  used only for scoring, so request-less pods still spread by load. */
  readonly nonZeroMilliCpu: number;
  readonly nonZeroMemory: number;
  readonly hostPorts: readonly HostPort[];
  /** spec.nodeName: the node the pod asks for by name (undefined when empty). */
  readonly nodeName: string | undefined;
  /** Pods sharing this key are spread across nodes; undefined when the pod has no owner nor labels. */
  readonly spreadKey: string | undefined;
  readonly tolerations: readonly Toleration[];
  readonly nodeSelector: readonly (readonly [string, string])[];
  /** Required node affinity terms (ORed); undefined when the pod has none. */
  readonly requiredTerms: readonly NodeSelectorTerm[] | undefined;
  readonly preferredTerms: readonly WeightedTerm[];
  /** What other pods' affinity terms and spread constraints select on. */
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Being deleted: topology spread does not count it. */
  readonly terminating: boolean;
  /** Inter-pod (anti-)affinity and topology spread; undefined when the pod has none. */
  readonly topology: PodTopologyRules | undefined;
  /** The PersistentVolumeClaims the pod mounts (`namespace/name`); empty for most pods. */
  readonly claims: readonly string[];
}

export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

const cache = new WeakMap<Pod, PodInfo>();

/** The pod's scheduling facts; cached per pod object (pods are treated as immutable). */
export function podInfoOf(pod: Pod): PodInfo {
  let info = cache.get(pod);
  if (!info) {
    info = computePodInfo(pod);
    cache.set(pod, info);
  }
  return info;
}

export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
}

/** Requests fall back to limits per resource when absent, as Kubernetes defaults them. */
function requested(requests: ResourceList | undefined, limits: ResourceList | undefined, r: 'cpu' | 'memory'): string | number | undefined {
  return requests?.[r] ?? limits?.[r];
}

/** One container's requests: as given, and with the scheduler's defaults for unset ones (for scoring). */
type Requests = [milliCpu: number, memory: number, nonZeroMilliCpu: number, nonZeroMemory: number];

function containerRequests(c: Container): Requests {
  const cpuQ = requested(c.resources?.requests, c.resources?.limits, 'cpu');
  const memQ = requested(c.resources?.requests, c.resources?.limits, 'memory');
  const cpu = cpuQ === undefined ? 0 : parseCpuMillis(cpuQ);
  const mem = memQ === undefined ? 0 : parseMemoryBytes(memQ);
  return [cpu, mem, cpu === 0 ? DEFAULT_MILLI_CPU_REQUEST : cpu, mem === 0 ? DEFAULT_MEMORY_REQUEST : mem];
}

const add = (a: Requests, b: Requests): Requests => [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]];
const max = (a: Requests, b: Requests): Requests => [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];

/**
 * The pod's effective requests, as Kubernetes computes them with init containers: the app
 * containers and sidecars (restartable init containers) run together; each plain init container
 * runs alone beside the sidecars started before it. The larger of the two phases counts.
 */
function podRequests(pod: Pod): Requests {
  let sidecars: Requests = [0, 0, 0, 0];
  let initPeak: Requests = [0, 0, 0, 0];
  for (const c of pod.spec.initContainers ?? []) {
    if (c.restartPolicy === 'Always') sidecars = add(sidecars, containerRequests(c));
    else initPeak = max(initPeak, add(containerRequests(c), sidecars));
  }
  const running = pod.spec.containers.reduce((sum, c) => add(sum, containerRequests(c)), sidecars);
  return max(running, initPeak);
}

function computePodInfo(pod: Pod): PodInfo {
  const [milliCpu, memory, nonZeroMilliCpu, nonZeroMemory] = podRequests(pod);
  const hostPorts: HostPort[] = [];
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    for (const p of c.ports ?? []) {
      if (p.hostPort && p.hostPort > 0) hostPorts.push({ protocol: p.protocol ?? 'TCP', port: p.hostPort, hostIP: p.hostIP ?? '' });
    }
  }
  const affinity = pod.spec.affinity?.nodeAffinity;
  const required = affinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return {
    pod,
    key: podKey(pod),
    milliCpu,
    memory,
    nonZeroMilliCpu,
    nonZeroMemory,
    hostPorts,
    nodeName: pod.spec.nodeName || undefined,
    spreadKey: spreadKeyOf(pod),
    tolerations: pod.spec.tolerations ?? [],
    nodeSelector: Object.entries(pod.spec.nodeSelector ?? {}),
    requiredTerms: required ? required.nodeSelectorTerms : undefined,
    preferredTerms: (affinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
      .filter((p) => p.weight > 0)
      .map((p) => ({ weight: p.weight, term: p.preference })),
    namespace: pod.metadata.namespace ?? 'default',
    labels: pod.metadata.labels ?? {},
    terminating: pod.metadata.deletionTimestamp !== undefined,
    topology: topologyRulesOf(pod),
    claims: podClaimKeys(pod),
  };
}

/** Replicas of one workload share their controller's uid; bare pods fall back to their label set. */
export function spreadKeyOf(pod: Pod): string | undefined {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  if (owner) return `owner:${owner.uid || `${owner.kind}/${pod.metadata.namespace ?? 'default'}/${owner.name}`}`;
  const labels = pod.metadata.labels;
  if (!labels) return undefined;
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return undefined;
  return `labels:${pod.metadata.namespace ?? 'default'}:${keys.map((k) => `${k}=${labels[k]}`).join(',')}`;
}
