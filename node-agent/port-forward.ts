// The agent's end of `kite port-forward`: one gRPC stream is one TCP connection from this agent to
// a pod it runs (its IP and a port), with bytes relayed both ways. Each direction pauses its source
// while the other side's buffer is full, so a slow reader never makes the agent buffer a whole
// download. Either side closing ends the other: the pod closing its socket ends the stream; the
// client half-closing (close_write, or ending its stream) half-closes the socket, as TCP would.
import * as net from 'node:net';
import type * as grpcTypes from '@grpc/grpc-js';
import type { AgentPortForwardInput__Output } from '../common/generated/kite/v1/AgentPortForwardInput';
import type { PortForwardOutput } from '../common/generated/kite/v1/PortForwardOutput';
import type { PodStatusReport } from '../common/generated/kite/v1/PodStatusReport';
import { failCall } from '../common/grpc';
import { errorMessage, invalid, notFound, unavailable } from '../common/errors';
import type { Logger } from '../common/log';

export type PortForwardCall = grpcTypes.ServerDuplexStream<AgentPortForwardInput__Output, PortForwardOutput>;

/** Where a pod of this node listens: its IP, if it is running. Throws a typed error otherwise. */
export function podAddress(status: PodStatusReport | undefined, podUid: string): string {
  if (!status) throw notFound(`pod ${podUid} does not run on this node`);
  if (status.phase !== 'Running' || !status.pod_ip) {
    throw invalid(`unable to forward port because pod ${status.namespace ?? ''}/${status.name ?? podUid} is not running. Current status=${status.phase || 'Unknown'}`);
  }
  return status.pod_ip;
}

export function servePortForward(call: PortForwardCall, podStatus: (uid: string) => PodStatusReport | undefined, log: Logger, connect = net.connect): void {
  call.once('data', (first: AgentPortForwardInput__Output) => {
    if (first.input !== 'start' || !first.start) return failCall(call, invalid('the first port-forward message must be a start'));
    const { pod_uid: uid, port } = first.start;
    if (!Number.isInteger(port) || port < 1 || port > 65535) return failCall(call, invalid(`port ${port} is not a TCP port (1-65535)`));
    let host: string;
    try {
      host = podAddress(podStatus(uid), uid);
    } catch (e) {
      return failCall(call, e);
    }
    // Hold what the client sends until the connection to the pod exists.
    call.pause();
    const socket = connect({ host, port });
    let connected = false;
    let finished = false;
    const fail = (e: unknown) => {
      if (finished) return;
      finished = true;
      socket.destroy();
      failCall(call, e);
    };
    socket.once('connect', () => {
      connected = true;
      call.resume();
    });
    socket.on('error', (e) => {
      log.debug({ host, port, err: errorMessage(e) }, 'port-forward connection failed');
      fail(unavailable(connected ? `connection to ${host}:${port} failed: ${errorMessage(e)}` : `cannot connect to port ${port} of the pod (${host}): ${errorMessage(e)}`));
    });
    // Client → pod.
    call.on('data', (m: AgentPortForwardInput__Output) => {
      if (m.input === 'data' && m.data && m.data.length) {
        if (!socket.write(m.data)) call.pause();
      } else if (m.input === 'close_write') {
        socket.end();
      }
    });
    socket.on('drain', () => call.resume());
    call.on('end', () => socket.end());
    // Pod → client.
    socket.on('data', (d: Buffer) => {
      if (!call.write({ data: d })) socket.pause();
    });
    call.on('drain', () => socket.resume());
    socket.on('end', () => {
      if (finished) return;
      finished = true;
      call.end();
    });
    // The client went away: drop the connection to the pod at once.
    call.on('cancelled', () => {
      finished = true;
      socket.destroy();
    });
  });
}
