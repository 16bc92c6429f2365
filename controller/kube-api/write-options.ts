// What a write request asks besides its body: dryRun, fieldValidation and fieldManager (query
// parameters, as Kubernetes takes them). Unknown fields are dropped where every write is validated
// (prepareObjects, common/manifest withoutUnknownFields).
import type { FieldValidation } from '../../common/manifest';
import { badRequest } from './status';

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
