// Places pods on nodes: filter for feasible nodes, rank them, assume the winner into the
// snapshot. Pure and synchronous; the caller persists bindings and calls snapshot.forget()
// for any binding that fails.
import type { Pod } from '../../common/api/types';
import { errorMessage, isKiteError } from '../../common/errors';
import type { ClusterChange } from './cluster-change';
import { equivalenceKeyFor, type EquivalenceKey } from './equivalence';
import { FitDiagnosis, FitError } from './explain';
import { DEFAULT_FILTERS } from './filters';
import type { Filter, Rejection } from './filters/filter';
import { pipelineFor } from './pipeline';
import { podInfoOf, type PodInfo } from './pod-info';
import { DEFAULT_SCORERS } from './scorers';
import type { Scorer } from './scorers/scorer';
import type { ClusterSnapshot } from './snapshot';

export type ScheduleResult = { node: string } | { unschedulable: FitError };

export interface SchedulerOptions {
  filters?: readonly Filter[];
  scorers?: readonly Scorer[];
  /** In clusters larger than minFeasibleNodesToFind, stop filtering once this percentage of the
   *  nodes were found feasible (kube-scheduler's percentageOfNodesToScore). 100 = score all. */
  percentageOfNodesToScore?: number;
  minFeasibleNodesToFind?: number;
}

/** With no nodes, only a node joining can help. */
const NODE_ADDED: ReadonlySet<ClusterChange> = new Set(['added']);
/** A pod whose requests do not parse fits nowhere whatever the cluster does. */
const NOTHING: ReadonlySet<ClusterChange> = new Set();

export const DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE = 10;
export const DEFAULT_MIN_FEASIBLE_NODES_TO_FIND = 100;

export class Scheduler {
  private readonly filters: readonly Filter[];
  private readonly filtersByName: ReadonlyMap<string, Filter>;
  private readonly equivalenceKey: EquivalenceKey;
  private readonly scorers: readonly Scorer[];
  private readonly percentage: number;
  private readonly minFeasible: number;
  // Scratch buffers reused across pods: the hot loop allocates nothing per node.
  private feasible = new Int32Array(0);
  private totals = new Float64Array(0);
  private scratch = new Float64Array(0);

  constructor(opts: SchedulerOptions = {}) {
    this.filters = opts.filters ?? DEFAULT_FILTERS;
    this.filtersByName = new Map(this.filters.map((f) => [f.name, f]));
    this.equivalenceKey = equivalenceKeyFor(this.filters);
    this.scorers = opts.scorers ?? DEFAULT_SCORERS;
    this.percentage = Math.min(100, Math.max(1, opts.percentageOfNodesToScore ?? DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE));
    this.minFeasible = Math.max(1, opts.minFeasibleNodesToFind ?? DEFAULT_MIN_FEASIBLE_NODES_TO_FIND);
  }

  /** How many feasible nodes are enough to pick from in a cluster of n nodes. */
  feasibleNodesToFind(n: number): number {
    if (n <= this.minFeasible || this.percentage >= 100) return n;
    return Math.min(n, Math.max(this.minFeasible, Math.ceil((n * this.percentage) / 100)));
  }

  /**
   * Picks a node for the pod and assumes the pod onto it in the snapshot.
   * A pod already bound or assumed in the snapshot keeps its node (idempotent retries).
   * Throws KiteError Invalid when the pod's resource quantities do not parse.
   */
  schedule(pod: Pod, snapshot: ClusterSnapshot): ScheduleResult {
    const placed = snapshot.nodeOf(pod);
    if (placed !== undefined) return { node: placed };
    const info = podInfoOf(pod);
    const nodes = snapshot.nodes;
    const n = nodes.length;
    if (n === 0) return { unschedulable: new FitError(0, new Map(), NODE_ADDED) };
    const { checks, scorers } = pipelineFor(info, this.filters, this.scorers, snapshot);
    const wanted = this.feasibleNodesToFind(n);
    this.ensureCapacity(Math.min(n, wanted));

    // Scan from a rotating start: large clusters sample a different window each time, and ties
    // (resolved to the earliest scanned node) go to a different node for each pod.
    const start = snapshot.cursor % n;
    let found = 0;
    let scanned = 0;
    let diagnosis: FitDiagnosis | undefined;
    while (scanned < n && found < wanted) {
      const idx = (start + scanned) % n;
      scanned++;
      const node = nodes[idx]!;
      // firstRejection, inlined: this is the innermost loop of the whole scheduler.
      let rejection: Rejection | null = null;
      for (let f = 0; f < checks.length && rejection === null; f++) rejection = checks[f]!(info, node);
      if (rejection === null) this.feasible[found++] = idx;
      else (diagnosis ??= new FitDiagnosis(this.filtersByName)).add(rejection);
    }
    snapshot.cursor = (start + scanned + 1) % n;

    if (found === 0) return { unschedulable: diagnosis!.toError(n) };
    const chosen = found === 1 ? this.feasible[0]! : this.feasible[this.best(info, snapshot, found, scorers)]!;
    const node = nodes[chosen]!;
    snapshot.assume(pod, node.name);
    return { node: node.name };
  }

  /**
   * Schedules pods in order against one snapshot; each placement is visible to the next pod.
   * A pod with unparseable requests gets an unresolvable FitError instead of failing the batch.
   */
  scheduleAll(pods: readonly Pod[], snapshot: ClusterSnapshot): ScheduleResult[] {
    // Within a batch, assume() only ever consumes capacity, so a pod that fit nowhere keeps
    // fitting nowhere until something is forgotten. Equivalent pods (equal in every fact the
    // filters read: replicas of one template) then reuse the first one's FitError instead of
    // re-filtering every node.
    const failures = new Map<string, FitError>();
    let releases = snapshot.releases;
    const results: ScheduleResult[] = [];
    for (const pod of pods) {
      if (snapshot.releases !== releases) {
        failures.clear();
        releases = snapshot.releases;
      }
      let info: PodInfo;
      try {
        info = podInfoOf(pod);
      } catch (e) {
        if (!isKiteError(e, 'Invalid')) throw e;
        const msg = `pod has invalid resource requests: ${errorMessage(e)}`;
        results.push({ unschedulable: new FitError(snapshot.nodes.length, new Map(), NOTHING, msg) });
        continue;
      }
      const signature = failures.size > 0 ? this.equivalenceKey(info) : undefined;
      const known = signature !== undefined ? failures.get(signature) : undefined;
      if (known) {
        results.push({ unschedulable: known });
        continue;
      }
      const result = this.schedule(pod, snapshot);
      if ('unschedulable' in result) failures.set(signature ?? this.equivalenceKey(info), result.unschedulable);
      results.push(result);
    }
    return results;
  }

  /** Index into this.feasible of the highest weighted total; ties keep the earliest scanned. */
  private best(pod: PodInfo, snapshot: ClusterSnapshot, count: number, scorers: readonly Scorer[]): number {
    const nodes = snapshot.nodes;
    const totals = this.totals;
    const raw = this.scratch;
    totals.fill(0, 0, count);
    for (const scorer of scorers) {
      const score = scorer.prepare ? scorer.prepare(pod, snapshot) : scorer.score;
      for (let i = 0; i < count; i++) raw[i] = score(pod, nodes[this.feasible[i]!]!);
      scorer.normalize?.(raw, count);
      for (let i = 0; i < count; i++) totals[i]! += scorer.weight * raw[i]!;
    }
    let best = 0;
    for (let i = 1; i < count; i++) if (totals[i]! > totals[best]!) best = i;
    return best;
  }

  private ensureCapacity(size: number): void {
    if (this.feasible.length >= size) return;
    this.feasible = new Int32Array(size);
    this.totals = new Float64Array(size);
    this.scratch = new Float64Array(size);
  }
}

const defaultScheduler = new Scheduler();

/** Schedules one pod with the default filters and scorers. */
export function schedule(pod: Pod, snapshot: ClusterSnapshot): ScheduleResult {
  return defaultScheduler.schedule(pod, snapshot);
}

/** Schedules pods in order with the default filters and scorers. */
export function scheduleAll(pods: readonly Pod[], snapshot: ClusterSnapshot): ScheduleResult[] {
  return defaultScheduler.scheduleAll(pods, snapshot);
}
