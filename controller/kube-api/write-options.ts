// What a write request asks besides its body: dryRun, fieldValidation and fieldManager (query
// parameters, as Kubernetes takes them), and the unknown-field handling fieldValidation selects.
import type { KObject } from '../../common/api/types';
import { validateObject } from '../../common/manifest';
import { join } from '../../common/manifest/schema';
import { badRequest } from './status';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteQuery {
  dryRun: boolean;
  fieldValidation: FieldValidation;
  fieldManager: string;
  force: boolean;
}

/** Reads the write parameters; the field manager defaults to the client's name, as Kubernetes does. */
export function writeQuery(q: URLSearchParams, userAgent: string | undefined): WriteQuery {
  const dry = q.getAll('dryRun');
  if (dry.some((d) => d !== 'All')) throw badRequest(`dryRun: only "All" is supported, not ${JSON.stringify(dry.find((d) => d !== 'All'))}`);
  const fv = q.get('fieldValidation') ?? 'Warn';
  if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') throw badRequest(`fieldValidation: must be Strict, Warn or Ignore, not ${JSON.stringify(fv)}`);
  const manager = q.get('fieldManager') ?? defaultManager(userAgent);
  if (manager.length > 128 || /[^\x20-\x7e]/.test(manager)) throw badRequest('fieldManager: at most 128 printable characters');
  const force = q.get('force');
  if (force !== null && force !== 'true' && force !== 'false') throw badRequest(`force: must be true or false, not ${JSON.stringify(force)}`);
  return { dryRun: dry.length > 0, fieldValidation: fv, fieldManager: manager, force: force === 'true' };
}

/** `kubectl/v1.32.5 (linux/amd64) kubernetes/abc` → `kubectl`, as the API server names managers. */
function defaultManager(userAgent: string | undefined): string {
  const name = (userAgent ?? '').split('/')[0]!.trim();
  return name && !/[^\x20-\x7e]/.test(name) ? name.slice(0, 128) : 'unknown';
}

/**
 * Applies fieldValidation to a body: Strict leaves it (Kite refuses unknown fields); Warn and
 * Ignore drop each unknown field, Warn saying so. Returns the body to write and the warnings.
 */
export function dropUnknownFields(raw: unknown, mode: FieldValidation): { object: unknown; warnings: string[] } {
  if (mode === 'Strict') return { object: raw, warnings: [] };
  const unknown = validateObject(raw).errors.flatMap((e) => (e.unknownField !== undefined ? [{ parent: e.path, key: e.unknownField }] : []));
  if (!unknown.length) return { object: raw, warnings: [] };
  const copy = structuredClone(raw) as KObject;
  for (const u of unknown) {
    const parent = at(copy, u.parent);
    if (parent && typeof parent === 'object' && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[u.key];
  }
  const warnings = mode === 'Warn' ? unknown.map((u) => `unknown field "${join(u.parent, u.key)}"`) : [];
  return { object: copy, warnings };
}

/** The value at a validation path such as `spec.template.spec.containers[0]`. */
function at(root: unknown, path: string): unknown {
  if (!path) return root;
  let v: unknown = root;
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (v === null || typeof v !== 'object') return undefined;
    v = part.startsWith('[') ? (v as unknown[])[Number(part.slice(1, -1))] : (v as Record<string, unknown>)[part];
  }
  return v;
}
