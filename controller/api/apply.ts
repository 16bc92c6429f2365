// Server-side apply: validate the whole set, then create-or-update each object, answering
// created / configured / unchanged. Nothing is written when any object is invalid, changes an
// immutable field, or goes into a namespace that does not exist.
import type { KObject } from '../../common/api/types';
import { kindDefinition } from '../../common/kinds/registry';
import { keepSystemFields } from '../../common/kinds/system-fields';
import type { KindDefinition } from '../../common/kinds/kind';
import { immutableIssues } from '../../common/kinds/immutable';
import { invalid, isKiteError } from '../../common/errors';
import { applyDefaults, validateObject, withoutUnknownFields, type FieldValidation } from '../../common/manifest';
import { canonicalJson } from '../../common/canonical';
import { mapBounded } from '../../common/concurrency';
import type { ObjectStore } from '../store/types';
import type { NamespaceGate } from './namespace-gate';
import type { PodSecurityGate } from './pod-security-gate';
import { PLAIN_WRITES, type WriteHooks } from './write-hooks';

export type ApplyAction = 'created' | 'configured' | 'unchanged';

export interface ApplyOutcome {
  object: KObject;
  action: ApplyAction;
}

export interface ApplyOptions {
  dryRun: boolean;
  namespaces: NamespaceGate;
  /** Pod Security Admission: pods and pod templates against their namespace's level. */
  podSecurity: PodSecurityGate;
  /** What the system does around each write (a Service's addresses); plain writes when omitted. */
  hooks?: WriteHooks;
}

/** Objects applied at once; etcd is fastest with tens of requests in flight. */
const APPLY_CONCURRENCY = 32;

/** Validates and defaults a batch of objects; throws one Invalid error listing every problem. */
export function prepareObjects(raws: readonly unknown[], fieldValidation: FieldValidation = 'Strict'): { objects: KObject[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const objects: KObject[] = [];
  const seen = new Set<string>();
  raws.forEach((raw, i) => {
    const where = `object ${i + 1}`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      errors.push(`${where}: must be a JSON object`);
      return;
    }
    let candidate = raw as KObject;
    const label = `${where} (${candidate.kind ?? '?'} ${candidate.metadata?.name ?? '?'})`;
    let first = validateObject(candidate);
    if (fieldValidation !== 'Strict') {
      // Unknown fields are dropped (Warn: with Kubernetes' warning) instead of refused.
      const dropped = withoutUnknownFields(candidate, first.errors, fieldValidation);
      candidate = dropped.object as KObject;
      warnings.push(...dropped.warnings);
      first = { errors: first.errors.filter((e) => e.unknownField === undefined), warnings: first.warnings };
    }
    if (first.errors.length) {
      for (const f of first.errors) errors.push(`${label}: ${f.path}: ${f.message}`);
      return;
    }
    const obj = applyDefaults(candidate);
    const second = validateObject(obj);
    for (const f of second.errors) errors.push(`${label}: ${f.path}: ${f.message}`);
    for (const f of first.warnings) warnings.push(`${label}: ${f.path}: ${f.message}`);
    const id = `${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
    if (seen.has(id)) errors.push(`${label}: appears twice in one apply`);
    seen.add(id);
    objects.push(obj);
  });
  if (errors.length) throw invalid(`${errors.length} invalid object(s); nothing was applied`, errors);
  return { objects, warnings };
}

export async function applyObjects(store: ObjectStore, objects: KObject[], opts: ApplyOptions): Promise<ApplyOutcome[]> {
  // Plan every object against the current state first, so that an object that cannot be applied
  // stops the whole set before anything is written.
  const hooks = opts.hooks ?? PLAIN_WRITES;
  const plans = await mapBounded(objects, APPLY_CONCURRENCY, (o) => plan(store, o, hooks));
  const problems = plans.flatMap((p, i) => (p.error ? [`${objects[i]!.kind} "${objects[i]!.metadata.name}": ${p.error}`] : []));
  if (problems.length) throw invalid(problems.length === 1 ? problems[0]! : `${problems[0]!} (and ${problems.length - 1} more problems); nothing was applied`, problems);
  const created = plans.filter((p) => p.action === 'created').map((p) => p.object);
  const newNamespaces = new Set(created.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  await opts.namespaces.check(
    created.flatMap((o) => (o.metadata.namespace ? [o.metadata.namespace] : [])),
    newNamespaces,
  );
  await opts.podSecurity.check(plans.filter((p) => p.action !== 'unchanged'), objects);
  if (opts.dryRun) return plans.map((p) => ({ object: p.object, action: p.action }));
  // Namespaces first, so that what goes into them finds them there.
  const indexes = objects.map((_o, i) => i);
  const out: ApplyOutcome[] = new Array(objects.length);
  for (const batch of [indexes.filter((i) => objects[i]!.kind === 'Namespace'), indexes.filter((i) => objects[i]!.kind !== 'Namespace')]) {
    await mapBounded(batch, APPLY_CONCURRENCY, async (i) => {
      out[i] = await write(store, objects[i]!, plans[i]!, hooks);
    });
  }
  return out;
}

/** Why `next` may not replace `current`: one `path: message` per field an update may not change. */
export function immutableProblems(def: KindDefinition, current: KObject, next: KObject): string[] {
  return immutableIssues(def, current, next).map((f) => `${f.path}: ${f.message}`);
}

interface Plan {
  action: ApplyAction;
  object: KObject;
  /** The stored object a 'configured' plan replaces. */
  existing?: KObject;
  error?: string;
}

async function plan(store: ObjectStore, desired: KObject, hooks: WriteHooks): Promise<Plan> {
  const def = kindDefinition(desired.kind)!;
  const ns = def.namespaced ? desired.metadata.namespace ?? 'default' : '';
  // Status is written by the system only; whatever a manifest says there is ignored.
  const { status: _ignored, ...withoutStatus } = desired;
  const existing = await store.get(desired.kind, ns, desired.metadata.name);
  if (!existing) {
    const refused = await hooks.check(undefined, withoutStatus as KObject);
    return { action: 'created', object: withoutStatus as KObject, ...(refused.length ? { error: refused.join('; ') } : {}) };
  }
  const merged: KObject = {
    ...keepSystemFields(def, existing, withoutStatus as KObject),
    metadata: {
      ...existing.metadata,
      labels: desired.metadata.labels,
      annotations: keepSystemAnnotations(existing.metadata.annotations, desired.metadata.annotations),
      ownerReferences: desired.metadata.ownerReferences ?? existing.metadata.ownerReferences,
      finalizers: desired.metadata.finalizers ?? existing.metadata.finalizers,
      // A manifest that carries a resourceVersion asks for optimistic concurrency; otherwise apply wins.
      resourceVersion: desired.metadata.resourceVersion ?? existing.metadata.resourceVersion,
    },
  };
  if (sameDesiredState(existing, merged)) return { action: 'unchanged', object: existing };
  const problems = immutableProblems(def, existing, merged);
  if (!problems.length) problems.push(...(await hooks.check(existing, merged)));
  return { action: 'configured', object: merged, existing, ...(problems.length ? { error: problems.join('; ') } : {}) };
}

async function write(store: ObjectStore, desired: KObject, first: Plan, hooks: WriteHooks): Promise<ApplyOutcome> {
  let p = first;
  for (let attempt = 0; ; attempt++) {
    if (p.error) throw invalid(`${desired.kind} "${desired.metadata.name}": ${p.error}`);
    try {
      if (p.action === 'unchanged') return { object: p.object, action: 'unchanged' };
      if (p.action === 'created') return { object: await hooks.create(p.object, (o) => store.create(o)), action: 'created' };
      return { object: await hooks.update(p.existing!, p.object, (o) => store.update(o)), action: 'configured' };
    } catch (e) {
      // Someone else created or changed it meanwhile: plan again on top of their write, unless the
      // manifest itself asked for a specific resourceVersion.
      const raced = isKiteError(e, 'AlreadyExists') || (isKiteError(e, 'Conflict') && !desired.metadata.resourceVersion);
      if (!raced || attempt >= 3) throw e;
      p = await plan(store, desired, hooks);
    }
  }
}

/** Annotations that controllers own (a Deployment's revision): a manifest that omits them does not remove them. */
const SYSTEM_ANNOTATION = /^([a-z0-9.-]*\.)?(kubernetes\.io|kite\.io)\//;

function keepSystemAnnotations(existing: Record<string, string> | undefined, desired: Record<string, string> | undefined): Record<string, string> | undefined {
  const kept = Object.entries(existing ?? {}).filter(([k]) => SYSTEM_ANNOTATION.test(k) && !(desired && k in desired));
  if (!kept.length) return desired;
  return { ...Object.fromEntries(kept), ...(desired ?? {}) };
}

function sameDesiredState(a: KObject, b: KObject): boolean {
  const view = (o: KObject) => {
    const { metadata, status: _s, ...rest } = o;
    return canonicalJson([rest, metadata.labels ?? {}, metadata.annotations ?? {}, metadata.finalizers ?? []]);
  };
  return view(a) === view(b);
}
