// CronJob (batch/v1): creates a Job from its jobTemplate at each time of its cron schedule.
import type { CronJob, Job } from '../api/types';
import { cronScheduleProblem, timeZoneProblem } from '../cron-schedule';
import { S, base, err, nonNegative, status, templateMetadata } from '../manifest/fields';
import { dns1123SubdomainError } from '../manifest/names';
import { child, defaultTemplate, setDefault, specOf } from '../manifest/pod-defaults';
import { isObj } from '../manifest/schema';
import { ageOf, humanDuration, parseTime } from '../print/age';
import { formatSelector } from '../print/labels';
import type { KindDefinition } from './kind';
import { jobSpec } from './job';
import { containerCells } from './pod';

/**
 * A scheduled Job is named `<cronjob>-<scheduled minute since the epoch>` (8 digits until the
 * 2160s), and its pods carry that name in their `job-name` label, which may be 63 characters:
 * Kubernetes keeps CronJob names to 52 for that.
 */
export const CRONJOB_NAME_MAX = 52;

const cronJobSpec = S.obj(
  {
    schedule: S.nonEmpty(),
    timeZone: S.str(),
    startingDeadlineSeconds: nonNegative,
    concurrencyPolicy: S.oneOf('Allow', 'Forbid', 'Replace'),
    suspend: S.bool,
    jobTemplate: S.obj({ metadata: templateMetadata, spec: jobSpec }, { required: ['spec'] }),
    successfulJobsHistoryLimit: nonNegative,
    failedJobsHistoryLimit: nonNegative,
  },
  {
    required: ['schedule', 'jobTemplate'],
    hook: (o, path, ctx) => {
      if (typeof o.schedule === 'string') {
        const problem = cronScheduleProblem(o.schedule);
        if (problem) err(ctx, `${path}.schedule`, `invalid schedule ${JSON.stringify(o.schedule)}: ${problem}`);
      }
      if (typeof o.timeZone === 'string') {
        const problem = timeZoneProblem(o.timeZone);
        if (problem) err(ctx, `${path}.timeZone`, problem);
      }
    },
  },
);

function cronJobNameError(name: string): string | undefined {
  if (name.length > CRONJOB_NAME_MAX) return `must be no more than ${CRONJOB_NAME_MAX} characters (got ${name.length}): the Jobs it creates add 9 more`;
  return dns1123SubdomainError(name);
}

/** kubectl's LAST SCHEDULE: how long ago the latest Job was scheduled, or <none>. */
function lastScheduleCell(cj: CronJob, now: number): string {
  const t = parseTime(cj.status?.lastScheduleTime);
  return t === undefined ? '<none>' : humanDuration(now - t);
}

export const cronJobKind: KindDefinition<CronJob> = {
  kind: 'CronJob',
  apiVersion: 'batch/v1',
  plural: 'cronjobs',
  singular: 'cronjob',
  shortNames: ['cj'],
  namespaced: true,
  schema: S.obj({ ...base, ...status, spec: cronJobSpec }, { required: ['spec'] }),
  nameRule: cronJobNameError,
  // As Kubernetes: the CronJob's own fields and its pod template are defaulted; the Job fields
  // (selector, completions, ...) are defaulted on each Job it creates, whose name they depend on.
  defaults(cj) {
    const spec = specOf(cj);
    if (!spec) return;
    setDefault(spec, 'concurrencyPolicy', 'Allow');
    setDefault(spec, 'suspend', false);
    setDefault(spec, 'successfulJobsHistoryLimit', 3);
    setDefault(spec, 'failedJobsHistoryLimit', 1);
    if (isObj(spec.jobTemplate)) defaultTemplate(child(spec.jobTemplate, 'spec'), undefined);
  },
  table: {
    columns: [
      { name: 'NAME' }, { name: 'SCHEDULE' }, { name: 'TIMEZONE' }, { name: 'SUSPEND' }, { name: 'ACTIVE' }, { name: 'LAST SCHEDULE' }, { name: 'AGE' },
      { name: 'CONTAINERS', wide: true }, { name: 'IMAGES', wide: true }, { name: 'SELECTOR', wide: true },
    ],
    cells: (cj, now) => [
      cj.metadata.name,
      cj.spec.schedule,
      cj.spec.timeZone ?? '<none>',
      cj.spec.suspend === undefined ? '<unset>' : cj.spec.suspend ? 'True' : 'False',
      String(cj.status?.active?.length ?? 0),
      lastScheduleCell(cj, now),
      ageOf(cj, now),
      ...containerCells(cj.spec.jobTemplate.spec.template.spec.containers),
      formatSelector(cj.spec.jobTemplate.spec.selector),
    ],
  },
};

/** Set by `kite create job --from=cronjob/X` (as kubectl): a Job run by hand, not on schedule. */
export const MANUAL_INSTANTIATE_ANNOTATION = 'cronjob.kubernetes.io/instantiate';

/**
 * A Job (not yet defaulted or stored) from the CronJob's jobTemplate: its labels and annotations
 * plus `annotations`, and the CronJob as its controlling owner, as both the controller and
 * kubectl's `create job --from=cronjob/X` make it.
 */
export function jobFromCronJob(cj: CronJob, name: string, annotations: Record<string, string>): Job {
  const template = cj.spec.jobTemplate;
  const labels = { ...(template.metadata?.labels ?? {}) };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cj.metadata.namespace ?? 'default',
      ...(Object.keys(labels).length ? { labels } : {}),
      annotations: { ...(template.metadata?.annotations ?? {}), ...annotations },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name, uid: cj.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: structuredClone(template.spec),
  };
}
