// A Compose service's workload: a Deployment (the usual), a Job (a one-shot service others wait to
// complete, or deploy.mode replicated-job), or a DaemonSet (deploy.mode global).
import type { DaemonSet, Deployment, Job, ObjectMeta, PodSpec } from '../api/types';
import { invalid } from '../errors';
import type { Dependency } from './depends-on';
import { deployOf, podTemplate, splitLabels } from './pod-template';
import { type ServiceContext, isObj, warn, where } from './service-context';
import type { StorageOptions } from './storage';

export interface WorkloadInput {
  ctx: ServiceContext;
  namespace: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  dependencies: Dependency[];
  /** Another service waits for this one with service_completed_successfully. */
  awaitedCompletion: boolean;
  storage: StorageOptions;
}

/** restart: "no" | always | on-failure[:N] | unless-stopped, and deploy.restart_policy, in one shape. */
interface Restart {
  policy: 'no' | 'always' | 'on-failure';
  maxAttempts?: number;
  /** Whether the user said so (an implicit "no" is Compose's default and not worth a warning). */
  explicit: boolean;
}

function restartOf(ctx: ServiceContext): Restart {
  const rp = deployOf(ctx).restart_policy;
  if (isObj(rp)) {
    for (const k of ['delay', 'window']) if (rp[k] !== undefined) warn(ctx, `deploy.restart_policy.${k}`, 'is not supported by Kite (restarts back off exponentially); ignored');
    const condition = String(rp.condition ?? 'any');
    const policy = condition === 'none' ? 'no' : condition === 'on-failure' ? 'on-failure' : 'always';
    return { policy, explicit: true, ...(rp.max_attempts !== undefined ? { maxAttempts: Number(rp.max_attempts) } : {}) };
  }
  const r = ctx.def.restart;
  if (r === undefined) return { policy: 'no', explicit: false };
  const s = String(r);
  if (s === 'no') return { policy: 'no', explicit: true };
  if (s === 'always' || s === 'unless-stopped') return { policy: 'always', explicit: true };
  const m = /^on-failure(?::(\d+))?$/.exec(s);
  if (m) return { policy: 'on-failure', explicit: true, ...(m[1] ? { maxAttempts: Number(m[1]) } : {}) };
  throw invalid(`${where(ctx, 'restart')}: "${s}" is not no, always, on-failure[:N] or unless-stopped`);
}

function replicas(ctx: ServiceContext): number {
  const deploy = deployOf(ctx);
  const r = deploy.replicas ?? ctx.def.scale;
  if (r === undefined) return 1;
  const n = Number(r);
  if (!Number.isInteger(n) || n < 0) throw invalid(`${where(ctx, 'deploy.replicas')}: "${String(r)}" is not a non-negative integer`);
  return n;
}

function rollingUpdate(ctx: ServiceContext): Deployment['spec']['strategy'] {
  const uc = deployOf(ctx).update_config;
  if (!isObj(uc)) return undefined;
  for (const k of ['delay', 'failure_action', 'monitor', 'max_failure_ratio']) if (uc[k] !== undefined) warn(ctx, `deploy.update_config.${k}`, 'is not supported by Kite; ignored');
  // Swarm's parallelism 0 means all at once.
  const parallelism = uc.parallelism === undefined ? 1 : Number(uc.parallelism);
  const step: number | string = parallelism === 0 ? '100%' : parallelism;
  return uc.order === 'start-first' ? { type: 'RollingUpdate', rollingUpdate: { maxSurge: step, maxUnavailable: 0 } } : { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: step } };
}

export function workload(input: WorkloadInput): Deployment | Job | DaemonSet {
  const { ctx } = input;
  const deploy = deployOf(ctx);
  const mode = String(deploy.mode ?? 'replicated');
  const restart = restartOf(ctx);
  const objectLabels = { ...splitLabels(deploy.labels).labels, ...input.labels };
  const metadata: ObjectMeta = { name: ctx.objectName, namespace: input.namespace, labels: objectLabels };
  const podLabels = { ...input.labels, ...input.selector };
  if (deploy.rollback_config !== undefined) warn(ctx, 'deploy.rollback_config', 'is not supported by Kite; use kite rollout undo');
  if (deploy.endpoint_mode !== undefined) warn(ctx, 'deploy.endpoint_mode', 'is ignored: every service gets a virtual IP (a Service)');
  if (input.awaitedCompletion || mode === 'replicated-job' || mode === 'global-job') {
    if (mode === 'global-job') warn(ctx, 'deploy.mode', '"global-job" runs as one Job, not one per node');
    if (restart.policy === 'always' && restart.explicit) warn(ctx, 'restart', 'a service others wait to complete runs as a Job, which cannot restart always; it is retried on failure');
    const restartPolicy: PodSpec['restartPolicy'] = restart.policy === 'no' ? 'Never' : 'OnFailure';
    const template = podTemplate({ ctx, labels: podLabels, dependencies: input.dependencies, restartPolicy, storage: input.storage });
    const count = mode === 'replicated-job' ? replicas(ctx) : 1;
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata,
      spec: { completions: count, parallelism: count, backoffLimit: restart.maxAttempts ?? (restart.policy === 'no' ? 0 : 6), template },
    };
  }
  if (restart.explicit && restart.policy !== 'always') {
    warn(ctx, deploy.restart_policy !== undefined ? 'deploy.restart_policy' : 'restart', `a long-running service becomes a ${mode === 'global' ? 'DaemonSet' : 'Deployment'}, whose containers are always restarted`);
  }
  const template = podTemplate({ ctx, labels: podLabels, dependencies: input.dependencies, restartPolicy: 'Always', storage: input.storage });
  if (mode === 'global') {
    return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata, spec: { selector: { matchLabels: { ...input.selector } }, template } };
  }
  if (mode !== 'replicated') throw invalid(`${where(ctx, 'deploy.mode')}: "${mode}" is not replicated, global, replicated-job or global-job`);
  const strategy = rollingUpdate(ctx);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: { replicas: replicas(ctx), selector: { matchLabels: { ...input.selector } }, template, ...(strategy ? { strategy } : {}) },
  };
}
