// The downward API: a pod's own facts (its name, labels, IPs, node, resource limits) as
// environment variables (`valueFrom.fieldRef` / `resourceFieldRef`) and as `downwardAPI` volume
// files, with the kubelet's formatting. Pure: the worker supplies the facts only it knows.
import type { Container, DownwardAPIVolumeFile, ObjectFieldSelector, Pod, ResourceFieldSelector } from '../../common/api/types';
import { parseCpu, parseMemory, parseQuantity } from '../../common/manifest/quantity';

/** What the node knows about itself, for status.hostIP and for limits a container leaves unset. */
export interface NodeFacts {
  name: string;
  hostIP: string;
  /** Allocatable CPU and memory: the kubelet's value for a limit the container does not set. */
  cpuMillis: number;
  memoryBytes: number;
}

export interface DownwardFacts {
  podIP: string;
  node?: NodeFacts;
}

/** A fieldRef the agent cannot answer (validation should have refused it first). */
export class DownwardError extends Error {
  override name = 'DownwardError';
}

const KEYED = /^metadata\.(labels|annotations)\['(.+)'\]$/;

/** Labels or annotations as the kubelet writes them to a file: sorted `key="value"` lines. */
function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

/** The value of `ref.fieldPath` for `pod`. */
export function fieldRefValue(pod: Pod, ref: ObjectFieldSelector, facts: DownwardFacts): string {
  const path = ref.fieldPath;
  const keyed = KEYED.exec(path);
  if (keyed) {
    const map = keyed[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations;
    return map?.[keyed[2]!] ?? '';
  }
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace ?? 'default';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
      return formatMap(pod.metadata.labels);
    case 'metadata.annotations':
      return formatMap(pod.metadata.annotations);
    case 'spec.nodeName':
      return pod.spec.nodeName ?? facts.node?.name ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName || pod.spec.serviceAccount || 'default';
    case 'status.hostIP':
    case 'status.hostIPs':
      return facts.node?.hostIP ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      // A hostNetwork pod's IP is its node's.
      return pod.spec.hostNetwork ? (facts.node?.hostIP ?? '') : facts.podIP;
    default:
      throw new DownwardError(`unsupported fieldPath "${path}"`);
  }
}

/**
 * The value of a resourceFieldRef: the container's request or limit divided by `divisor`, rounded
 * up. An unset limit is the node's allocatable amount and an unset request is 0, as the kubelet does.
 */
export function resourceFieldRefValue(pod: Pod, self: Container | undefined, ref: ResourceFieldSelector, facts: DownwardFacts): string {
  const container = ref.containerName ? [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c) => c.name === ref.containerName) : self;
  if (!container) throw new DownwardError(`resourceFieldRef: no container "${ref.containerName ?? ''}" in the pod`);
  const [kind, resource] = ref.resource.split('.', 2) as ['limits' | 'requests', string];
  const given = container.resources?.[kind]?.[resource as 'cpu' | 'memory'];
  const divisor = ref.divisor === undefined ? 1 : parseQuantity(ref.divisor, 'divisor');
  if (!(divisor > 0)) throw new DownwardError(`resourceFieldRef: divisor must be positive`);
  let value: number;
  if (resource === 'cpu') {
    const millis = given !== undefined ? parseCpu(given) : kind === 'limits' ? (facts.node?.cpuMillis ?? 0) : 0;
    value = millis / 1000;
  } else if (resource === 'memory' || resource === 'ephemeral-storage') {
    value = given !== undefined ? parseMemory(given) : kind === 'limits' && resource === 'memory' ? (facts.node?.memoryBytes ?? 0) : 0;
  } else {
    throw new DownwardError(`resourceFieldRef: unsupported resource "${ref.resource}"`);
  }
  // A tiny epsilon keeps 0.25/0.001 = 250.00000000000003 from rounding up to 251.
  return String(Math.ceil(value / divisor - 1e-9));
}

/** The content of one downwardAPI volume file. */
export function downwardFileValue(pod: Pod, item: DownwardAPIVolumeFile, facts: DownwardFacts): string {
  if (item.fieldRef) return fieldRefValue(pod, item.fieldRef, facts);
  if (item.resourceFieldRef) return resourceFieldRefValue(pod, undefined, item.resourceFieldRef, facts);
  throw new DownwardError(`downwardAPI item "${item.path}" has neither fieldRef nor resourceFieldRef`);
}
