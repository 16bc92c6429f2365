// The Job controller: runs pods until `completions` of them succeed, at most `parallelism` at a
// time; fails the Job after more than backoffLimit failed pods (BackoffLimitExceeded) or after
// activeDeadlineSeconds (DeadlineExceeded), deleting its running pods. Counts only grow: pods are
// the evidence, the status remembers what was counted before a pod was deleted.
import type { Condition, Job, Pod } from '../../common/api/types';
import { isKiteError } from '../../common/errors';
import { canonicalJson } from '../../common/canonical';
import type { WorkloadDeps } from './base';
import { PodOwnerController } from './pod-owner';
import type { PodIndex } from './pod-index';
import { generatedName, isLive, podFromTemplate, randomSuffix } from './pods';
import { rfc3339, setCondition } from './conditions';

const DEFAULT_BACKOFF_LIMIT = 6;
/** As Kubernetes: failed pods are replaced after 10 s, 20 s, 40 s ... at most 6 minutes. */
export const JOB_RETRY_BASE_MS = 10_000;
const JOB_RETRY_MAX_MS = 360_000;

/** How long after the latest failure a Job waits before replacing a failed pod. */
export function jobRetryDelayMs(failed: number): number {
  return failed <= 0 ? 0 : Math.min(JOB_RETRY_BASE_MS * 2 ** (failed - 1), JOB_RETRY_MAX_MS);
}
type JobStatus = NonNullable<Job['status']>;

export class JobController extends PodOwnerController<Job> {
  /** When this controller first saw each Job's current failure count (the back-off runs from there). */
  private readonly failuresSeen = new Map<string, { failed: number; at: number }>();

  constructor(deps: WorkloadDeps, pods: PodIndex) {
    super('job-controller', 'Job', deps, pods);
  }

  protected watchedKinds(): string[] {
    return ['Job', 'Pod'];
  }

  protected override forget(key: string): void {
    this.failuresSeen.delete(key);
    super.forget(key);
  }

  protected async reconcile(key: string): Promise<number | void> {
    const job = this.cached(key);
    if (!job) return;
    const now = this.clock.now();
    const pods = this.pods.ownedBy(job.metadata.uid);
    const active = pods.filter(isLive);
    const prev = job.status ?? {};
    // A finished pod is removed at once when deleted, so a Terminating pod that now shows an end
    // was stopped by its deletion: neither a completion nor a failure of the Job's work.
    const ended = (phase: string) => pods.filter((p) => p.status?.phase === phase && !p.metadata.deletionTimestamp).length;
    const succeeded = Math.max(prev.succeeded ?? 0, ended('Succeeded'));
    const failed = Math.max(prev.failed ?? 0, ended('Failed'));
    const finished = isFinished(job);
    const startTime = prev.startTime ?? rfc3339(now);
    const completions = job.spec.completions ?? 1;
    const parallelism = job.spec.parallelism ?? 1;
    const backoffLimit = job.spec.backoffLimit ?? DEFAULT_BACKOFF_LIMIT;
    let conditions = prev.conditions;
    let completionTime = prev.completionTime;
    let requeue: number | undefined;
    let stillActive = active;

    if (!finished) {
      const deadline = job.spec.activeDeadlineSeconds;
      const deadlineLeft = deadline !== undefined ? Date.parse(startTime) + deadline * 1000 - now : Infinity;
      let failure: { reason: string; message: string } | undefined;
      if (succeeded >= completions) {
        conditions = setCondition(conditions, { type: 'Complete', status: 'True' }, now);
        completionTime = rfc3339(now);
        this.events.record(job, 'Normal', 'Completed', 'Job completed');
      } else if (failed > backoffLimit) {
        failure = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
      } else if (deadlineLeft <= 0) {
        failure = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
      }
      if (failure) {
        conditions = setCondition(conditions, { type: 'Failed', status: 'True', ...failure }, now);
        this.events.record(job, 'Warning', failure.reason, failure.message);
      }
      if (failure || succeeded >= completions) {
        stillActive = await this.deleteAll(key, active);
      } else if (this.expectations.satisfied(key)) {
        const want = Math.min(parallelism, completions - succeeded);
        const retryIn = this.retryWaitMs(key, failed, now);
        if (active.length < want && retryIn > 0) {
          requeue = retryIn;
        } else if (active.length < want) {
          await this.createPodsFor(key, job, want - active.length);
        } else if (active.length > want) {
          // Parallelism went down: the newest pods go first.
          const extra = [...active].sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '')).slice(0, active.length - want);
          stillActive = active.filter((p) => !extra.includes(p)).concat(await this.deleteAll(key, extra));
        }
        if (Number.isFinite(deadlineLeft)) requeue = Math.min(requeue ?? Infinity, deadlineLeft);
      } else {
        requeue = Math.min(this.expectations.expiresInMs(key), deadlineLeft);
      }
    } else if (active.length) {
      // Finished (e.g. failed before a restart): nothing of it keeps running.
      stillActive = await this.deleteAll(key, active);
    }

    const status: JobStatus = {
      ...prev,
      active: stillActive.length,
      succeeded,
      failed,
      startTime,
      ...(completionTime ? { completionTime } : {}),
      ...(conditions ? { conditions: conditions as Condition[] } : {}),
    };
    if (canonicalJson(prev) !== canonicalJson(status)) {
      try {
        await this.store.updateStatus<Job>({ ...job, metadata: { ...job.metadata, resourceVersion: undefined }, status });
      } catch (e) {
        if (!isKiteError(e, 'NotFound')) throw e;
      }
    }
    // ttlSecondsAfterFinished: a finished Job (and, through the garbage collector, its pods) goes away.
    const ttl = job.spec.ttlSecondsAfterFinished;
    const finishedAt = finishTime(conditions);
    if (ttl !== undefined && finishedAt !== undefined) {
      const left = finishedAt + ttl * 1000 - now;
      if (left > 0) return Math.min(requeue ?? Infinity, left);
      try {
        await this.store.delete('Job', job.metadata.namespace ?? 'default', job.metadata.name, { resourceVersion: undefined });
        this.log.info({ job: key, ttlSeconds: ttl }, 'deleted finished job (ttlSecondsAfterFinished)');
      } catch (e) {
        if (!isKiteError(e, 'NotFound')) throw e;
      }
      return;
    }
    return requeue;
  }

  /** Milliseconds left of the back-off after the latest failure (0: replace failed pods now). */
  private retryWaitMs(key: string, failed: number, now: number): number {
    if (failed <= 0) return 0;
    let seen = this.failuresSeen.get(key);
    if (!seen || seen.failed !== failed) this.failuresSeen.set(key, (seen = { failed, at: now }));
    return Math.max(0, seen.at + jobRetryDelayMs(failed) - now);
  }

  private async createPodsFor(key: string, job: Job, n: number): Promise<void> {
    const labels = { ...(job.spec.selector?.matchLabels ?? {}), 'job-name': job.metadata.name };
    const fresh = Array.from({ length: n }, () => podFromTemplate(job.spec.template, job, generatedName(job.metadata.name, randomSuffix()), labels));
    const created = await this.createOwnedPods(key, fresh);
    for (const p of created.slice(0, 10)) this.events.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${p.metadata.name}`);
  }

  /** Deletes the pods (throws to retry if any could not be); returns what is left running: nothing. */
  private async deleteAll(key: string, pods: Pod[]): Promise<Pod[]> {
    if (!pods.length) return [];
    await this.deleteOwnedPods(key, pods);
    return [];
  }
}

/** The Job's Complete or Failed condition, once True: the Job has finished. */
function finishedCondition(conditions: readonly Condition[] | undefined): Condition | undefined {
  return conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** When the Job finished (its Complete or Failed condition turned True), in ms. */
function finishTime(conditions: readonly Condition[] | undefined): number | undefined {
  const c = finishedCondition(conditions);
  const t = c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

function isFinished(job: Job): boolean {
  return finishedCondition(job.status?.conditions) !== undefined;
}
