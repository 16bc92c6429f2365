// `kite describe pod`, laid out as kubectl's describePod.
import type { Container, Pod } from '../../common/api/types';
import { isTerminalPhase } from '../../common/api/pod';
import { formatTimestamp } from '../../common/print/age';
import { DescribeWriter, LEVEL_0, LEVEL_1 } from './describe-writer';
import {
  type DescribeTime, writeAnnotations, writeContainers, writeControlledBy, writeLabels, writeTolerations, writeVolumes,
} from './describe-sections';
import { cpuMillis, memoryBytes } from './quantity';

/** Kubernetes' QoS class: Guaranteed (limits = requests for cpu and memory), BestEffort (none), else Burstable. */
export function qosClass(containers: readonly Container[]): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  let hasAnyResources = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const { requests = {}, limits = {} } = c.resources ?? {};
    for (const r of ['cpu', 'memory'] as const) {
      if (requests[r] !== undefined || limits[r] !== undefined) hasAnyResources = true;
      if (limits[r] === undefined) {
        guaranteed = false;
        continue;
      }
      const same = r === 'cpu' ? cpuMillis(requests.cpu ?? limits.cpu) === cpuMillis(limits.cpu) : memoryBytes(requests.memory ?? limits.memory) === memoryBytes(limits.memory);
      if (!same) guaranteed = false;
    }
  }
  if (!hasAnyResources) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Why a pod is still Pending: the scheduler's PodScheduled=False condition, or what the caller knows. */
export function pendingReason(pod: Pod, fromCaller?: string): { reason?: string; message: string } | undefined {
  if (pod.status?.phase && pod.status.phase !== 'Pending') return undefined;
  const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  const message = fromCaller || cond?.message;
  return message ? { reason: cond?.reason, message } : undefined;
}

export function describePod(w: DescribeWriter, pod: Pod, t: DescribeTime, callerPendingReason?: string): void {
  const ts = (iso: string | undefined) => formatTimestamp(iso, t.utcOffsetMinutes);
  const phase = pod.status?.phase ?? 'Pending';
  w.write(LEVEL_0, `Name:\t${pod.metadata.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${pod.metadata.namespace ?? ''}\n`);
  w.write(LEVEL_0, `Node:\t${pod.spec.nodeName ? `${pod.spec.nodeName}/${pod.status?.hostIP ?? ''}` : '<none>'}\n`);
  if (pod.status?.startTime) w.write(LEVEL_0, `Start Time:\t${ts(pod.status.startTime)}\n`);
  writeLabels(w, 'Labels', pod.metadata.labels);
  writeAnnotations(w, 'Annotations', pod.metadata.annotations);
  if (pod.metadata.deletionTimestamp && !isTerminalPhase(phase)) {
    w.write(LEVEL_0, `Status:\tTerminating\n`);
    if (pod.spec.terminationGracePeriodSeconds !== undefined) {
      w.write(LEVEL_0, `Termination Grace Period:\t${pod.spec.terminationGracePeriodSeconds}s\n`);
    }
  } else {
    w.write(LEVEL_0, `Status:\t${phase}\n`);
  }
  const pending = pod.status?.reason || pod.status?.message ? undefined : pendingReason(pod, callerPendingReason);
  const reason = pod.status?.reason || pending?.reason;
  const message = pod.status?.message || pending?.message;
  if (reason) w.write(LEVEL_0, `Reason:\t${reason}\n`);
  if (message) w.write(LEVEL_0, `Message:\t${message}\n`);
  w.write(LEVEL_0, `IP:\t${pod.status?.podIP ?? ''}\n`);
  if (pod.status?.podIP) {
    w.write(LEVEL_0, 'IPs:\n');
    w.write(LEVEL_1, `IP:\t${pod.status.podIP}\n`);
  } else {
    w.write(LEVEL_0, 'IPs:\t<none>\n');
  }
  writeControlledBy(w, pod);
  writeContainers(w, pod.spec.initContainers ?? [], pod.status?.initContainerStatuses ?? [], '', t, 'Init Containers');
  writeContainers(w, pod.spec.containers, pod.status?.containerStatuses ?? [], '', t);
  if (pod.status?.conditions?.length) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\n');
    for (const c of pod.status.conditions) w.write(LEVEL_1, `${c.type} \t${c.status} \n`);
  }
  writeVolumes(w, pod.spec.volumes, '');
  w.write(LEVEL_0, `QoS Class:\t${qosClass(pod.spec.containers)}\n`);
  writeLabels(w, 'Node-Selectors', pod.spec.nodeSelector);
  writeTolerations(w, 'Tolerations', pod.spec.tolerations);
}
