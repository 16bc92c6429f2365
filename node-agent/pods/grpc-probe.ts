// The gRPC probe: one call of the standard health service (grpc.health.v1.Health/Check) over a
// plaintext channel of its own, closed after the call, judged and worded as the kubelet does.
import { Client, Metadata, credentials, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { systemClock, type Clock } from '../../common/clock';

/** One probe's verdict and, as the kubelet gives it, why. */
export interface ProbeOutcome {
  ok: boolean;
  message: string;
}

interface HealthCheckResponse {
  status?: string;
}

const checkMethod = healthService.Check!;

/** A duration as Go prints one (1s, 1.5s, 500ms): the kubelet's messages quote the timeout so. */
export function goDuration(ms: number): string {
  return ms >= 1000 ? `${ms / 1000}s` : `${ms}ms`;
}

/** A gRPC status code as Go names it (NOT_FOUND → NotFound), for messages matching the kubelet's. */
function goCodeName(code: number): string {
  const name = GrpcStatus[code] ?? String(code);
  return name.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _u: string, c: string) => c.toUpperCase());
}

const hostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/**
 * Asks `host:port` whether `service` ("" = the server as a whole) is SERVING, within `timeoutMs`
 * for connecting and calling together. Never rejects. `wallClock` gives the call's deadline (the
 * network library's deadline is wall-clock time).
 */
export async function grpcHealthCheck(
  target: { host: string; port: number; service?: string },
  timeoutMs: number,
  wallClock: Pick<Clock, 'now'> = systemClock,
): Promise<ProbeOutcome> {
  const addr = hostPort(target.host, target.port);
  const deadline = wallClock.now() + timeoutMs;
  // A subchannel pool of its own: closing the client then closes its connection at once (the
  // shared pool would keep it open for reuse, and the agent runs thousands of probes).
  const client = new Client(addr, credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1, 'grpc.primary_user_agent': 'kite-probe' });
  try {
    const connected = await new Promise<boolean>((resolve) => client.waitForReady(deadline, (e) => resolve(!e)));
    if (!connected) return { ok: false, message: `timeout: failed to connect service ${JSON.stringify(addr)} within ${goDuration(timeoutMs)}` };
    const reply = await new Promise<{ error?: ServiceError; response?: HealthCheckResponse }>((resolve) => {
      client.makeUnaryRequest(
        checkMethod.path,
        checkMethod.requestSerialize,
        checkMethod.responseDeserialize,
        { service: target.service ?? '' },
        new Metadata(),
        { deadline },
        (error, response) => resolve({ error: error ?? undefined, response: response as HealthCheckResponse | undefined }),
      );
    });
    if (reply.error) return { ok: false, message: rpcFailure(reply.error, timeoutMs) };
    const status = reply.response?.status ?? 'UNKNOWN';
    if (status !== 'SERVING') return { ok: false, message: `service unhealthy (responded with ${JSON.stringify(status)})` };
    return { ok: true, message: 'service is serving' };
  } finally {
    client.close();
  }
}

function rpcFailure(e: ServiceError, timeoutMs: number): string {
  switch (e.code) {
    case GrpcStatus.UNIMPLEMENTED:
      return `this server does not implement the grpc health protocol (grpc.health.v1.Health): ${e.details}`;
    case GrpcStatus.DEADLINE_EXCEEDED:
      return `timeout: health rpc did not complete within ${goDuration(timeoutMs)}`;
    default:
      return `error: health rpc probe failed: rpc error: code = ${goCodeName(e.code)} desc = ${e.details}`;
  }
}
