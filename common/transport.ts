// The one place where gRPC transports are set up, for the CLI, the agents and the controller:
// credentials, channel and server options (keepalives, message size limits), servers and dialing.
// Every connection is TLS with certificates from the cluster CA, verified both ways; plaintext
// exists only as the benchmarks' baseline.
import { grpc } from './grpc';
import type { CertificateSource } from './pki/certificate-source';

/**
 * How a process secures its connections.
 * - tls, dialing: trust `certs.ca`, present `certs.identity` (if any), and require the server's
 *   certificate to name `serverName` (CONTROLLER_SERVER_NAME, or a node's name).
 * - tls, serving: present `certs.identity`; `clientCertificates: 'require'` refuses a handshake
 *   without a CA-signed client certificate; 'request' lets it through without an identity (the
 *   controller's port, where agents without a certificate yet may only join).
 * - plaintext: only benchmarks measuring TLS's cost use it.
 */
export type TransportSecurity =
  | { mode: 'tls'; certs: CertificateSource; serverName?: string; clientCertificates?: 'require' | 'request' }
  | { mode: 'plaintext' };

export const PLAINTEXT: TransportSecurity = { mode: 'plaintext' };

/** Large enough for a list of 10,000 pods or a full assignment set; gRPC's default is 4 MiB. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** Keepalives so a dead peer (a host gone, a cable cut) is noticed in seconds, not TCP's minutes. */
const KEEPALIVE = {
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
};

export function clientCredentials(security: TransportSecurity): grpc.ChannelCredentials {
  switch (security.mode) {
    case 'plaintext':
      return grpc.credentials.createInsecure();
    case 'tls':
      return grpc.experimental.createCertificateProviderChannelCredentials(security.certs, security.certs.identity ? security.certs : null);
  }
}

export function serverCredentials(security: TransportSecurity): grpc.ServerCredentials {
  switch (security.mode) {
    case 'plaintext':
      return grpc.ServerCredentials.createInsecure();
    case 'tls':
      return grpc.experimental.createCertificateProviderServerCredentials(security.certs, security.certs, (security.clientCertificates ?? 'require') === 'require');
  }
}

export interface DialOptions {
  security: TransportSecurity;
  /**
   * A connection of its own instead of the process-wide one per address: hollow nodes simulated
   * in one process must each look like a separate host to the controller.
   */
  ownConnection?: boolean;
}

export function channelOptions(opts: DialOptions): grpc.ChannelOptions {
  const serverName = opts.security.mode === 'tls' ? opts.security.serverName : undefined;
  return {
    ...KEEPALIVE,
    // Peers are dialled by address but their certificates name what they are (controller.kite,
    // NODE.node.kite): check that name, so no other certificate of the cluster passes for them.
    ...(serverName ? { 'grpc.ssl_target_name_override': serverName, 'grpc.default_authority': serverName } : {}),
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    ...(opts.ownConnection ? { 'grpc.use_local_subchannel_pool': 1 } : {}),
  };
}

/** What one request may carry into a server: a large apply fits; a flood of bytes does not. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
/**
 * Streams one connection may hold open at once. Above the API's per-client watch limit, so that
 * limit answers first with a clear error; far below what would exhaust the process.
 */
export const MAX_STREAMS_PER_CONNECTION = 2048;

export function serverOptions(): grpc.ServerOptions {
  return {
    ...KEEPALIVE,
    // Clients ping every 10 s; accept pings down to 5 s apart rather than answering GOAWAY.
    'grpc.http2.min_ping_interval_without_data_ms': 5_000,
    'grpc.max_receive_message_length': MAX_REQUEST_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_concurrent_streams': MAX_STREAMS_PER_CONNECTION,
  };
}

/** A generated service client class, e.g. loadProto().kite.v1.Kite. */
export type ServiceClientConstructor<C> = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => C;

/** A client for the service at HOST:PORT (connects lazily, on the first call). */
export function dial<C>(address: string, Service: ServiceClientConstructor<C>, opts: DialOptions): C {
  return new Service(address, clientCredentials(opts.security), channelOptions(opts));
}

export function createServer(): grpc.Server {
  return new grpc.Server(serverOptions());
}

/** Binds the server on HOST:PORT (port 0 picks a free one); resolves with the bound port. */
export function bindServer(server: grpc.Server, address: string, security: TransportSecurity): Promise<number> {
  return new Promise((resolve, reject) => server.bindAsync(address, serverCredentials(security), (err, port) => (err ? reject(err) : resolve(port))));
}
