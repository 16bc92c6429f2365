// The one place where gRPC transports are set up, for the CLI, the agents and the controller:
// credentials, channel and server options (keepalives, message size limits), servers and dialing.
// Everything is plaintext today; TLS (a cluster CA, mTLS with per-process certificates) belongs
// here as another TransportSecurity mode, and no caller needs to change beyond passing it along.
import { grpc } from './grpc';

/** How a process secures its connections. Only plaintext exists for now. */
export type TransportSecurity = { mode: 'insecure' };

export const INSECURE: TransportSecurity = { mode: 'insecure' };

/** Large enough for a list of 10,000 pods or a full assignment set; gRPC's default is 4 MiB. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** Keepalives so a dead peer (a host gone, a cable cut) is noticed in seconds, not TCP's minutes. */
const KEEPALIVE = {
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
};

export function clientCredentials(security: TransportSecurity = INSECURE): grpc.ChannelCredentials {
  switch (security.mode) {
    case 'insecure':
      return grpc.credentials.createInsecure();
  }
}

export function serverCredentials(security: TransportSecurity = INSECURE): grpc.ServerCredentials {
  switch (security.mode) {
    case 'insecure':
      return grpc.ServerCredentials.createInsecure();
  }
}

export interface DialOptions {
  security?: TransportSecurity;
  /**
   * A connection of its own instead of the process-wide one per address: hollow nodes simulated
   * in one process must each look like a separate host to the controller.
   */
  ownConnection?: boolean;
}

export function channelOptions(opts: DialOptions = {}): grpc.ChannelOptions {
  return {
    ...KEEPALIVE,
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    ...(opts.ownConnection ? { 'grpc.use_local_subchannel_pool': 1 } : {}),
  };
}

export function serverOptions(): grpc.ServerOptions {
  return {
    ...KEEPALIVE,
    // Clients ping every 10 s; accept pings down to 5 s apart rather than answering GOAWAY.
    'grpc.http2.min_ping_interval_without_data_ms': 5_000,
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  };
}

/** A generated service client class, e.g. loadProto().kite.v1.Kite. */
export type ServiceClientConstructor<C> = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => C;

/** A client for the service at HOST:PORT (connects lazily, on the first call). */
export function dial<C>(address: string, Service: ServiceClientConstructor<C>, opts: DialOptions = {}): C {
  return new Service(address, clientCredentials(opts.security), channelOptions(opts));
}

export function createServer(): grpc.Server {
  return new grpc.Server(serverOptions());
}

/** Binds the server on HOST:PORT (port 0 picks a free one); resolves with the bound port. */
export function bindServer(server: grpc.Server, address: string, security: TransportSecurity = INSECURE): Promise<number> {
  return new Promise((resolve, reject) => server.bindAsync(address, serverCredentials(security), (err, port) => (err ? reject(err) : resolve(port))));
}
