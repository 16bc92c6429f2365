// Server-side apply: validate the whole set, then create-or-update each object, answering
// created / configured / unchanged. Nothing is written when any object is invalid.
import type { KObject } from '../../common/api/types';
import { kindInfo } from '../../common/kinds/registry';
import { invalid, isKiteError } from '../../common/errors';
import { applyDefaults, validateObject } from '../../common/manifest';
import { canonicalJson } from '../../common/canonical';
import { mapBounded } from '../../common/concurrency';
import type { ObjectStore } from '../store/types';

export type ApplyAction = 'created' | 'configured' | 'unchanged';

export interface ApplyOutcome {
  object: KObject;
  action: ApplyAction;
}

/** Objects applied at once; etcd is fastest with tens of requests in flight. */
const APPLY_CONCURRENCY = 32;

/** Decodes and validates a batch of JSON objects; throws one Invalid error listing every problem. */
export function prepareObjects(objectsJson: string[]): { objects: KObject[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const objects: KObject[] = [];
  const seen = new Set<string>();
  objectsJson.forEach((json, i) => {
    const where = `object ${i + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch (e) {
      errors.push(`${where}: not valid JSON: ${(e as Error).message}`);
      return;
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      errors.push(`${where}: must be a JSON object`);
      return;
    }
    const candidate = raw as KObject;
    const label = `${where} (${candidate.kind ?? '?'} ${candidate.metadata?.name ?? '?'})`;
    const first = validateObject(candidate);
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

export async function applyObjects(store: ObjectStore, objects: KObject[], dryRun: boolean): Promise<ApplyOutcome[]> {
  // Plan every object against the current state first, so that an object that cannot be applied
  // (an immutable field changed) stops the whole set before anything is written.
  const plans = await mapBounded(objects, APPLY_CONCURRENCY, (o) => plan(store, o));
  const problems = plans.flatMap((p, i) => (p.error ? [`object ${i + 1} (${objects[i]!.kind} ${objects[i]!.metadata.name}): ${p.error}`] : []));
  if (problems.length) throw invalid(`${problems.length} object(s) cannot be applied; nothing was applied`, problems);
  if (dryRun) return plans.map((p) => ({ object: p.object, action: p.action }));
  return mapBounded(objects, APPLY_CONCURRENCY, (o, i) => write(store, o, plans[i]!));
}

interface Plan {
  action: ApplyAction;
  object: KObject;
  error?: string;
}

async function plan(store: ObjectStore, desired: KObject): Promise<Plan> {
  const ns = kindInfo(desired.kind)?.namespaced ? desired.metadata.namespace ?? 'default' : '';
  // Status is written by the system only; whatever a manifest says there is ignored.
  const { status: _ignored, ...withoutStatus } = desired;
  const existing = await store.get(desired.kind, ns, desired.metadata.name);
  if (!existing) return { action: 'created', object: withoutStatus as KObject };
  const merged: KObject = {
    ...keepSystemFields(existing, withoutStatus as KObject),
    metadata: {
      ...existing.metadata,
      labels: desired.metadata.labels,
      annotations: keepSystemAnnotations(existing.metadata.annotations, desired.metadata.annotations),
      ownerReferences: desired.metadata.ownerReferences ?? existing.metadata.ownerReferences,
      // A manifest that carries a resourceVersion asks for optimistic concurrency; otherwise apply wins.
      resourceVersion: desired.metadata.resourceVersion ?? existing.metadata.resourceVersion,
    },
  };
  if (sameDesiredState(existing, merged)) return { action: 'unchanged', object: existing };
  if (merged.kind === 'Pod' && canonicalJson(merged.spec) !== canonicalJson(existing.spec)) {
    return {
      action: 'configured',
      object: merged,
      error:
        'spec: a pod\'s spec cannot change once it exists; delete and re-create the pod, ' +
        'or run it from a Deployment, which replaces its pods when the template changes',
    };
  }
  return { action: 'configured', object: merged };
}

async function write(store: ObjectStore, desired: KObject, first: Plan): Promise<ApplyOutcome> {
  let p = first;
  for (let attempt = 0; ; attempt++) {
    if (p.error) throw invalid(`${desired.kind} "${desired.metadata.name}": ${p.error}`);
    try {
      if (p.action === 'unchanged') return { object: p.object, action: 'unchanged' };
      if (p.action === 'created') return { object: await store.create(p.object), action: 'created' };
      return { object: await store.update(p.object), action: 'configured' };
    } catch (e) {
      // Someone else created or changed it meanwhile: plan again on top of their write, unless the
      // manifest itself asked for a specific resourceVersion.
      const raced = isKiteError(e, 'AlreadyExists') || (isKiteError(e, 'Conflict') && !desired.metadata.resourceVersion);
      if (!raced || attempt >= 3) throw e;
      p = await plan(store, desired);
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

/** Fields the system sets after creation (a pod's binding, a node's cordon and taints) survive a re-apply that omits them. */
function keepSystemFields(existing: KObject, desired: KObject): KObject {
  const have = existing.spec as Record<string, unknown> | undefined;
  const want = desired.spec as Record<string, unknown> | undefined;
  if (!have || !want) return desired;
  const keys = existing.kind === 'Pod' ? ['nodeName'] : existing.kind === 'Node' ? ['unschedulable', 'taints'] : [];
  const spec = { ...want };
  for (const k of keys) if (spec[k] === undefined && have[k] !== undefined) spec[k] = have[k];
  return { ...desired, spec };
}

function sameDesiredState(a: KObject, b: KObject): boolean {
  const view = (o: KObject) => {
    const { metadata, status: _s, ...rest } = o;
    return canonicalJson([rest, metadata.labels ?? {}, metadata.annotations ?? {}]);
  };
  return view(a) === view(b);
}
