// One local TCP connection relayed over one PortForward stream to the controller. Each direction
// pauses its source while the destination's buffer is full; the local client half-closing sends
// close_write, and the pod's side ending ends the local socket. Any failure drops both.
import type * as net from 'node:net';
import type * as grpc from '@grpc/grpc-js';
import type { PortForwardInput } from '../../common/generated/kite/v1/PortForwardInput';
import type { PortForwardOutput__Output } from '../../common/generated/kite/v1/PortForwardOutput';

export type ForwardCall = grpc.ClientDuplexStream<PortForwardInput, PortForwardOutput__Output>;

export function relayConnection(socket: net.Socket, call: ForwardCall, start: { namespace: string; pod: string; port: number }, onError: (e: grpc.ServiceError) => void): void {
  call.write({ start });
  let done = false;
  // Local → pod.
  socket.on('data', (d: Buffer) => {
    if (!call.write({ data: d })) socket.pause();
  });
  call.on('drain', () => socket.resume());
  socket.on('end', () => {
    if (done) return;
    call.write({ close_write: true });
    call.end();
  });
  // Pod → local.
  call.on('data', (o: PortForwardOutput__Output) => {
    if (!socket.write(o.data)) call.pause();
  });
  socket.on('drain', () => call.resume());
  call.on('end', () => {
    done = true;
    socket.end();
  });
  call.on('error', (e: grpc.ServiceError) => {
    done = true;
    socket.destroy();
    if (e.code !== 1 /* CANCELLED: we dropped it */) onError(e);
  });
  socket.on('error', () => call.cancel());
  socket.on('close', () => {
    if (!done) call.cancel();
  });
}
