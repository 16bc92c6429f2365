// Typed errors with a code. Code is mapped to a gRPC status only at the API edge, and back
// to a typed error by clients, so nothing matches on message text.

export type ErrorCode =
  | 'Invalid'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Unavailable'
  | 'Gone'
  | 'Forbidden'
  | 'Unauthenticated'
  | 'ResourceExhausted'
  | 'Internal';

export class KiteError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'KiteError';
  }
}

export const invalid = (message: string, details: string[] = []) => new KiteError('Invalid', message, details);
export const notFound = (message: string) => new KiteError('NotFound', message);
export const alreadyExists = (message: string) => new KiteError('AlreadyExists', message);
export const conflict = (message: string) => new KiteError('Conflict', message);
export const unavailable = (message: string) => new KiteError('Unavailable', message);
export const gone = (message: string) => new KiteError('Gone', message);
export const forbidden = (message: string) => new KiteError('Forbidden', message);
/** No (valid) credential: no client certificate, or a token that does not authenticate. */
export const unauthenticated = (message: string) => new KiteError('Unauthenticated', message);
export const resourceExhausted = (message: string) => new KiteError('ResourceExhausted', message);

export function isKiteError(e: unknown, code?: ErrorCode): e is KiteError {
  return e instanceof KiteError && (code === undefined || e.code === code);
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
