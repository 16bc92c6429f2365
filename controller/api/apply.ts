// Server-side apply: validate the whole set, then create-or-update each object, answering
// created / configured / unchanged. Nothing is written when any object is invalid.
import type { KObject } from '../../common/api/types';
import { kindInfo } from '../../common/api/kinds';
import { invalid, isKiteError } from '../../common/errors';
import { applyDefaults, validateObject } from '../../common/manifest';
import { canonicalJson } from '../../common/canonical';
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
  const out: ApplyOutcome[] = new Array(objects.length);
  let next = 0;
  const worker = async () => {
    while (next < objects.length) {
      const i = next++;
      out[i] = await applyOne(store, objects[i]!, dryRun);
    }
  };
  await Promise.all(Array.from({ length: Math.min(APPLY_CONCURRENCY, objects.length) }, worker));
  return out;
}

async function applyOne(store: ObjectStore, desired: KObject, dryRun: boolean): Promise<ApplyOutcome> {
  const ns = kindInfo(desired.kind)?.namespaced ? desired.metadata.namespace ?? 'default' : '';
  // Status is written by the system only; whatever a manifest says there is ignored.
  const { status: _ignored, ...withoutStatus } = desired;
  for (let attempt = 0; ; attempt++) {
    const existing = await store.get(desired.kind, ns, desired.metadata.name);
    if (!existing) {
      if (dryRun) return { object: withoutStatus as KObject, action: 'created' };
      try {
        return { object: await store.create(withoutStatus as KObject), action: 'created' };
      } catch (e) {
        if (isKiteError(e, 'AlreadyExists') && attempt < 3) continue;
        throw e;
      }
    }
    const merged: KObject = {
      ...(withoutStatus as KObject),
      metadata: {
        ...existing.metadata,
        labels: desired.metadata.labels,
        annotations: desired.metadata.annotations,
        ownerReferences: desired.metadata.ownerReferences ?? existing.metadata.ownerReferences,
        // A manifest that carries a resourceVersion asks for optimistic concurrency; otherwise apply wins.
        resourceVersion: desired.metadata.resourceVersion ?? existing.metadata.resourceVersion,
      },
    };
    if (sameDesiredState(existing, merged)) return { object: existing, action: 'unchanged' };
    if (dryRun) return { object: merged, action: 'configured' };
    try {
      return { object: await store.update(merged), action: 'configured' };
    } catch (e) {
      // Without an explicit resourceVersion in the manifest, a concurrent writer is not the user's problem.
      if (isKiteError(e, 'Conflict') && !desired.metadata.resourceVersion && attempt < 3) continue;
      throw e;
    }
  }
}

function sameDesiredState(a: KObject, b: KObject): boolean {
  const view = (o: KObject) => {
    const { metadata, status: _s, ...rest } = o;
    return canonicalJson([rest, metadata.labels ?? {}, metadata.annotations ?? {}]);
  };
  return view(a) === view(b);
}
