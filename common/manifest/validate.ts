// Strict validation of Kite objects against the Kubernetes-compatible subset in common/api/types.ts.
// Real Kubernetes fields Kite does not implement are warnings; anything else unknown is an error.
// Each kind's schema and name rule live in its module in common/kinds/.
import type { KObject } from '../api/types';
import { invalid } from '../errors';
import { legacyKindIssue } from '../kinds/legacy';
import { DEFAULT_NAMESPACE, KINDS, kindDefinition } from '../kinds/registry';
import { err, warn } from './fields';
import type { ManifestDoc } from './parse';
import { type Ctx, type FieldIssue, isObj, join, walk } from './schema';

export type { FieldIssue } from './schema';

const SUPPORTED_KINDS = KINDS.map((k) => `${k.kind} (${k.apiVersion})`).join(', ');

/** Kubernetes' fieldValidation: refuse unknown fields (Kite's own rule), drop them with a warning, or drop them. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/**
 * `obj` without the unknown fields `errors` name (a copy; `obj` itself when there are none), and
 * the Kubernetes-worded warnings for them under Warn. The errors come from validateObject(obj).
 */
export function withoutUnknownFields(obj: unknown, errors: readonly FieldIssue[], mode: Exclude<FieldValidation, 'Strict'>): { object: unknown; warnings: string[] } {
  const unknown = errors.filter((e) => e.unknownField !== undefined);
  if (!unknown.length) return { object: obj, warnings: [] };
  const copy = structuredClone(obj);
  for (const u of unknown) {
    const parent = valueAt(copy, u.path);
    if (parent && typeof parent === 'object' && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[u.unknownField!];
  }
  return { object: copy, warnings: mode === 'Warn' ? unknown.map((u) => `unknown field "${join(u.path, u.unknownField!)}"`) : [] };
}

/** The value at a validation path such as `spec.template.spec.containers[0]`. */
function valueAt(root: unknown, path: string): unknown {
  let v: unknown = root;
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (v === null || typeof v !== 'object') return undefined;
    v = part.startsWith('[') ? (v as unknown[])[Number(part.slice(1, -1))] : (v as Record<string, unknown>)[part];
  }
  return v;
}

export interface ValidateOptions {
  /** 'user' (default): a manifest from a user; `status` is warned about and ignored. 'system': written by Kite itself. */
  origin?: 'user' | 'system';
}

export interface ValidationResult {
  errors: FieldIssue[];
  warnings: FieldIssue[];
}

const result = (ctx: Ctx): ValidationResult => ({ errors: ctx.errors, warnings: ctx.warnings });

/** Far deeper than any real object (a pod template's deepest field is about 12 levels down). */
export const MAX_NESTING_DEPTH = 100;

/**
 * The path of the first value nested deeper than `limit`, or undefined. A loop, not recursion: the
 * point is to refuse objects (JSON.parse accepts any depth) that would overflow the call stack of
 * whatever copies or prints them later (structuredClone, JSON.stringify), so this must not overflow itself.
 */
function tooDeep(root: unknown, limit: number): string | undefined {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: root, path: '', depth: 0 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { v, path, depth } = top;
    if (v === null || typeof v !== 'object') continue;
    if (depth > limit) return path;
    if (Array.isArray(v)) v.forEach((item: unknown, i) => stack.push({ v: item, path: `${path}[${i}]`, depth: depth + 1 }));
    else for (const k of Object.keys(v)) stack.push({ v: (v as Record<string, unknown>)[k], path: join(path, k), depth: depth + 1 });
  }
  return undefined;
}

/** Validates one object (raw or defaulted). Never throws; returns every problem found with its field path. */
export function validateObject(obj: unknown, opts: ValidateOptions = {}): ValidationResult {
  const ctx: Ctx = { errors: [], warnings: [], userInput: (opts.origin ?? 'user') === 'user' };
  if (!isObj(obj)) {
    err(ctx, '', 'object must be a mapping with apiVersion, kind and metadata');
    return result(ctx);
  }
  const deep = tooDeep(obj, MAX_NESTING_DEPTH);
  if (deep !== undefined) {
    err(ctx, deep, `is nested more than ${MAX_NESTING_DEPTH} levels deep`);
    return result(ctx);
  }
  const { kind, apiVersion } = obj;
  if (typeof kind !== 'string' || kind === '') {
    err(ctx, 'kind', `is required; supported kinds: ${SUPPORTED_KINDS}`);
    return result(ctx);
  }
  // Before the kind lookup: an old Deployment apiVersion or a ReplicationController gets the way forward.
  const legacy = legacyKindIssue(apiVersion, kind);
  if (legacy) {
    err(ctx, legacy.path, legacy.message);
    return result(ctx);
  }
  const info = kindDefinition(kind);
  if (!info) {
    err(ctx, 'kind', `unknown kind ${JSON.stringify(kind)}; supported kinds: ${SUPPORTED_KINDS}`);
    return result(ctx);
  }
  if (apiVersion !== info.apiVersion) {
    err(ctx, 'apiVersion', `${apiVersion == null ? 'is required' : `${JSON.stringify(apiVersion)} is not supported`} for kind ${kind}: use ${JSON.stringify(info.apiVersion)}`);
  }
  walk(info.schema, obj, '', ctx);

  const md = obj.metadata;
  // Every kind needs a name; without this an object with no metadata at all passed, and only
  // defaulting (which creates an empty metadata) made it invalid.
  if (md === undefined || md === null) err(ctx, 'metadata.name', 'is required');
  if (isObj(md)) {
    if (typeof md.name === 'string' && md.name !== '') {
      const m = info.nameRule(md.name);
      if (m) err(ctx, 'metadata.name', `invalid value ${JSON.stringify(md.name)}: ${m}`);
    }
    if (!info.namespaced && md.namespace != null && md.namespace !== '') {
      warn(ctx, 'metadata.namespace', `is ignored: ${kind} is not namespaced`);
    }
  }
  // `status: {}` is what `kubectl create --dry-run -o yaml` prints; only a real status is worth a warning.
  if (ctx.userInput && obj.status != null && !(isObj(obj.status) && Object.keys(obj.status).length === 0)) warn(ctx, 'status', 'is set by the system; the value given is ignored');
  return result(ctx);
}

// ---- whole manifest sets ----------------------------------------------------------------------

function objectKey(o: KObject): string {
  const info = kindDefinition(o.kind);
  const ns = info?.namespaced ? (o.metadata.namespace || DEFAULT_NAMESPACE) : '';
  return `${o.kind}/${ns}/${o.metadata.name}`;
}

function describeDoc(d: ManifestDoc): string {
  const name = typeof d.object.metadata?.name === 'string' ? d.object.metadata.name : '?';
  return `${d.source}: document ${d.index} (${String(d.object.kind)} ${name})`;
}

const formatIssue = (prefix: string, i: FieldIssue) => (i.path ? `${prefix}: ${i.path}: ${i.message}` : `${prefix}: ${i.message}`);

/**
 * Validates a whole set of documents (possibly from several sources) as a unit: either every object is valid and
 * they are all returned, or one `invalid` is thrown whose details list every problem as
 * `deploy.yaml: document 2 (Deployment web): spec.replicas: must be a non-negative integer`.
 * Objects are returned as given (not defaulted).
 */
export function validateManifests(docs: ManifestDoc[]): { objects: KObject[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const seen = new Map<string, ManifestDoc>();
  for (const d of docs) {
    const prefix = describeDoc(d);
    const r = validateObject(d.object, { origin: 'user' });
    for (const e of r.errors) errors.push(formatIssue(prefix, e));
    for (const w of r.warnings) warnings.push(formatIssue(prefix, w));
    if (r.errors.length === 0) {
      const key = objectKey(d.object);
      const first = seen.get(key);
      if (first) errors.push(`${prefix}: duplicate object: document ${first.index} of ${first.source} has the same kind, namespace and name`);
      else seen.set(key, d);
    }
  }
  if (errors.length > 0) {
    const first = errors[0] as string;
    throw invalid(errors.length > 1 ? `${first} (and ${errors.length - 1} more problems)` : first, errors);
  }
  return { objects: docs.map((d) => d.object), warnings };
}
