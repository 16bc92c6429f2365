// A tiny declarative schema walker used by validate.ts. Schemas are plain constant objects built once at module
// load, so validating an object is a single walk with no compilation step.
import { noEffectMessage, OTHER_RESOURCE_REASON } from './no-effect';

export interface FieldIssue {
  /** Dotted path to the field, e.g. `spec.template.spec.containers[0].resources.limits.cpu`. */
  path: string;
  message: string;
  /** Set on an unknown-field error: the key not in the schema (at `path`), for callers that drop such fields. */
  unknownField?: string;
}

export type Obj = Record<string, unknown>;

export interface Ctx {
  errors: FieldIssue[];
  warnings: FieldIssue[];
  /** True for manifests from users; false for objects the system wrote (status is then expected). */
  userInput: boolean;
}

export type Hook<T> = (v: T, path: string, ctx: Ctx) => void;

export type Schema =
  // sensitive: a Secret value; messages about it name the field and the problem, never the value.
  | { t: 'string'; enum?: readonly string[]; nonEmpty?: boolean; rule?: (v: string) => string | undefined; hook?: Hook<string>; sensitive?: boolean }
  | { t: 'int'; min?: number; max?: number }
  | { t: 'bool' }
  | { t: 'intOrString'; hook?: Hook<number | string> }
  | { t: 'quantity'; parse: (q: string | number) => number }
  | { t: 'array'; items: Schema; nonEmpty?: boolean; hook?: Hook<unknown[]> }
  | { t: 'map'; key?: (k: string) => string | undefined; values: Schema; hook?: Hook<Obj> }
  | ObjectSchema
  | { t: 'any' }
  | { t: 'anyObject' };

export interface ObjectSchema {
  t: 'object';
  fields: Readonly<Record<string, Schema>>;
  required?: readonly string[];
  /** Real Kubernetes fields Kite does not implement: a warning giving the reason (no-effect.ts), and the value is ignored. */
  unsupported?: ReadonlySet<string>;
  /** Keys matching this are also "not supported" rather than unknown (e.g. extended resource names). */
  unsupportedKey?: (k: string) => boolean;
  /** Fields silently accepted and ignored (e.g. metadata.managedFields). */
  ignored?: ReadonlySet<string>;
  hook?: Hook<Obj>;
}


export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

const SIMPLE_KEY_RE = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function join(path: string, key: string): string {
  if (!SIMPLE_KEY_RE.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path ? `${path}.${key}` : key;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${String(v)}`;
}

function intMessage(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `must be an integer between ${min} and ${max}`;
  if (min === 0) return 'must be a non-negative integer';
  if (min === 1) return 'must be a positive integer';
  if (min !== undefined) return `must be an integer >= ${min}`;
  return 'must be an integer';
}

/** Edit distance, only computed on the error path to suggest a field name. */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] as number;
      prev[j] = Math.min(tmp + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length] as number;
}

function unknownField(key: string, s: ObjectSchema): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const f of Object.keys(s.fields)) {
    const d = distance(key, f);
    if (d < bestD) {
      bestD = d;
      best = f;
    }
  }
  const hint = best !== undefined && bestD <= Math.max(1, Math.floor(key.length / 4)) ? ` (did you mean "${best}"?)` : '';
  return `unknown field ${JSON.stringify(key)}${hint}`;
}

function fail(ctx: Ctx, path: string, message: string): void {
  ctx.errors.push({ path, message });
}

/** Validates v against s; null counts as absent (YAML `field:` with no value), as in Kubernetes. */
// (No closures inside walk: it runs for every field, and allocating one per call doubled its cost.)
export function walk(s: Schema, v: unknown, path: string, ctx: Ctx): void {
  switch (s.t) {
    case 'any':
      return;
    case 'anyObject':
      if (!isObj(v)) fail(ctx, path, `must be a mapping, got ${describe(v)}`);
      return;
    case 'string':
      if (typeof v !== 'string') return fail(ctx, path, `must be a string, got ${s.sensitive ? (v === null ? 'null' : typeof v) : describe(v)}`);
      if (s.nonEmpty && v === '') return fail(ctx, path, 'must not be empty');
      if (s.enum && !s.enum.includes(v)) return fail(ctx, path, `unsupported value ${JSON.stringify(v)}: must be one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`);
      if (s.rule) {
        const m = s.rule(v);
        if (m) return fail(ctx, path, s.sensitive ? m : `invalid value ${JSON.stringify(v)}: ${m}`);
      }
      s.hook?.(v, path, ctx);
      return;
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v) || (s.min !== undefined && v < s.min) || (s.max !== undefined && v > s.max)) {
        return fail(ctx, path, `${intMessage(s.min, s.max)}, got ${describe(v)}`);
      }
      return;
    case 'bool':
      if (typeof v !== 'boolean') fail(ctx, path, `must be true or false, got ${describe(v)}`);
      return;
    case 'intOrString':
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v))) return fail(ctx, path, `must be an integer or a string, got ${describe(v)}`);
      s.hook?.(v, path, ctx);
      return;
    case 'quantity':
      if (typeof v !== 'string' && typeof v !== 'number') return fail(ctx, path, `must be a quantity such as "500m" or "128Mi", got ${describe(v)}`);
      try {
        s.parse(v);
      } catch (e) {
        fail(ctx, path, e instanceof Error ? e.message : String(e));
      }
      return;
    case 'array': {
      if (!Array.isArray(v)) return fail(ctx, path, `must be a list, got ${describe(v)}`);
      if (s.nonEmpty && v.length === 0) return fail(ctx, path, 'must contain at least one item');
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        const p = `${path}[${i}]`;
        if (item === null || item === undefined) ctx.errors.push({ path: p, message: 'must not be null' });
        else walk(s.items, item, p, ctx);
      }
      s.hook?.(v, path, ctx);
      return;
    }
    case 'map': {
      if (!isObj(v)) return fail(ctx, path, `must be a mapping, got ${describe(v)}`);
      for (const k of Object.keys(v)) {
        const p = join(path, k);
        if (s.key) {
          const m = s.key(k);
          if (m) ctx.errors.push({ path: p, message: `invalid key ${JSON.stringify(k)}: ${m}` });
        }
        walk(s.values, v[k], p, ctx);
      }
      s.hook?.(v, path, ctx);
      return;
    }
    case 'object': {
      if (!isObj(v)) return fail(ctx, path, `must be a mapping, got ${describe(v)}`);
      for (const r of s.required ?? []) {
        if (v[r] === undefined || v[r] === null) ctx.errors.push({ path: join(path, r), message: 'is required' });
      }
      for (const k of Object.keys(v)) {
        const fv = v[k];
        const fs = Object.prototype.hasOwnProperty.call(s.fields, k) ? s.fields[k] : undefined;
        if (fs) {
          if (fv !== null && fv !== undefined) walk(fs, fv, join(path, k), ctx);
        } else if (s.ignored?.has(k)) {
          continue;
        } else if (s.unsupported?.has(k)) {
          ctx.warnings.push({ path: join(path, k), message: noEffectMessage(k) });
        } else if (s.unsupportedKey?.(k)) {
          ctx.warnings.push({ path: join(path, k), message: `has no effect in Kite: ${OTHER_RESOURCE_REASON}` });
        } else {
          ctx.errors.push({ path, message: unknownField(k, s), unknownField: k });
        }
      }
      s.hook?.(v, path, ctx);
      return;
    }
  }
}
