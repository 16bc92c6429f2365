// What an agent's registration means for its Node object.
import type { Node, Condition } from '../../common/api/types';
import type { NodeInfo__Output } from '../../common/generated/kite/v1/NodeInfo';
import { invalid } from '../../common/errors';
import { formatCpu, formatMemory } from '../../common/manifest/quantity';
import { rfc3339 } from '../store/etcd-store';
import { VTEP_MAC_ANNOTATION } from './network-feed';
import { STORAGE_DIR_ANNOTATION } from '../storage/volume-facts';

export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
/** Why a node has no pod subnet, for `kite describe node`. */
export const NETWORK_UNAVAILABLE_ANNOTATION = 'kite.io/network-unavailable';
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Checks an agent's registration; a bad one is refused with a reason the agent logs. */
export function checkNodeInfo(info: NodeInfo__Output): void {
  const problems: string[] = [];
  if (!info.name || info.name.length > 253 || !DNS1123_SUBDOMAIN.test(info.name)) problems.push(`name "${info.name}" is not a valid DNS-1123 subdomain`);
  if (!(Number(info.cpu_millis) > 0)) problems.push('cpu_millis must be positive');
  if (!(Number(info.memory_bytes) > 0)) problems.push('memory_bytes must be positive');
  if (!(info.max_pods > 0)) problems.push('max_pods must be positive');
  for (const t of info.taints) {
    if (!t.key) problems.push('taint without key');
    if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) problems.push(`taint ${t.key}: effect "${t.effect}" must be NoSchedule, PreferNoSchedule or NoExecute`);
  }
  const dir = info.storage_dir;
  if (dir && (!dir.startsWith('/') || dir.split('/').includes('..') || dir.length > 4096)) problems.push(`storage_dir ${JSON.stringify(dir.slice(0, 100))} must be an absolute path without ".."`);
  if (problems.length) throw invalid(`registration refused: ${problems.join('; ')}`);
}

export function readyCondition(ready: boolean, nowMs: number, reason: string, message: string): Condition {
  const t = rfc3339(nowMs);
  return { type: 'Ready', status: ready ? 'True' : 'Unknown', reason, message, lastHeartbeatTime: t, lastTransitionTime: t };
}

/** A node without a pod subnet cannot run pods on the pod network (Kubernetes' own taint). */
export const NETWORK_UNAVAILABLE_TAINT = 'node.kubernetes.io/network-unavailable';

export interface NodeNetworkFacts {
  /** The node's pod subnet; undefined when none could be allocated. */
  podCIDR?: string;
  /** Why the node has no pod subnet (the cluster CIDR is exhausted). */
  unavailable?: string;
}

/**
 * The Node as the agent describes it, merged onto what the store holds: users' cordon and
 * extra labels/taints survive a re-registration; capacity and addresses come from the agent.
 */
export function nodeFromRegistration(info: NodeInfo__Output, existing: Node | undefined, address: string, net: NodeNetworkFacts, nowMs: number): Node {
  const capacity = { cpu: formatCpu(Number(info.cpu_millis)), memory: formatMemory(Number(info.memory_bytes)), pods: String(info.max_pods) };
  const agentTaints = info.taints.map((t) => ({ key: t.key, value: t.value || undefined, effect: t.effect as 'NoSchedule' }));
  if (net.unavailable && !net.podCIDR) agentTaints.push({ key: NETWORK_UNAVAILABLE_TAINT, value: undefined, effect: 'NoSchedule' });
  const keptTaints = (existing?.spec.taints ?? []).filter(
    (t) => t.key !== UNREACHABLE_TAINT && t.key !== NETWORK_UNAVAILABLE_TAINT && !agentTaints.some((a) => a.key === t.key && a.effect === t.effect),
  );
  const annotations = { ...(existing?.metadata.annotations ?? {}) };
  delete annotations[VTEP_MAC_ANNOTATION];
  delete annotations[NETWORK_UNAVAILABLE_ANNOTATION];
  if (info.vtep_mac) annotations[VTEP_MAC_ANNOTATION] = info.vtep_mac;
  // Where local-path volumes of this node go; only the agent knows it.
  delete annotations[STORAGE_DIR_ANNOTATION];
  if (info.storage_dir) annotations[STORAGE_DIR_ANNOTATION] = info.storage_dir;
  if (net.unavailable && !net.podCIDR) annotations[NETWORK_UNAVAILABLE_ANNOTATION] = net.unavailable;
  const podCIDR = net.podCIDR ? { podCIDR: net.podCIDR, podCIDRs: [net.podCIDR] } : {};
  const labels = {
    ...(existing?.metadata.labels ?? {}),
    'kubernetes.io/hostname': info.name,
    'kubernetes.io/os': info.os || 'linux',
    'kubernetes.io/arch': info.arch || 'amd64',
    ...info.labels,
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { ...(existing?.metadata ?? {}), name: info.name, labels, annotations: Object.keys(annotations).length ? annotations : undefined },
    spec: { ...(existing?.spec ?? {}), ...podCIDR, taints: [...keptTaints, ...agentTaints] },
    status: {
      capacity,
      allocatable: capacity,
      conditions: [readyCondition(true, nowMs, 'AgentReady', 'kite-agent is posting ready status')],
      addresses: [
        { type: 'InternalIP', address },
        { type: 'Hostname', address: info.hostname || info.name },
      ],
      nodeInfo: {
        operatingSystem: info.os,
        architecture: info.arch,
        kernelVersion: info.kernel_version,
        containerRuntimeVersion: `${info.runtime}://${info.runtime_version}`,
        kiteVersion: info.agent_version,
      },
      daemonEndpoints: { metricsPort: info.metrics_port, streamPort: info.stream_port },
      // Reported apart from the registration (NodeImages): kept until the agent's next report.
      ...(existing?.status?.images ? { images: existing.status.images } : {}),
    },
  };
}
