// `kite describe` for deployments, replicasets, daemonsets and jobs (kubectl's layouts).
import type { DaemonSet, Deployment, Job, Pod, ReplicaSet } from '../../common/api/types';
import { formatSpan, formatTimestamp } from '../../common/print/age';
import { DescribeWriter, LEVEL_0 } from './describe-writer';
import {
  type DescribeTime, writeAnnotations, writeConditions, writeControlledBy, writeLabels, writePodTemplate,
} from './describe-sections';
import { formatLabels, formatSelector } from '../../common/print/labels';

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const TEMPLATE_HASH_LABEL = 'pod-template-hash';

export function describeDeployment(w: DescribeWriter, d: Deployment, replicaSets: readonly ReplicaSet[] | undefined, t: DescribeTime): void {
  const s = d.status ?? {};
  const desired = d.spec.replicas ?? 1;
  const unavailable = s.unavailableReplicas ?? Math.max(0, (s.replicas ?? 0) - (s.availableReplicas ?? 0));
  w.write(LEVEL_0, `Name:\t${d.metadata.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${d.metadata.namespace ?? ''}\n`);
  w.write(LEVEL_0, `CreationTimestamp:\t${formatTimestamp(d.metadata.creationTimestamp, t.utcOffsetMinutes)}\n`);
  writeLabels(w, 'Labels', d.metadata.labels);
  writeAnnotations(w, 'Annotations', d.metadata.annotations);
  w.write(LEVEL_0, `Selector:\t${formatSelector(d.spec.selector)}\n`);
  w.write(
    LEVEL_0,
    `Replicas:\t${desired} desired | ${s.updatedReplicas ?? 0} updated | ${s.replicas ?? 0} total | ${s.availableReplicas ?? 0} available | ${unavailable} unavailable\n`,
  );
  const strategy = d.spec.strategy?.type ?? 'RollingUpdate';
  w.write(LEVEL_0, `StrategyType:\t${strategy}\n`);
  w.write(LEVEL_0, `MinReadySeconds:\t${d.spec.minReadySeconds ?? 0}\n`);
  if (strategy === 'RollingUpdate') {
    const ru = d.spec.strategy?.rollingUpdate;
    w.write(LEVEL_0, `RollingUpdateStrategy:\t${ru?.maxUnavailable ?? '25%'} max unavailable, ${ru?.maxSurge ?? '25%'} max surge\n`);
  }
  writePodTemplate(w, d.spec.template, t);
  writeConditions(w, s.conditions);
  if (replicaSets) {
    const { newRS, oldRSs } = splitReplicaSets(d, replicaSets);
    w.write(LEVEL_0, `OldReplicaSets:\t${formatReplicaSets(oldRSs)}\n`);
    w.write(LEVEL_0, `NewReplicaSet:\t${formatReplicaSets(newRS ? [newRS] : [])}\n`);
  }
}

/**
 * The deployment's current ReplicaSet (same pod template, ignoring pod-template-hash; else the
 * highest revision) and the older ones that still have pods, as kubectl's GetAllReplicaSets.
 */
export function splitReplicaSets(d: Deployment, all: readonly ReplicaSet[]): { newRS?: ReplicaSet; oldRSs: ReplicaSet[] } {
  const owned = all.filter((rs) =>
    rs.metadata.ownerReferences?.length
      ? rs.metadata.ownerReferences.some((o) => o.kind === 'Deployment' && (d.metadata.uid ? o.uid === d.metadata.uid : o.name === d.metadata.name))
      : true,
  );
  const wanted = templateKey(d.spec.template);
  const revision = (rs: ReplicaSet) => Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);
  const newRS =
    owned.find((rs) => templateKey(rs.spec.template) === wanted) ??
    [...owned].sort((a, b) => revision(b) - revision(a))[0];
  const oldRSs = owned.filter((rs) => rs !== newRS && (rs.spec.replicas ?? 0) !== 0);
  return { newRS, oldRSs };
}

function templateKey(template: ReplicaSet['spec']['template']): string {
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels[TEMPLATE_HASH_LABEL];
  return stableJson({ labels, annotations: template.metadata?.annotations ?? {}, spec: template.spec });
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** "web-5d9f (3/3 replicas created), ..." or "<none>". */
function formatReplicaSets(list: readonly ReplicaSet[]): string {
  const text = list.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec.replicas ?? 0} replicas created)`).join(', ');
  return text || '<none>';
}

/** "2 Running / 1 Waiting / 0 Succeeded / 0 Failed" for the pods a controller owns. */
export function podsStatusLine(pods: readonly Pod[]): string {
  const count = (phase: string) => pods.filter((p) => (p.status?.phase ?? 'Pending') === phase).length;
  return `${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed`;
}

export function describeReplicaSet(w: DescribeWriter, rs: ReplicaSet, pods: readonly Pod[] | undefined, t: DescribeTime): void {
  w.write(LEVEL_0, `Name:\t${rs.metadata.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${rs.metadata.namespace ?? ''}\n`);
  w.write(LEVEL_0, `Selector:\t${formatSelector(rs.spec.selector)}\n`);
  writeLabels(w, 'Labels', rs.metadata.labels);
  writeAnnotations(w, 'Annotations', rs.metadata.annotations);
  writeControlledBy(w, rs);
  w.write(LEVEL_0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec.replicas ?? 0} desired\n`);
  if (pods) w.write(LEVEL_0, `Pods Status:\t${podsStatusLine(pods)}\n`);
  writePodTemplate(w, rs.spec.template, t);
}

export function describeDaemonSet(w: DescribeWriter, ds: DaemonSet, pods: readonly Pod[] | undefined, t: DescribeTime): void {
  const s = ds.status ?? {};
  w.write(LEVEL_0, `Name:\t${ds.metadata.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${ds.metadata.namespace ?? ''}\n`);
  w.write(LEVEL_0, `Selector:\t${formatSelector(ds.spec.selector)}\n`);
  w.write(LEVEL_0, `Node-Selector:\t${formatLabels(ds.spec.template.spec.nodeSelector)}\n`);
  writeLabels(w, 'Labels', ds.metadata.labels);
  writeAnnotations(w, 'Annotations', ds.metadata.annotations);
  w.write(LEVEL_0, `Desired Number of Nodes Scheduled: ${s.desiredNumberScheduled ?? 0}\n`);
  w.write(LEVEL_0, `Current Number of Nodes Scheduled: ${s.currentNumberScheduled ?? 0}\n`);
  w.write(LEVEL_0, `Number of Nodes Scheduled with Up-to-date Pods: ${s.updatedNumberScheduled ?? 0}\n`);
  w.write(LEVEL_0, `Number of Nodes Scheduled with Available Pods: ${s.numberAvailable ?? 0}\n`);
  w.write(LEVEL_0, `Number of Nodes Misscheduled: ${s.numberMisscheduled ?? 0}\n`);
  if (pods) w.write(LEVEL_0, `Pods Status:\t${podsStatusLine(pods)}\n`);
  writePodTemplate(w, ds.spec.template, t);
}

export function describeJob(w: DescribeWriter, job: Job, t: DescribeTime): void {
  const ts = (iso: string | undefined) => formatTimestamp(iso, t.utcOffsetMinutes);
  const s = job.status ?? {};
  w.write(LEVEL_0, `Name:\t${job.metadata.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${job.metadata.namespace ?? ''}\n`);
  w.write(LEVEL_0, `Selector:\t${formatSelector(job.spec.selector)}\n`);
  writeLabels(w, 'Labels', job.metadata.labels);
  writeAnnotations(w, 'Annotations', job.metadata.annotations);
  writeControlledBy(w, job);
  if (job.spec.parallelism !== undefined) w.write(LEVEL_0, `Parallelism:\t${job.spec.parallelism}\n`);
  w.write(LEVEL_0, `Completions:\t${job.spec.completions ?? '<unset>'}\n`);
  if (job.spec.backoffLimit !== undefined) w.write(LEVEL_0, `Backoff Limit:\t${job.spec.backoffLimit}\n`);
  if (s.startTime) w.write(LEVEL_0, `Start Time:\t${ts(s.startTime)}\n`);
  if (s.completionTime) w.write(LEVEL_0, `Completed At:\t${ts(s.completionTime)}\n`);
  if (s.startTime && s.completionTime) w.write(LEVEL_0, `Duration:\t${formatSpan(s.startTime, s.completionTime)}\n`);
  if (job.spec.activeDeadlineSeconds !== undefined) w.write(LEVEL_0, `Active Deadline Seconds:\t${job.spec.activeDeadlineSeconds}s\n`);
  w.write(LEVEL_0, `Pods Statuses:\t${s.active ?? 0} Active / ${s.succeeded ?? 0} Succeeded / ${s.failed ?? 0} Failed\n`);
  writePodTemplate(w, job.spec.template, t);
  writeConditions(w, s.conditions);
}
