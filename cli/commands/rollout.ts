// kite scale / kite rollout status|history|undo (status also for statefulsets)
import type { Deployment, ReplicaSet, StatefulSet } from '../../common/api/types';
import { invalid, isKiteError, notFound } from '../../common/errors';
import { canonicalJson } from '../../common/canonical';
import { Progress, renderTable } from '../print';
import { type CliContext, splitTypeName, parseDuration } from '../context';

const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';
export const MAX_REPLICAS = 100_000;

/** Read-modify-write with the resourceVersion, retried when someone else wrote in between. */
async function modify<T extends Deployment>(ctx: CliContext, name: string, change: (d: T) => T): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const current = await ctx.client.get<T>('Deployment', name, ctx.namespace);
    try {
      return await ctx.client.update(change(current));
    } catch (e) {
      if (isKiteError(e, 'Conflict') && attempt < 5) continue;
      throw e;
    }
  }
}

function deploymentArg(first: string, second?: string): string {
  const { info, name } = splitTypeName(first, second);
  if (info.kind !== 'Deployment') throw invalid(`only deployments are supported here, not ${info.plural}`);
  return name;
}

export async function scaleCommand(ctx: CliContext, first: string, second: string | undefined, replicasArg: string | undefined): Promise<void> {
  if (replicasArg === undefined) throw invalid('--replicas is required');
  const replicas = Number(replicasArg);
  if (!/^\d+$/.test(replicasArg.trim()) || !Number.isSafeInteger(replicas)) throw invalid(`--replicas: "${replicasArg}" must be a non-negative integer`);
  if (replicas > MAX_REPLICAS) throw invalid(`--replicas: ${replicas} is more than the ${MAX_REPLICAS} Kite allows per deployment`);
  const name = deploymentArg(first, second);
  await modify(ctx, name, (d) => ({ ...d, spec: { ...d.spec, replicas } }));
  process.stdout.write(`deployment.apps/${name} scaled\n`);
}

async function replicaSetsOf(ctx: CliContext, d: Deployment): Promise<ReplicaSet[]> {
  const all = (await ctx.client.list<ReplicaSet>('ReplicaSet', { namespace: ctx.namespace })).items;
  return all
    .filter((rs) => rs.metadata.ownerReferences?.some((r) => r.uid === d.metadata.uid))
    .sort((a, b) => Number(a.metadata.annotations?.[REVISION] ?? 0) - Number(b.metadata.annotations?.[REVISION] ?? 0));
}

export async function historyCommand(ctx: CliContext, first: string, second: string | undefined, revision?: string): Promise<void> {
  const name = deploymentArg(first, second);
  const d = await ctx.client.get<Deployment>('Deployment', name, ctx.namespace);
  const sets = await replicaSetsOf(ctx, d);
  if (revision) {
    const rs = sets.find((s) => s.metadata.annotations?.[REVISION] === revision);
    if (!rs) throw notFound(`unable to find the specified revision ${revision}`);
    process.stdout.write(`deployment.apps/${name} with revision #${revision}\nPod Template:\n${JSON.stringify(rs.spec.template, null, 2)}\n`);
    return;
  }
  process.stdout.write(`deployment.apps/${name}\n`);
  process.stdout.write(renderTable(['REVISION', 'CHANGE-CAUSE'], sets.map((s) => [s.metadata.annotations?.[REVISION] ?? '?', s.metadata.annotations?.[CHANGE_CAUSE] ?? '<none>'])));
}

export async function undoCommand(ctx: CliContext, first: string, second: string | undefined, toRevision?: string): Promise<void> {
  const name = deploymentArg(first, second);
  if (toRevision !== undefined && !/^\d+$/.test(toRevision)) throw invalid(`--to-revision: "${toRevision}" must be a revision number`);
  const d = await ctx.client.get<Deployment>('Deployment', name, ctx.namespace);
  const sets = await replicaSetsOf(ctx, d);
  const current = d.metadata.annotations?.[REVISION];
  let target: ReplicaSet | undefined;
  if (toRevision && toRevision !== '0') {
    target = sets.find((s) => s.metadata.annotations?.[REVISION] === toRevision);
    if (!target) throw notFound(`unable to find the specified revision ${toRevision} for deployment ${name} (revisions: ${sets.map((s) => s.metadata.annotations?.[REVISION]).join(', ') || 'none'})`);
  } else {
    const older = sets.filter((s) => s.metadata.annotations?.[REVISION] !== current);
    target = older[older.length - 1];
    if (!target) throw notFound(`no rollout history found for deployment ${name}: there is no previous revision to roll back to`);
  }
  const template = stripHash(target.spec.template);
  if (canonicalJson(template) === canonicalJson(d.spec.template)) {
    process.stdout.write(`deployment.apps/${name} skipped rollback (current template already matches revision ${target.metadata.annotations?.[REVISION]})\n`);
    return;
  }
  await modify(ctx, name, (x) => ({ ...x, spec: { ...x.spec, template } }));
  process.stdout.write(`deployment.apps/${name} rolled back\n`);
}

function stripHash(t: ReplicaSet['spec']['template']): ReplicaSet['spec']['template'] {
  const labels = { ...(t.metadata?.labels ?? {}) };
  delete labels['pod-template-hash'];
  return { ...t, metadata: { ...t.metadata, labels } };
}

/** Where a rollout stands: finished, or the line kubectl prints while waiting; a failure throws. */
type RolloutState = { done: boolean; line: string };

/** kubectl's DeploymentStatusViewer. */
function deploymentRollout(d: Deployment): RolloutState {
  const name = d.metadata.name;
  const s = d.status ?? {};
  const want = d.spec.replicas ?? 1;
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') throw invalid(`deployment "${name}" exceeded its progress deadline`);
  const waiting = (line: string): RolloutState => ({ done: false, line });
  if ((s.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) return waiting('Waiting for deployment spec update to be observed...');
  if ((s.updatedReplicas ?? 0) < want) return waiting(`Waiting for deployment "${name}" rollout to finish: ${s.updatedReplicas ?? 0} out of ${want} new replicas have been updated...`);
  if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0)) return waiting(`Waiting for deployment "${name}" rollout to finish: ${(s.replicas ?? 0) - (s.updatedReplicas ?? 0)} old replicas are pending termination...`);
  if ((s.availableReplicas ?? 0) < (s.updatedReplicas ?? 0)) return waiting(`Waiting for deployment "${name}" rollout to finish: ${s.availableReplicas ?? 0} of ${s.updatedReplicas ?? 0} updated replicas are available...`);
  return { done: true, line: `deployment "${name}" successfully rolled out` };
}

/** kubectl's StatefulSetStatusViewer. */
export function statefulSetRollout(sts: StatefulSet): RolloutState {
  if ((sts.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') throw invalid('rollout status is only available for RollingUpdate strategy type');
  const s = sts.status ?? {};
  const want = sts.spec.replicas ?? 1;
  const waiting = (line: string): RolloutState => ({ done: false, line });
  if (!s.observedGeneration || (sts.metadata.generation ?? 0) > s.observedGeneration) return waiting('Waiting for statefulset spec update to be observed...');
  if ((s.readyReplicas ?? 0) < want) return waiting(`Waiting for ${want - (s.readyReplicas ?? 0)} pods to be ready...`);
  const partition = sts.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
  if (partition > 0) {
    const toUpdate = Math.max(0, want - partition);
    if ((s.updatedReplicas ?? 0) < toUpdate) return waiting(`Waiting for partitioned roll out to finish: ${s.updatedReplicas ?? 0} out of ${toUpdate} new pods have been updated...`);
    return { done: true, line: `partitioned roll out complete: ${s.updatedReplicas ?? 0} new pods have been updated...` };
  }
  if (s.updateRevision !== s.currentRevision) return waiting(`waiting for statefulset rolling update to complete ${s.updatedReplicas ?? 0} pods at revision ${s.updateRevision}...`);
  return { done: true, line: `statefulset rolling update complete ${s.currentReplicas ?? 0} pods at revision ${s.currentRevision}...` };
}

export async function statusCommand(ctx: CliContext, first: string, second: string | undefined, opts: { timeout?: string; watch?: boolean }): Promise<void> {
  const { info, name } = splitTypeName(first, second);
  if (info.kind !== 'Deployment' && info.kind !== 'StatefulSet') throw invalid(`only deployments and statefulsets are supported here, not ${info.plural}`);
  const timeoutMs = opts.timeout ? parseDuration(opts.timeout, '--timeout') : 0;
  const started = Date.now();
  const progress = new Progress(process.stdout);
  for (;;) {
    let state: RolloutState;
    try {
      state = info.kind === 'StatefulSet'
        ? statefulSetRollout(await ctx.client.get<StatefulSet>('StatefulSet', name, ctx.namespace))
        : deploymentRollout(await ctx.client.get<Deployment>('Deployment', name, ctx.namespace));
    } catch (e) {
      progress.done();
      throw e;
    }
    if (state.done) {
      progress.done(state.line);
      return;
    }
    if (opts.watch === false) {
      progress.done(state.line);
      return;
    }
    progress.update(state.line);
    if (timeoutMs && Date.now() - started > timeoutMs) {
      progress.done();
      throw invalid(`timed out waiting for the rollout of ${info.singular} "${name}" after ${opts.timeout}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
