// DaemonSet: one pod on every (matching) node.
import type { DaemonSet } from '../api/types';
import { S, base, err, labelSelector, nonNegative, status } from '../manifest/fields';
import { dns1123SubdomainError } from '../manifest/names';
import { child, defaultTemplate, setDefault, specOf } from '../manifest/pod-defaults';
import { podTemplate } from '../manifest/pod-fields';
import { join } from '../manifest/schema';
import { checkRestartPolicy, checkSelectorMatchesTemplate, intOrPercent, rollingUpdateHook } from '../manifest/workload-fields';
import { ageOf } from '../print/age';
import { formatLabels, formatSelector } from '../print/labels';
import type { KindDefinition } from './kind';
import { containerCells } from './pod';
import { immutablePaths } from './immutable';

const daemonSetSpec = S.obj(
  {
    selector: labelSelector,
    template: podTemplate,
    updateStrategy: S.obj(
      {
        type: S.oneOf('RollingUpdate', 'OnDelete'),
        rollingUpdate: S.obj({ maxSurge: intOrPercent, maxUnavailable: intOrPercent }, { hook: rollingUpdateHook(0, 1) }),
      },
      {
        hook: (o, path, ctx) => {
          if (o.type === 'OnDelete' && o.rollingUpdate != null) err(ctx, join(path, 'rollingUpdate'), 'may not be specified when updateStrategy type is OnDelete');
        },
      },
    ),
    minReadySeconds: nonNegative,
    revisionHistoryLimit: nonNegative,
  },
  {
    required: ['selector', 'template'],
    hook: (o, path, ctx) => {
      checkSelectorMatchesTemplate(o, path, ctx, true);
      checkRestartPolicy(o, path, ctx, ['Always'], false);
    },
  },
);

export const daemonSetKind: KindDefinition<DaemonSet> = {
  kind: 'DaemonSet',
  apiVersion: 'apps/v1',
  plural: 'daemonsets',
  singular: 'daemonset',
  shortNames: ['ds'],
  namespaced: true,
  schema: S.obj({ ...base, ...status, spec: daemonSetSpec }, { required: ['spec'] }),
  nameRule: dns1123SubdomainError,
  defaults(ds) {
    const spec = specOf(ds);
    if (!spec) return;
    const strategy = child(spec, 'updateStrategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const ru = child(strategy, 'rollingUpdate');
      setDefault(ru, 'maxUnavailable', 1);
      setDefault(ru, 'maxSurge', 0);
    }
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'minReadySeconds', 0);
    defaultTemplate(spec, 'Always');
  },
  immutable: immutablePaths('spec.selector'),
  table: {
    columns: [
      { name: 'NAME' }, { name: 'DESIRED' }, { name: 'CURRENT' }, { name: 'READY' }, { name: 'UP-TO-DATE' }, { name: 'AVAILABLE' },
      { name: 'NODE SELECTOR' }, { name: 'AGE' },
      { name: 'CONTAINERS', wide: true }, { name: 'IMAGES', wide: true }, { name: 'SELECTOR', wide: true },
    ],
    cells: (ds, now) => [
      ds.metadata.name,
      String(ds.status?.desiredNumberScheduled ?? 0),
      String(ds.status?.currentNumberScheduled ?? 0),
      String(ds.status?.numberReady ?? 0),
      String(ds.status?.updatedNumberScheduled ?? 0),
      String(ds.status?.numberAvailable ?? 0),
      formatLabels(ds.spec.template.spec.nodeSelector),
      ageOf(ds, now),
      ...containerCells(ds.spec.template.spec.containers),
      formatSelector(ds.spec.selector),
    ],
  },
};
