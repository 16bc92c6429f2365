// Node: a machine running a Kite agent. Registered by the agent, not by users.
import type { Node } from '../api/types';
import { nodeReadyCondition } from '../api/node';
import { S, base, set, status } from '../manifest/fields';
import { dns1123SubdomainError, labelKeyError, labelValueError } from '../manifest/names';
import { ageOf } from '../print/age';
import { nodeRoles } from '../print/labels';
import type { KindDefinition } from './kind';

const taint = S.obj(
  { key: S.nonEmpty(labelKeyError), value: S.str(labelValueError), effect: S.oneOf('NoSchedule', 'PreferNoSchedule', 'NoExecute'), timeAdded: S.str() },
  { required: ['key', 'effect'] },
);

/** "Ready", "NotReady", "Unknown", plus ",SchedulingDisabled" when cordoned. */
export function nodeStatus(node: Node): string {
  const ready = nodeReadyCondition(node);
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

export function nodeInternalIP(node: Node): string {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '<none>';
}

export const nodeKind: KindDefinition<Node> = {
  kind: 'Node',
  apiVersion: 'v1',
  plural: 'nodes',
  singular: 'node',
  shortNames: ['no'],
  namespaced: false,
  systemOwned: true,
  schema: S.obj({
    ...base,
    ...status,
    spec: S.obj(
      { unschedulable: S.bool, taints: S.list(taint), podCIDR: S.str(), podCIDRs: S.list(S.str()) },
      { unsupported: set('providerID', 'configSource', 'externalID') },
    ),
  }),
  nameRule: dns1123SubdomainError,
  // Set by `kite cordon` / `kite taint` and by the node lifecycle; a re-applied node manifest keeps them.
  systemFields: ['spec.unschedulable', 'spec.taints', 'spec.podCIDR', 'spec.podCIDRs'],
  table: {
    // kubectl also has EXTERNAL-IP; Kite nodes have none. Kite reports no OS image, so OS-IMAGE shows the OS.
    columns: [
      { name: 'NAME' }, { name: 'STATUS' }, { name: 'ROLES' }, { name: 'AGE' }, { name: 'VERSION' },
      { name: 'INTERNAL-IP', wide: true }, { name: 'OS-IMAGE', wide: true }, { name: 'KERNEL-VERSION', wide: true }, { name: 'CONTAINER-RUNTIME', wide: true },
    ],
    cells(n, now) {
      const info = n.status?.nodeInfo;
      return [
        n.metadata.name, nodeStatus(n), nodeRoles(n.metadata.labels).join(',') || '<none>', ageOf(n, now), info?.kiteVersion ?? '',
        nodeInternalIP(n),
        info?.operatingSystem || '<unknown>',
        info?.kernelVersion || '<unknown>',
        info?.containerRuntimeVersion || '<unknown>',
      ];
    },
  },
};
