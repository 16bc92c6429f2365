// kite create: kubectl's imperative create, for a namespace (only a name) and for a Job run by
// hand from a CronJob's template (`kite create job NAME --from=cronjob/X`).
import type { CronJob, Namespace } from '../../common/api/types';
import { alreadyExists, invalid, isKiteError, notFound } from '../../common/errors';
import { MANUAL_INSTANTIATE_ANNOTATION, jobFromCronJob } from '../../common/kinds/cronjob';
import { lookupKind } from '../../common/kinds/registry';
import { type CliContext, qualifiedName } from '../context';

export interface CreateFlags {
  /** `cronjob/NAME`: the object whose template the Job is made from. */
  from?: string;
}

export async function createCommand(ctx: CliContext, kindArg: string, name: string, flags: CreateFlags = {}): Promise<void> {
  const def = lookupKind(kindArg);
  if (def?.kind === 'Job') return createJobFrom(ctx, name, flags.from);
  if (flags.from !== undefined) throw invalid(`--from is only for "kite create job NAME --from=cronjob/NAME"`);
  if (def?.kind !== 'Namespace') throw invalid(`kite create supports "namespace" and "job --from=cronjob/NAME" (got "${kindArg}"); use kite apply -f for other kinds`);
  const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
  const res = await ctx.client.apply([ns], false);
  const r = res.results[0]!;
  if (r.action !== 'created') throw alreadyExists(`namespaces "${name}" already exists`);
  process.stdout.write(`${qualifiedName(r)} created\n`);
}

/** As kubectl: the CronJob's jobTemplate, annotated as run by hand, controlled by the CronJob. */
async function createJobFrom(ctx: CliContext, name: string, from: string | undefined): Promise<void> {
  if (!from) throw invalid('kite create job needs --from=cronjob/NAME (other Jobs: kite apply -f)');
  const [kindPart, sourceName] = from.split('/', 2) as [string, string | undefined];
  if (!sourceName) throw invalid(`--from=${from}: must be cronjob/NAME`);
  if (lookupKind(kindPart)?.kind !== 'CronJob') throw invalid(`--from=${from}: a Job can only be created from a cronjob (cronjob/NAME)`);
  const namespace = ctx.namespace;
  let cronJob: CronJob;
  try {
    cronJob = await ctx.client.get<CronJob>('CronJob', sourceName, namespace);
  } catch (e) {
    if (isKiteError(e, 'NotFound')) throw notFound(`cronjobs.batch "${sourceName}" not found in namespace "${namespace}"`);
    throw e;
  }
  // apply would update a Job that exists; create must refuse it, as kubectl does.
  const existing = await ctx.client.get('Job', name, namespace).catch((e: unknown) => {
    if (isKiteError(e, 'NotFound')) return undefined;
    throw e;
  });
  if (existing) throw alreadyExists(`jobs.batch "${name}" already exists`);
  const job = jobFromCronJob(cronJob, name, { [MANUAL_INSTANTIATE_ANNOTATION]: 'manual' });
  const res = await ctx.client.apply([job], false);
  const r = res.results[0]!;
  if (r.action !== 'created') throw alreadyExists(`jobs.batch "${name}" already exists`);
  process.stdout.write(`${qualifiedName(r)} created\n`);
}
