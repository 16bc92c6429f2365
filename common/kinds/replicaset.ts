// ReplicaSet: keeps a number of identical pods running.
import type { ReplicaSet } from '../api/types';
import { S, base, labelSelector, nonNegative, status } from '../manifest/fields';
import { dns1123SubdomainError } from '../manifest/names';
import { defaultTemplate, setDefault, specOf } from '../manifest/pod-defaults';
import { podTemplate } from '../manifest/pod-fields';
import { checkRestartPolicy, checkSelectorMatchesTemplate } from '../manifest/workload-fields';
import { ageOf } from '../print/age';
import { formatSelector } from '../print/labels';
import type { KindDefinition } from './kind';
import { containerCells } from './pod';
import { immutablePaths } from './immutable';

const replicaSetSpec = S.obj(
  { replicas: nonNegative, selector: labelSelector, template: podTemplate, minReadySeconds: nonNegative },
  {
    required: ['selector', 'template'],
    hook: (o, path, ctx) => {
      checkSelectorMatchesTemplate(o, path, ctx, true);
      checkRestartPolicy(o, path, ctx, ['Always'], false);
    },
  },
);

export const replicaSetKind: KindDefinition<ReplicaSet> = {
  kind: 'ReplicaSet',
  apiVersion: 'apps/v1',
  plural: 'replicasets',
  singular: 'replicaset',
  shortNames: ['rs'],
  namespaced: true,
  schema: S.obj({ ...base, ...status, spec: replicaSetSpec }, { required: ['spec'] }),
  nameRule: dns1123SubdomainError,
  defaults(rs) {
    const spec = specOf(rs);
    if (!spec) return;
    setDefault(spec, 'replicas', 1);
    setDefault(spec, 'minReadySeconds', 0);
    defaultTemplate(spec, 'Always');
  },
  immutable: immutablePaths('spec.selector'),
  table: {
    columns: [
      { name: 'NAME' }, { name: 'DESIRED' }, { name: 'CURRENT' }, { name: 'READY' }, { name: 'AGE' },
      { name: 'CONTAINERS', wide: true }, { name: 'IMAGES', wide: true }, { name: 'SELECTOR', wide: true },
    ],
    cells: (rs, now) => [
      rs.metadata.name,
      String(rs.spec.replicas ?? 0),
      String(rs.status?.replicas ?? 0),
      String(rs.status?.readyReplicas ?? 0),
      ageOf(rs, now),
      ...containerCells(rs.spec.template.spec.containers),
      formatSelector(rs.spec.selector),
    ],
  },
};
