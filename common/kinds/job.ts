// Job: runs pods until a number of them succeed.
import type { Job } from '../api/types';
import { S, base, labelSelector, nonNegative, positive, set, status } from '../manifest/fields';
import { dns1123SubdomainError } from '../manifest/names';
import { child, defaultTemplate, setDefault, specOf } from '../manifest/pod-defaults';
import { podTemplate } from '../manifest/pod-fields';
import { isObj } from '../manifest/schema';
import { checkRestartPolicy, checkSelectorMatchesTemplate } from '../manifest/workload-fields';
import { ageOf, formatSpan, humanDuration, parseTime } from '../print/age';
import { formatSelector } from '../print/labels';
import type { KindDefinition } from './kind';
import { containerCells } from './pod';
import { immutablePaths } from './immutable';

/** A Job's spec; a CronJob's jobTemplate.spec is validated by the same schema. */
export const jobSpec = S.obj(
  {
    completions: nonNegative,
    parallelism: nonNegative,
    backoffLimit: nonNegative,
    activeDeadlineSeconds: positive,
    selector: labelSelector,
    template: podTemplate,
    ttlSecondsAfterFinished: nonNegative,
  },
  {
    required: ['template'],
    unsupported: set('completionMode', 'suspend', 'podFailurePolicy', 'backoffLimitPerIndex', 'maxFailedIndexes', 'manualSelector', 'podReplacementPolicy', 'successPolicy', 'managedBy'),
    hook: (o, path, ctx) => {
      checkSelectorMatchesTemplate(o, path, ctx, false);
      checkRestartPolicy(o, path, ctx, ['OnFailure', 'Never'], true);
    },
  },
);

/** kubectl 1.28+ job STATUS. */
export function jobStatus(job: Job): string {
  const has = (type: string) => job.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

export function jobCompletions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec.completions !== undefined) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** Run time so far, or start-to-completion once done; "" before the job starts. */
export function jobDuration(job: Job, now: number): string {
  const start = parseTime(job.status?.startTime);
  if (start === undefined) return '';
  if (job.status?.completionTime) return formatSpan(job.status.startTime, job.status.completionTime);
  return humanDuration(now - start);
}

export const jobKind: KindDefinition<Job> = {
  kind: 'Job',
  apiVersion: 'batch/v1',
  plural: 'jobs',
  singular: 'job',
  shortNames: [],
  namespaced: true,
  schema: S.obj({ ...base, ...status, spec: jobSpec }, { required: ['spec'] }),
  nameRule: dns1123SubdomainError,
  /**
   * Kubernetes selects a Job's pods by a generated controller-uid label. Kite has no uid at manifest time, so it
   * labels the template with `job-name` (as Kubernetes also does) and selects on the template's labels.
   */
  defaults(job) {
    const spec = specOf(job);
    if (!spec) return;
    setDefault(spec, 'completions', 1);
    setDefault(spec, 'parallelism', 1);
    setDefault(spec, 'backoffLimit', 6);
    if (spec.selector == null && isObj(spec.template)) {
      const labels = child(child(spec.template, 'metadata'), 'labels');
      setDefault(labels, 'job-name', String(job.metadata?.name ?? ''));
      spec.selector = { matchLabels: { ...labels } };
    }
    defaultTemplate(spec, undefined);
  },
  // batch/v1: the pods a Job runs are fixed when it is created.
  immutable: immutablePaths('spec.selector', 'spec.template'),
  table: {
    columns: [
      { name: 'NAME' }, { name: 'STATUS' }, { name: 'COMPLETIONS' }, { name: 'DURATION' }, { name: 'AGE' },
      { name: 'CONTAINERS', wide: true }, { name: 'IMAGES', wide: true }, { name: 'SELECTOR', wide: true },
    ],
    cells: (j, now) => [
      j.metadata.name, jobStatus(j), jobCompletions(j), jobDuration(j, now), ageOf(j, now),
      ...containerCells(j.spec.template.spec.containers), formatSelector(j.spec.selector),
    ],
  },
};
