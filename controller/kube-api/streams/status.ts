// The Kubernetes `Status` objects the streaming subresources answer with: before an upgrade as an
// HTTP response written on the raw socket, after it on the exec/attach status channel (3) where a
// non-zero exit code is a Failure kubectl turns into its own exit code.
import { STATUS_CODES } from 'node:http';
import type * as stream from 'node:stream';
import { statusFromError, type KubeStatus } from '../status';

export interface StreamStatus {
  kind?: 'Status';
  apiVersion?: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: KubeStatus['details'];
}

export const SUCCESS: StreamStatus = { metadata: {}, status: 'Success' };

/**
 * The Failure for a thrown value, as every other request gets it (../status.ts), except that an
 * invalid stream request is a 400 BadRequest, as the API server answers exec (streams are not
 * writes: 422 is for objects). Anything but a KiteError says only "internal error".
 */
export function errorStatus(e: unknown): KubeStatus {
  const status = statusFromError(e);
  return status.code === 422 ? { ...status, code: 400, reason: 'BadRequest' } : status;
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
export function rejectOnSocket(socket: stream.Duplex, status: { code: number }): void {
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
