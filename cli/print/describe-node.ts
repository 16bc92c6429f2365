// `kite describe node`, laid out as kubectl's describeNode (with its Allocated resources table).
import type { Node, Pod } from '../../common/api/types';
import { formatAge, formatTimestamp } from '../../common/print/age';
import { DescribeWriter, LEVEL_0, LEVEL_1 } from './describe-writer';
import { type DescribeTime, writeAnnotations, writeLabels } from './describe-sections';
import { nodeRoles } from '../../common/print/labels';
import { isPodTerminal } from '../../common/api/pod';
import { cpuMillis, formatCpu, formatMemory, memoryBytes } from './quantity';

export interface PodResources {
  cpuRequests: number;
  cpuLimits: number;
  memoryRequests: number;
  memoryLimits: number;
}

/** Sum of a pod's container requests and limits (cpu in millicores, memory in bytes). */
export function podResources(pod: Pod): PodResources {
  const r: PodResources = { cpuRequests: 0, cpuLimits: 0, memoryRequests: 0, memoryLimits: 0 };
  for (const c of pod.spec.containers) {
    const { requests, limits } = c.resources ?? {};
    // As in Kubernetes, a limit without a request implies an equal request.
    r.cpuRequests += cpuMillis(requests?.cpu ?? limits?.cpu);
    r.memoryRequests += memoryBytes(requests?.memory ?? limits?.memory);
    r.cpuLimits += cpuMillis(limits?.cpu);
    r.memoryLimits += memoryBytes(limits?.memory);
  }
  return r;
}

/** Whole percent, truncated like kubectl's int64(fraction); 0 when there is nothing allocatable. */
const percent = (used: number, total: number) => (total > 0 ? Math.trunc((used / total) * 100) : 0);

export function describeNode(w: DescribeWriter, node: Node, pods: readonly Pod[] | undefined, t: DescribeTime): void {
  const ts = (iso: string | undefined) => formatTimestamp(iso, t.utcOffsetMinutes);
  const status = node.status ?? {};
  w.write(LEVEL_0, `Name:\t${node.metadata.name}\n`);
  w.write(LEVEL_0, `Roles:\t${nodeRoles(node.metadata.labels).join(',') || '<none>'}\n`);
  writeLabels(w, 'Labels', node.metadata.labels);
  writeAnnotations(w, 'Annotations', node.metadata.annotations);
  w.write(LEVEL_0, `CreationTimestamp:\t${ts(node.metadata.creationTimestamp)}\n`);
  const taints = node.spec.taints ?? [];
  w.write(LEVEL_0, 'Taints:\t');
  if (taints.length === 0) w.write(LEVEL_0, '<none>\n');
  taints.forEach((tn, i) => w.write(LEVEL_0, `${i === 0 ? '' : '\t'}${tn.key}${tn.value ? `=${tn.value}` : ''}:${tn.effect}\n`));
  w.write(LEVEL_0, `Unschedulable:\t${node.spec.unschedulable === true}\n`);

  if (status.conditions?.length) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of status.conditions) {
      w.write(LEVEL_1, `${c.type} \t${c.status} \t${ts(c.lastHeartbeatTime)} \t${ts(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
    }
  }
  w.write(LEVEL_0, 'Addresses:\n');
  for (const a of status.addresses ?? []) w.write(LEVEL_1, `${a.type}:\t${a.address}\n`);

  const writeResources = (title: string, list: { cpu: string; memory: string; pods: string } | undefined) => {
    if (!list) return;
    w.write(LEVEL_0, `${title}:\n`);
    w.write(LEVEL_0, `  cpu:\t${list.cpu}\n`);
    w.write(LEVEL_0, `  memory:\t${list.memory}\n`);
    w.write(LEVEL_0, `  pods:\t${list.pods}\n`);
  };
  writeResources('Capacity', status.capacity);
  writeResources('Allocatable', status.allocatable);

  const info = status.nodeInfo;
  w.write(LEVEL_0, 'System Info:\n');
  w.write(LEVEL_0, `  Kernel Version:\t${info?.kernelVersion ?? ''}\n`);
  w.write(LEVEL_0, `  Operating System:\t${info?.operatingSystem ?? ''}\n`);
  w.write(LEVEL_0, `  Architecture:\t${info?.architecture ?? ''}\n`);
  w.write(LEVEL_0, `  Container Runtime Version:\t${info?.containerRuntimeVersion ?? ''}\n`);
  w.write(LEVEL_0, `  Kite Version:\t${info?.kiteVersion ?? ''}\n`);
  // As kubectl: each line only when the node has one.
  if (node.spec.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if (node.spec.podCIDRs?.length) w.write(LEVEL_0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);

  if (pods) writeNodePods(w, node, pods.filter((p) => !isPodTerminal(p)), t);
}

function writeNodePods(w: DescribeWriter, node: Node, pods: readonly Pod[], t: DescribeTime): void {
  const allocatable = node.status?.allocatable ?? node.status?.capacity;
  const cpuTotal = cpuMillis(allocatable?.cpu);
  const memTotal = memoryBytes(allocatable?.memory);
  const cell = (v: string, used: number, total: number) => `${v} (${percent(used, total)}%)`;

  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const total: PodResources = { cpuRequests: 0, cpuLimits: 0, memoryRequests: 0, memoryLimits: 0 };
  for (const pod of pods) {
    const r = podResources(pod);
    total.cpuRequests += r.cpuRequests;
    total.cpuLimits += r.cpuLimits;
    total.memoryRequests += r.memoryRequests;
    total.memoryLimits += r.memoryLimits;
    w.write(
      LEVEL_1,
      `${pod.metadata.namespace ?? ''}\t${pod.metadata.name}\t\t${cell(formatCpu(r.cpuRequests), r.cpuRequests, cpuTotal)}\t` +
        `${cell(formatCpu(r.cpuLimits), r.cpuLimits, cpuTotal)}\t${cell(formatMemory(r.memoryRequests), r.memoryRequests, memTotal)}\t` +
        `${cell(formatMemory(r.memoryLimits), r.memoryLimits, memTotal)}\t${formatAge(pod.metadata.creationTimestamp, t.now)}\n`,
    );
  }
  w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(LEVEL_1, 'Resource\tRequests\tLimits\n');
  w.write(LEVEL_1, '--------\t--------\t------\n');
  w.write(LEVEL_1, `cpu\t${cell(formatCpu(total.cpuRequests), total.cpuRequests, cpuTotal)}\t${cell(formatCpu(total.cpuLimits), total.cpuLimits, cpuTotal)}\n`);
  w.write(
    LEVEL_1,
    `memory\t${cell(formatMemory(total.memoryRequests), total.memoryRequests, memTotal)}\t${cell(formatMemory(total.memoryLimits), total.memoryLimits, memTotal)}\n`,
  );
}
