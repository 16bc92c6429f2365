// AgentStreams: logs, exec and port-forward for the controller to relay. Served on the agent's stream port.
import type * as grpcTypes from '@grpc/grpc-js';
import type { AgentStreamsHandlers } from '../common/generated/kite/v1/AgentStreams';
import type { AgentExecInput__Output } from '../common/generated/kite/v1/AgentExecInput';
import type { ExecOutput } from '../common/generated/kite/v1/ExecOutput';
import { failCall } from '../common/grpc';
import { errorMessage, forbidden, invalid } from '../common/errors';
import { describeIdentity, identityOfPeer, type PeerCall } from '../common/pki/identity';
import type { Logger } from '../common/log';
import type { PodManager } from './pods/manager';
import type { NodeImages } from './images';
import { imageHandlers } from './image-streams';
import { servePortForward } from './port-forward';

function destroy(call: { emit(event: 'error', err: Error): boolean }, e: unknown): void {
  failCall(call, e);
}

/**
 * Only controllers may ask. The TLS handshake already refused anyone without a certificate from
 * the cluster CA; this refuses the CA's other holders (nodes, users).
 */
function refuseNonController(call: PeerCall & { emit(event: 'error', err: Error): boolean }): boolean {
  const who = identityOfPeer(call.getAuthContext()?.sslPeerCertificate);
  if (who?.kind === 'controller') return false;
  destroy(call, forbidden(`${who ? describeIdentity(who) : 'a caller without a certificate'} cannot use this agent's logs/exec endpoint: only the controller can`));
  return true;
}

export function streamHandlers(manager: PodManager, log: Logger, opts: { plaintext?: boolean; images?: NodeImages } = {}): AgentStreamsHandlers {
  const refused = (call: PeerCall & { emit(event: 'error', err: Error): boolean }) => !opts.plaintext && refuseNonController(call);
  return {
    // kite image push (image-streams.ts).
    ...imageHandlers(opts.images, log, opts),

    Logs: (call) => {
      if (refused(call)) return;
      const r = call.request;
      const abort = new AbortController();
      call.on('cancelled', () => abort.abort());
      call.on('close', () => abort.abort());
      let stream;
      try {
        stream = manager.logs(r.pod_uid, r.container, { follow: r.follow, tail: r.tail_lines >= 0 ? r.tail_lines : undefined, timestamps: r.timestamps, previous: r.previous }, abort.signal);
      } catch (e) {
        return destroy(call, e);
      }
      stream.on('data', (chunk: Buffer | { data: Buffer; stream: string }) => {
        const msg = Buffer.isBuffer(chunk) ? { data: chunk, stream: 'stdout' } : chunk;
        if (!call.write(msg)) stream.pause();
      });
      call.on('drain', () => stream.resume());
      stream.on('end', () => call.end());
      stream.on('error', (e) => (abort.signal.aborted ? call.end() : destroy(call, e)));
    },

    Exec: (call: grpcTypes.ServerDuplexStream<AgentExecInput__Output, ExecOutput>) => {
      if (refused(call)) return;
      call.once('data', (first: AgentExecInput__Output) => {
        if (first.input !== 'start' || !first.start) return destroy(call, invalid('the first exec message must be a start'));
        const s = first.start;
        // Input can arrive while the exec is still being created (a piped stdin and its close come
        // right after the start): hold it until there is a process to give it to, or it is lost.
        const held: (AgentExecInput__Output | 'end')[] = [];
        let deliver = (m: AgentExecInput__Output | 'end') => void held.push(m);
        call.on('data', (m: AgentExecInput__Output) => deliver(m));
        call.on('end', () => deliver('end'));
        manager.exec(s.pod_uid, s.container, s.command, { tty: s.tty, stdin: s.stdin, cols: s.cols || undefined, rows: s.rows || undefined }).then(
          (handle) => {
            deliver = (m) => {
              if (m === 'end') handle.stdin.end();
              else if (m.input === 'stdin' && m.stdin) handle.stdin.write(m.stdin);
              else if (m.input === 'resize' && m.resize) void handle.resize(m.resize.cols, m.resize.rows).catch(() => undefined);
              else if (m.input === 'close_stdin') handle.stdin.end();
            };
            for (const m of held.splice(0)) deliver(m);
            let open = 2;
            const done = () => {
              if (--open > 0) return;
              handle.exitCode().then(
                (code) => {
                  call.write({ exit_code: code });
                  call.end();
                },
                (e) => destroy(call, e),
              );
            };
            handle.stdout.on('data', (d: Buffer) => call.write({ stdout: d }));
            handle.stderr.on('data', (d: Buffer) => call.write({ stderr: d }));
            handle.stdout.on('end', done);
            handle.stderr.on('end', done);
            handle.stdout.on('error', (e) => destroy(call, e));
          },
          (e) => {
            log.warn({ err: errorMessage(e) }, 'exec failed');
            destroy(call, e);
          },
        );
      });
    },

    PortForward: (call) => {
      if (refused(call)) return;
      servePortForward(call, (uid) => manager.podStatus(uid), log);
    },
  };
}
