// Rules shared by the workload kinds (Deployment, ReplicaSet, DaemonSet, Job): the selector must
// match the template, the template's restart policy, and rolling-update budgets.
import type { LabelSelector } from '../api/types';
import { err } from './fields';
import { isIntOrPercent } from './quantity';
import { type Ctx, type Obj, type Schema, isObj, join } from './schema';
import { selectorFromLabelSelector } from './selector';

export function templateOf(spec: Obj): { labels: Record<string, string> | undefined; restartPolicy: unknown } {
  const t = isObj(spec.template) ? spec.template : {};
  const md = isObj(t.metadata) ? t.metadata : {};
  const ps = isObj(t.spec) ? t.spec : {};
  return { labels: isObj(md.labels) ? (md.labels as Record<string, string>) : undefined, restartPolicy: ps.restartPolicy };
}

/** The selector must select the pods the template makes, or the controller would create pods forever. */
export function checkSelectorMatchesTemplate(spec: Obj, path: string, ctx: Ctx, required: boolean): void {
  const sel = spec.selector;
  if (sel == null) {
    if (required) err(ctx, join(path, 'selector'), 'is required');
    return;
  }
  if (!isObj(sel)) return;
  const empty = (!isObj(sel.matchLabels) || Object.keys(sel.matchLabels).length === 0) && (!Array.isArray(sel.matchExpressions) || sel.matchExpressions.length === 0);
  if (empty) {
    err(ctx, join(path, 'selector'), 'must not be empty (it would select every pod in the namespace)');
    return;
  }
  let matches: boolean;
  try {
    matches = selectorFromLabelSelector(sel as LabelSelector).matches(templateOf(spec).labels ?? {});
  } catch {
    return; // the malformed selector is already reported
  }
  if (!matches) err(ctx, join(join(join(path, 'template'), 'metadata'), 'labels'), `must match the selector ${JSON.stringify(sel)}`);
}

export function checkRestartPolicy(spec: Obj, path: string, ctx: Ctx, allowed: string[], required: boolean): void {
  const rp = templateOf(spec).restartPolicy;
  const p = `${path}.template.spec.restartPolicy`;
  if (rp == null) {
    if (required) err(ctx, p, `is required: must be one of ${allowed.join(', ')}`);
  } else if (typeof rp === 'string' && !allowed.includes(rp)) {
    err(ctx, p, `unsupported value ${JSON.stringify(rp)} for this kind: must be ${allowed.join(' or ')}`);
  }
}

export const intOrPercent: Schema = {
  t: 'intOrString',
  hook: (v, path, ctx) => {
    if (!isIntOrPercent(v)) err(ctx, path, `must be a non-negative integer or a percentage such as "25%", got ${JSON.stringify(v)}`);
    else if (typeof v === 'string' && Number(v.slice(0, -1)) > 100) err(ctx, path, 'must not be greater than 100%');
  },
};

export const isZero = (v: unknown) => v === 0 || v === '0%';

export function rollingUpdateHook(defaultSurge: unknown, defaultUnavailable: unknown) {
  return (o: Obj, path: string, ctx: Ctx) => {
    const surge = o.maxSurge ?? defaultSurge;
    const unavailable = o.maxUnavailable ?? defaultUnavailable;
    if (isZero(surge) && isZero(unavailable)) err(ctx, path, 'maxSurge and maxUnavailable must not both be 0 (the rollout could never make progress)');
  };
}
