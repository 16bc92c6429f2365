// Kubernetes `Status` objects: how every failure of the HTTP API is answered (a code, a reason
// kubectl prints as "Error from server (NotFound): ..."), and how Kite's typed errors map onto them.
// Nothing else in the HTTP edge chooses a status code for an error.
import { type ErrorCode, isKiteError } from '../../common/errors';

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; field?: string; message: string }[]; retryAfterSeconds?: number };
  code: number;
}

/** A failure only the HTTP edge can have (a malformed body, a wrong media type, an unknown path). */
export class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string) => new HttpError(400, 'BadRequest', message);
export const notFoundPath = (message = 'the server could not find the requested resource') => new HttpError(404, 'NotFound', message);
export const methodNotAllowed = (method: string, what: string) => new HttpError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource: ${method} ${what}`);
export const unsupportedMediaType = (message: string) => new HttpError(415, 'UnsupportedMediaType', message);
export const tooLarge = (message: string) => new HttpError(413, 'RequestEntityTooLarge', message);

const BY_CODE: Record<ErrorCode, { code: number; reason: string }> = {
  Invalid: { code: 422, reason: 'Invalid' },
  NotFound: { code: 404, reason: 'NotFound' },
  AlreadyExists: { code: 409, reason: 'AlreadyExists' },
  Conflict: { code: 409, reason: 'Conflict' },
  Gone: { code: 410, reason: 'Expired' },
  Forbidden: { code: 403, reason: 'Forbidden' },
  Unauthenticated: { code: 401, reason: 'Unauthorized' },
  ResourceExhausted: { code: 429, reason: 'TooManyRequests' },
  Unavailable: { code: 503, reason: 'ServiceUnavailable' },
  Internal: { code: 500, reason: 'InternalError' },
};

/** Who the failed request was about, for `details` (kubectl prints `deployments.apps "web" not found`). */
export interface StatusSubject {
  /** Kubernetes' details.kind: the plural resource for most errors, the Kind for Invalid. */
  resource?: string;
  kind?: string;
  group?: string;
  name?: string;
}

/** The Status for any thrown value; unexpected ones say only "internal error" (the log has the rest). */
export function statusFromError(e: unknown, subject: StatusSubject = {}): KubeStatus {
  if (e instanceof HttpError) return failure(e.code, e.reason, e.message);
  // A patch of a type the API does not take (common/kube/patch marks it).
  if (isKiteError(e) && (e as { unsupportedMediaType?: boolean }).unsupportedMediaType) return failure(415, 'UnsupportedMediaType', e.message);
  if (!isKiteError(e)) return failure(500, 'InternalError', 'an internal error occurred; the controller log has the details');
  const { code, reason } = BY_CODE[e.code];
  // The object the request named is missing: in Kubernetes' words (`deployments.apps "web" not found`).
  const message = e.code === 'NotFound' && subject.name !== undefined && subject.resource ? `${subject.resource}${subject.group ? `.${subject.group}` : ''} "${subject.name}" not found` : e.message;
  const status = failure(code, reason, message);
  if (subject.name !== undefined || subject.resource !== undefined) {
    status.details = {
      ...(subject.name !== undefined ? { name: subject.name } : {}),
      ...(subject.group ? { group: subject.group } : {}),
      ...(e.code === 'Invalid' ? (subject.kind ? { kind: subject.kind } : {}) : subject.resource ? { kind: subject.resource } : {}),
    };
  }
  if (e.code === 'Invalid' && e.details.length) {
    status.details = { ...status.details, causes: e.details.map(causeOf) };
  }
  if (e.code === 'ResourceExhausted' || e.code === 'Unavailable') status.details = { ...status.details, retryAfterSeconds: 1 };
  return status;
}

export function failure(code: number, reason: string, message: string): KubeStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

export function success(details?: KubeStatus['details']): KubeStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', message: '', reason: '', ...(details ? { details } : {}), code: 200 };
}

/** "spec.replicas: must be ..." (Kite's detail lines) → a field cause. */
function causeOf(line: string): { reason: string; field?: string; message: string } {
  const m = /^(?:object \d+ \([^)]*\): )?([A-Za-z0-9_.\[\]\-/"]+): (.*)$/s.exec(line);
  return m ? { reason: 'FieldValueInvalid', field: m[1]!, message: m[2]! } : { reason: 'FieldValueInvalid', message: line };
}
