// The Kubernetes `Status` objects the streaming subresources answer with: before an upgrade as an
// HTTP response written on the raw socket, after it on the exec/attach status channel (3) where a
// non-zero exit code is a Failure kubectl turns into its own exit code.
import { STATUS_CODES } from 'node:http';
import type * as stream from 'node:stream';
import { type ErrorCode, isKiteError } from '../../../common/errors';

export interface StreamStatus {
  kind?: 'Status';
  apiVersion?: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes: { reason: string; message: string }[] };
}

/** HTTP code and Status reason for each Kite error code (streams are not writes: Invalid is 400). */
const BY_CODE: Partial<Record<ErrorCode, { code: number; reason: string }>> = {
  Invalid: { code: 400, reason: 'BadRequest' },
  NotFound: { code: 404, reason: 'NotFound' },
  Forbidden: { code: 403, reason: 'Forbidden' },
  Unauthenticated: { code: 401, reason: 'Unauthorized' },
  Unavailable: { code: 503, reason: 'ServiceUnavailable' },
};

export const SUCCESS: StreamStatus = { metadata: {}, status: 'Success' };

/** The Failure for a thrown value; anything but a KiteError says only "internal error" (the caller logs the rest). */
export function errorStatus(e: unknown): StreamStatus & { message: string; reason: string; code: number } {
  const known = isKiteError(e) ? BY_CODE[e.code] : undefined;
  const { code, reason } = known ?? { code: 500, reason: 'InternalError' };
  const message = isKiteError(e) ? e.message : 'an internal error occurred; the controller log has the details';
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** What kubectl reads as "the command exited with this code" (it then exits with it too). */
export function exitStatus(exitCode: number): StreamStatus {
  if (exitCode === 0) return SUCCESS;
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/**
 * Answers a request that will not be upgraded: an HTTP response with the Status as its body on the
 * raw socket, which is then closed (and destroyed, should the peer never read it).
 */
export function rejectOnSocket(socket: stream.Duplex, status: { code: number } & StreamStatus): void {
  if (socket.destroyed) return;
  const body = JSON.stringify(status);
  const head =
    `HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? 'Error'}\r\n` +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n';
  const timer = setTimeout(() => socket.destroy(), 5_000);
  timer.unref();
  socket.end(head + body, () => {
    clearTimeout(timer);
    socket.destroy();
  });
}
