// The CronJob controller (leader only), after Kubernetes' cronjob controller v2: at each time of
// the schedule it creates one Job from the jobTemplate, named after that time so that a retry, a
// second controller or a new leader cannot run it twice. It wakes itself at the next time through
// the work queue's delayed add. After an outage it runs at most one catch-up (the most recent
// missed time), never one per missed time. It keeps status (active Jobs, last schedule, last
// success) and deletes the oldest finished Jobs beyond the history limits.
import type { CronJob, Job, ObjectReference } from '../../common/api/types';
import { CronSchedule } from '../../common/cron-schedule';
import { canonicalJson } from '../../common/canonical';
import { isKiteError } from '../../common/errors';
import { MANUAL_INSTANTIATE_ANNOTATION, jobFromCronJob } from '../../common/kinds/cronjob';
import { applyDefaults } from '../../common/manifest';
import { formatTimestamp, parseTime } from '../../common/print/age';
import { WorkloadController, type WorkloadDeps } from './base';
import { rfc3339 } from './conditions';
import { controllerRef, ownerKey } from './pods';

/** Stamped on each scheduled Job: the time it was scheduled for, RFC 3339 in the CronJob's zone. */
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** More missed times than this means clock skew or a long outage; Kubernetes warns (TooManyMissedTimes). */
const TOO_MANY_MISSED = 100;
const DEFAULT_SUCCESSFUL_HISTORY = 3;
const DEFAULT_FAILED_HISTORY = 1;

type CronJobStatus = NonNullable<CronJob['status']>;

/** The Job's name for a scheduled time: `<cronjob>-<minutes since the epoch>`, as Kubernetes. */
export function scheduledJobName(cronJobName: string, scheduledMs: number): string {
  return `${cronJobName}-${Math.floor(scheduledMs / 60_000)}`;
}

/** Complete or Failed (True), or undefined while the Job runs. */
export function jobFinishedAs(job: Job): 'Complete' | 'Failed' | undefined {
  const c = job.status?.conditions?.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c?.type as 'Complete' | 'Failed' | undefined;
}

/** What one pass decided about the schedule. */
interface ScheduleOutcome {
  /** The scheduled time now accounted for (a Job created, or found already made). */
  scheduledAt?: number;
  /** The Jobs that count as active afterwards. */
  active: Job[];
  /** Milliseconds until the pass should run again, if time alone will change something. */
  wakeInMs?: number;
}

export class CronJobController extends WorkloadController<CronJob> {
  /**
   * Per CronJob, the "why not now" events already recorded for a scheduled time (MissSchedule,
   * JobAlreadyActive, ...), so every Job status change that re-runs the pass does not repeat them.
   */
  private readonly noted = new Map<string, Set<string>>();

  constructor(deps: WorkloadDeps) {
    super('cronjob-controller', 'CronJob', deps);
    this.informers.get<Job>('Job').on((_type, job, old) => {
      const key = ownerKey(job, 'CronJob') ?? (old ? ownerKey(old, 'CronJob') : undefined);
      if (key) this.enqueueSoon(key);
    });
  }

  protected watchedKinds(): string[] {
    return ['CronJob', 'Job'];
  }

  protected override forget(key: string): void {
    this.noted.delete(key);
  }

  protected async reconcile(key: string): Promise<number | void> {
    const cj = this.cached(key);
    if (!cj || cj.metadata.deletionTimestamp) return;
    const now = this.clock.now();
    const prev = cj.status ?? {};
    const jobs = this.jobsOf(cj);
    const wasActive = new Set((prev.active ?? []).map((r) => r.uid));
    const finished = jobs.filter((j) => jobFinishedAs(j) !== undefined);
    for (const j of finished) {
      if (wasActive.has(j.metadata.uid)) this.events.record(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${jobFinishedAs(j)}`);
    }
    await this.trimHistory(cj, finished);
    // A Job made by hand (kite create job --from) is the CronJob's but not one of its runs: as in
    // Kubernetes, it is not listed as active and does not hold back a Forbid schedule.
    const running = jobs.filter((j) => jobFinishedAs(j) === undefined && j.metadata.annotations?.[MANUAL_INSTANTIATE_ANNOTATION] !== 'manual');

    // Suspended: nothing new starts; what runs keeps running.
    const outcome: ScheduleOutcome = cj.spec.suspend ? { active: running } : await this.scheduleDue(key, cj, jobs, running, now);

    const lastSuccess = Math.max(parseTime(prev.lastSuccessfulTime) ?? -Infinity, ...finished.filter((j) => jobFinishedAs(j) === 'Complete').map((j) => parseTime(j.status?.completionTime) ?? -Infinity));
    const lastScheduleTime = outcome.scheduledAt !== undefined && outcome.scheduledAt > (parseTime(prev.lastScheduleTime) ?? -Infinity) ? rfc3339(outcome.scheduledAt) : prev.lastScheduleTime;
    const status: CronJobStatus = {
      ...(outcome.active.length ? { active: outcome.active.map(referenceTo).sort((a, b) => a.name.localeCompare(b.name)) } : {}),
      ...(lastScheduleTime ? { lastScheduleTime } : {}),
      ...(Number.isFinite(lastSuccess) ? { lastSuccessfulTime: rfc3339(lastSuccess) } : {}),
    };
    if (canonicalJson(prev) !== canonicalJson(status)) {
      try {
        await this.store.updateStatus<CronJob>({ ...cj, metadata: { ...cj.metadata, resourceVersion: undefined }, status });
      } catch (e) {
        if (!isKiteError(e, 'NotFound')) throw e;
      }
    }
    return outcome.wakeInMs;
  }

  /** Creates the Job for the most recent due time, if any is due and the policy allows it. */
  private async scheduleDue(key: string, cj: CronJob, jobs: Job[], running: Job[], now: number): Promise<ScheduleOutcome> {
    const schedule = CronSchedule.parse(cj.spec.schedule, cj.spec.timeZone);
    if ('problem' in schedule) {
      // Validation refuses these; one stored by an older Kite would land here.
      this.noteOnce(key, cj, `invalid:${cj.spec.schedule}`, 'Warning', 'InvalidSchedule', `invalid schedule ${JSON.stringify(cj.spec.schedule)}: ${schedule.problem}`);
      return { active: running };
    }
    const last = parseTime(cj.status?.lastScheduleTime) ?? parseTime(cj.metadata.creationTimestamp) ?? now;
    // The next time strictly after now (a schedule that ends, like a date in one year, has none).
    const next = schedule.nextAfter(now);
    const wakeInMs = next === undefined ? undefined : next - now;
    const due = schedule.latestAtOrBefore(now);
    if (due === undefined || due <= last) return { active: running, wakeInMs };

    const deadlineMs = cj.spec.startingDeadlineSeconds !== undefined ? cj.spec.startingDeadlineSeconds * 1000 : undefined;
    const countedFrom = deadlineMs !== undefined ? Math.max(last, now - deadlineMs) : last;
    if (schedule.countBetween(countedFrom, now, TOO_MANY_MISSED + 1) > TOO_MANY_MISSED) {
      this.noteOnce(key, cj, `many:${due}`, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
    }
    if (deadlineMs !== undefined && due + deadlineMs < now) {
      this.noteOnce(key, cj, `miss:${due}`, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${formatTimestamp(rfc3339(due), 0)}`);
      return { active: running, wakeInMs };
    }
    const name = scheduledJobName(cj.metadata.name, due);
    if (jobs.some((j) => j.metadata.name === name)) return { scheduledAt: due, active: running, wakeInMs };

    const policy = cj.spec.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && running.length) {
      // When the running Job finishes, its event brings us back: the time is then run late if still within the deadline.
      this.noteOnce(key, cj, `forbid:${due}`, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return { active: running, wakeInMs };
    }
    let stillRunning = running;
    if (policy === 'Replace' && running.length) {
      for (const j of running) await this.deleteJob(cj, j);
      stillRunning = [];
    }
    const created = await this.createJob(key, cj, schedule, name, due);
    if (!created) return { active: stillRunning, wakeInMs };
    return { scheduledAt: due, active: [...stillRunning, created], wakeInMs };
  }

  /** Creates the scheduled Job; an existing one of ours counts as created. Undefined if the name is taken by another's Job. */
  private async createJob(key: string, cj: CronJob, schedule: CronSchedule, name: string, scheduledAt: number): Promise<Job | undefined> {
    const job = applyDefaults(jobFromCronJob(cj, name, { [SCHEDULED_TIMESTAMP_ANNOTATION]: schedule.format(scheduledAt) }));
    try {
      const created = await this.store.create(job);
      this.events.record(cj, 'Normal', 'SuccessfulCreate', `Created job ${name}`);
      return created;
    } catch (e) {
      if (!isKiteError(e, 'AlreadyExists')) {
        this.events.record(cj, 'Warning', 'FailedCreate', `Error creating job: ${(e as Error).message}`);
        throw e;
      }
    }
    // Another controller (or an earlier pass whose status write was lost) made it: fine if it is ours.
    const existing = await this.store.get<Job>('Job', job.metadata.namespace ?? 'default', name);
    if (existing && controllerRef(existing)?.uid === cj.metadata.uid) return existing;
    this.noteOnce(key, cj, `taken:${name}`, 'Warning', 'FailedCreate', `job ${name} already exists and is not owned by cronjob ${cj.metadata.name}`);
    return undefined;
  }

  /** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit. */
  private async trimHistory(cj: CronJob, finished: Job[]): Promise<void> {
    const limits = { Complete: cj.spec.successfulJobsHistoryLimit ?? DEFAULT_SUCCESSFUL_HISTORY, Failed: cj.spec.failedJobsHistoryLimit ?? DEFAULT_FAILED_HISTORY };
    for (const outcome of ['Complete', 'Failed'] as const) {
      const ofOutcome = finished.filter((j) => jobFinishedAs(j) === outcome).sort(byStartTime);
      for (const j of ofOutcome.slice(0, Math.max(0, ofOutcome.length - limits[outcome]))) await this.deleteJob(cj, j);
    }
  }

  /** Deletes a Job; the garbage collector then removes its pods (background propagation). */
  private async deleteJob(cj: CronJob, job: Job): Promise<void> {
    try {
      await this.store.delete('Job', job.metadata.namespace ?? 'default', job.metadata.name, { resourceVersion: undefined });
      this.events.record(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
    } catch (e) {
      if (!isKiteError(e, 'NotFound')) throw e;
    }
  }

  /** The CronJob's Jobs (it is their controlling owner) from the Job cache. */
  private jobsOf(cj: CronJob): Job[] {
    const out: Job[] = [];
    for (const j of this.informers.get<Job>('Job').list()) {
      if (j.metadata.namespace === cj.metadata.namespace && controllerRef(j)?.uid === cj.metadata.uid) out.push(j);
    }
    return out;
  }

  private noteOnce(key: string, cj: CronJob, what: string, type: 'Normal' | 'Warning', reason: string, message: string): void {
    let seen = this.noted.get(key);
    if (!seen) this.noted.set(key, (seen = new Set()));
    if (seen.has(what)) return;
    // Bounded: only the recent reasons matter.
    if (seen.size > 50) seen.clear();
    seen.add(what);
    this.events.record(cj, type, reason, message);
  }
}

function referenceTo(job: Job): ObjectReference {
  return { apiVersion: 'batch/v1', kind: 'Job', namespace: job.metadata.namespace ?? 'default', name: job.metadata.name, uid: job.metadata.uid };
}

/** Oldest first: by start time (Jobs not yet started last), then name. */
function byStartTime(a: Job, b: Job): number {
  const ta = parseTime(a.status?.startTime) ?? Infinity;
  const tb = parseTime(b.status?.startTime) ?? Infinity;
  return ta !== tb ? ta - tb : a.metadata.name.localeCompare(b.metadata.name);
}
