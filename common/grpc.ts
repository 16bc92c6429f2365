// Loads the wire contract from proto/ and maps typed errors to gRPC status codes and back.
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType as ApiProto } from './generated/api';
import type { ProtoGrpcType as AgentProto } from './generated/agent';
import { KiteError, type ErrorCode } from './errors';

export { grpc };

/** proto/ lives at the package root, both when run from source and from dist/. */
function protoDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'proto');
    if (fs.existsSync(path.join(candidate, 'kite/v1/api.proto'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error('cannot find proto/kite/v1/api.proto above ' + __dirname);
  }
}

const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

let cached: (ApiProto & AgentProto) | undefined;

export function loadProto(): ApiProto & AgentProto {
  if (!cached) {
    const dir = protoDir();
    const def = protoLoader.loadSync(['kite/v1/api.proto', 'kite/v1/agent.proto'], { ...LOADER_OPTIONS, includeDirs: [dir] });
    cached = grpc.loadPackageDefinition(def) as unknown as ApiProto & AgentProto;
  }
  return cached;
}

const TO_STATUS: Record<ErrorCode, grpc.status> = {
  Invalid: grpc.status.INVALID_ARGUMENT,
  NotFound: grpc.status.NOT_FOUND,
  AlreadyExists: grpc.status.ALREADY_EXISTS,
  Conflict: grpc.status.ABORTED,
  Unavailable: grpc.status.UNAVAILABLE,
  Gone: grpc.status.OUT_OF_RANGE,
  Forbidden: grpc.status.PERMISSION_DENIED,
  Unauthenticated: grpc.status.UNAUTHENTICATED,
  ResourceExhausted: grpc.status.RESOURCE_EXHAUSTED,
  Internal: grpc.status.INTERNAL,
};

/** Turns any thrown value into a gRPC ServiceError with a status code and a readable message. */
export function toServiceError(e: unknown): Partial<grpc.ServiceError> {
  if (e instanceof KiteError) {
    const details = e.details.length ? '\n' + e.details.join('\n') : '';
    return { code: TO_STATUS[e.code], details: e.message + details, message: e.message + details };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: grpc.status.INTERNAL, details: message, message };
}

const FROM_STATUS = new Map<number, ErrorCode>(Object.entries(TO_STATUS).map(([k, v]) => [v, k as ErrorCode]));

export function isTransportFailure(details: string): boolean {
  return /^(No connection established|Connection dropped|failed to connect|connect E)/i.test(details);
}

/**
 * The reason a connection failed in its TLS handshake, or undefined when it failed otherwise.
 * Node reports certificate checks as "Error: self-signed certificate in certificate chain" or
 * "Hostname/IP does not match certificate's altnames: ...", and OpenSSL's own failures as
 * "...:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:file:line:" (a TLS
 * client talking to a plaintext port) or "...:SSL routines::tlsv1 alert unknown ca".
 */
export function tlsFailureReason(details: string): string | undefined {
  if (!/certificate|altnames|SSL routines|ERR_(?:SSL|TLS)_|\b(?:ssl|tls)v\d+\b/i.test(details)) return undefined;
  const openssl = /SSL routines:[^:\n]*:([^:\n]+)/.exec(details)?.[1];
  if (openssl) return openssl.trim();
  const lastError = /Last error: (?:\w*Error(?: \[\w+\])?: )?([^\n]+)/.exec(details)?.[1] ?? details.split('\n')[0]!;
  return lastError.replace(/\s*Resolution note:.*$/s, '').replace(/\.$/, '').trim();
}

/** Client side: a gRPC error back into a KiteError, keeping the server's message. */
export function fromServiceError(e: unknown, target?: string): KiteError {
  if (e instanceof KiteError) return e;
  const se = e as Partial<grpc.ServiceError>;
  if (typeof se?.code === 'number') {
    // Only transport failures of this client's own channel mean "the controller is unreachable";
    // an UNAVAILABLE the controller sent (etcd down, an agent unreachable) keeps its own message.
    if (se.code === grpc.status.UNAVAILABLE && se.details && isTransportFailure(se.details)) {
      const at = target ? ' at ' + target : '';
      const socketCause = /((?:connect|getaddrinfo) E\w+ \S+?)\.?(?:\s|$)/.exec(se.details)?.[1];
      const tls = socketCause ? undefined : tlsFailureReason(se.details);
      if (tls) {
        // A plaintext server (e.g. the controller's HTTP port) is a wrong address, not a wrong credential.
        const hint = /wrong version number|packet length too long|http request/i.test(tls)
          ? 'is that the controller\'s gRPC address? (--server, KITE_SERVER)'
          : 'is your credential (KITE_CONFIG or ~/.kite/config) for this cluster?';
        return new KiteError('Unavailable', `cannot reach the Kite controller${at}: TLS handshake failed (${tls}); ${hint}`);
      }
      const cause = socketCause ?? se.details.replace(/\s*Resolution note:.*$/s, '');
      return new KiteError('Unavailable', `cannot reach the Kite controller${at} (${cause}); is kite-controller running? (--server, KITE_SERVER)`);
    }
    if (se.code === grpc.status.DEADLINE_EXCEEDED) {
      return new KiteError('Unavailable', `the Kite controller${target ? ' at ' + target : ''} did not answer in time`);
    }
    const code = FROM_STATUS.get(se.code) ?? 'Internal';
    return new KiteError(code, se.details || se.message || 'unknown error');
  }
  return new KiteError('Internal', e instanceof Error ? e.message : String(e));
}

/**
 * Ends a server-side stream with a status. (grpc-js sends the status when the stream emits
 * 'error'; `destroy(err)` would drop it and leave the client hanging.)
 */
export function failCall(call: { emit(event: 'error', err: Error): boolean }, e: unknown): void {
  const se = toServiceError(e);
  call.emit('error', Object.assign(new Error(se.message ?? 'error'), se));
}
