// Deployment: rolls a pod template out through ReplicaSets.
import type { Deployment } from '../api/types';
import { S, base, err, labelSelector, nonNegative, positive, status } from '../manifest/fields';
import { dns1123SubdomainError } from '../manifest/names';
import { child, defaultTemplate, setDefault, specOf } from '../manifest/pod-defaults';
import { podTemplate } from '../manifest/pod-fields';
import { join } from '../manifest/schema';
import { checkRestartPolicy, checkSelectorMatchesTemplate, intOrPercent, rollingUpdateHook } from '../manifest/workload-fields';
import { ageOf } from '../print/age';
import { formatSelector } from '../print/labels';
import type { KindDefinition } from './kind';
import { containerCells } from './pod';
import { immutablePaths } from './immutable';

const deploymentSpec = S.obj(
  {
    replicas: nonNegative,
    selector: labelSelector,
    template: podTemplate,
    strategy: S.obj(
      {
        type: S.oneOf('RollingUpdate', 'Recreate'),
        rollingUpdate: S.obj({ maxSurge: intOrPercent, maxUnavailable: intOrPercent }, { hook: rollingUpdateHook('25%', '25%') }),
      },
      {
        hook: (o, path, ctx) => {
          if (o.type === 'Recreate' && o.rollingUpdate != null) err(ctx, join(path, 'rollingUpdate'), 'may not be specified when strategy type is Recreate');
        },
      },
    ),
    minReadySeconds: nonNegative,
    revisionHistoryLimit: nonNegative,
    progressDeadlineSeconds: positive,
    paused: S.bool,
  },
  {
    required: ['selector', 'template'],
    hook: (o, path, ctx) => {
      checkSelectorMatchesTemplate(o, path, ctx, true);
      checkRestartPolicy(o, path, ctx, ['Always'], false);
      if (typeof o.progressDeadlineSeconds === 'number' && typeof o.minReadySeconds === 'number' && o.progressDeadlineSeconds <= o.minReadySeconds) {
        err(ctx, join(path, 'progressDeadlineSeconds'), 'must be greater than minReadySeconds');
      }
    },
  },
);

export const deploymentKind: KindDefinition<Deployment> = {
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  plural: 'deployments',
  singular: 'deployment',
  shortNames: ['deploy'],
  namespaced: true,
  schema: S.obj({ ...base, ...status, spec: deploymentSpec }, { required: ['spec'] }),
  nameRule: dns1123SubdomainError,
  defaults(d) {
    const spec = specOf(d);
    if (!spec) return;
    setDefault(spec, 'replicas', 1);
    const strategy = child(spec, 'strategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const ru = child(strategy, 'rollingUpdate');
      setDefault(ru, 'maxSurge', '25%');
      setDefault(ru, 'maxUnavailable', '25%');
    }
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
    setDefault(spec, 'minReadySeconds', 0);
    defaultTemplate(spec, 'Always');
  },
  // apps/v1: the selector is fixed, or the Deployment would orphan the pods it made.
  immutable: immutablePaths('spec.selector'),
  table: {
    columns: [
      { name: 'NAME' }, { name: 'READY' }, { name: 'UP-TO-DATE' }, { name: 'AVAILABLE' }, { name: 'AGE' },
      { name: 'CONTAINERS', wide: true }, { name: 'IMAGES', wide: true }, { name: 'SELECTOR', wide: true },
    ],
    cells: (d, now) => [
      d.metadata.name,
      `${d.status?.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`,
      String(d.status?.updatedReplicas ?? 0),
      String(d.status?.availableReplicas ?? 0),
      ageOf(d, now),
      ...containerCells(d.spec.template.spec.containers),
      formatSelector(d.spec.selector),
    ],
  },
};
