// Pod: one or more containers run together on one node.
import type { Container, Pod } from '../api/types';
import { S, base, status } from '../manifest/fields';
import { dns1123SubdomainError } from '../manifest/names';
import { defaultPodSpec } from '../manifest/pod-defaults';
import { podSpec } from '../manifest/pod-fields';
import { ageOf } from '../print/age';
import { summarizePod } from '../print/pod-status';
import type { KindDefinition } from './kind';
import { podUpdateIssues } from './pod-update';

/** CONTAINERS and IMAGES cells of a workload's `-o wide` row. */
export const containerCells = (containers: Container[]): string[] => [
  containers.map((c) => c.name).join(','),
  containers.map((c) => c.image).join(','),
];

export const podKind: KindDefinition<Pod> = {
  kind: 'Pod',
  apiVersion: 'v1',
  plural: 'pods',
  singular: 'pod',
  shortNames: ['po'],
  namespaced: true,
  schema: S.obj({ ...base, ...status, spec: podSpec }, { required: ['spec'] }),
  nameRule: dns1123SubdomainError,
  defaults: (pod) => defaultPodSpec(pod.spec, 'Always'),
  immutable: podUpdateIssues,
  // Set by the scheduler when it binds the pod.
  systemFields: ['spec.nodeName'],
  // Its containers must stop (or the node be gone) before the pod goes.
  gracefulDeletion: true,
  table: {
    // kubectl also shows NOMINATED NODE and READINESS GATES; Kite has neither.
    columns: [
      { name: 'NAME' }, { name: 'READY' }, { name: 'STATUS' }, { name: 'RESTARTS' }, { name: 'AGE' },
      { name: 'IP', wide: true }, { name: 'NODE', wide: true },
    ],
    cells(p, now) {
      const s = summarizePod(p, now);
      return [p.metadata.name, s.ready, s.status, s.restarts, ageOf(p, now), p.status?.podIP || '<none>', p.spec.nodeName || '<none>'];
    },
  },
};
