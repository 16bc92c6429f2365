// exec and attach over an upgraded channel WebSocket: client input (stdin, terminal size, stdin's
// end) goes into the API's input; the API's output goes out on stdout/stderr; the end is one
// Status on channel 3 (Success, NonZeroExitCode with the code, or the error), then a normal close.
import type { ExecInput, ExecOutput, LogChunk } from '../../api/pod-streams';
import type { Logger } from '../../../common/log';
import { Channel, V5_CHANNEL, parseResize } from './channels';
import type { ChannelSocket } from './channel-socket';
import type { StreamOptions } from './exec-options';
import type { PacedInput } from './paced-input';
import { SUCCESS, errorStatus, exitStatus, type StreamStatus } from './status';

/** The size an ExecInput counts for in the input's buffer. */
export function execInputSize(m: ExecInput): number {
  return 'stdin' in m ? m.stdin.length : 16;
}

/** How long a TTY exec waits for the client's first terminal size before starting without one. */
export const INITIAL_SIZE_WAIT_MS = 500;

/**
 * Feeds what the client sends into `input`: stdin (when asked for), resizes, and stdin's end
 * (v5 sends [255, 0]; v4 cannot say it, its client closes the socket instead). Resolves with the
 * terminal size kubectl sends first thing for a TTY, so the exec starts at that size (a command
 * that asks at once, like `stty size`, would otherwise see 0x0); that first size is not also
 * pushed as a resize. Undefined without a TTY, or when none came within `waitMs`.
 */
export function readClientInput(
  sock: ChannelSocket,
  protocol: string,
  opts: StreamOptions,
  input: PacedInput<ExecInput>,
  waitMs = INITIAL_SIZE_WAIT_MS,
): Promise<{ cols: number; rows: number } | undefined> {
  let takeFirstSize: ((size: { cols: number; rows: number } | undefined) => void) | undefined;
  const firstSize = new Promise<{ cols: number; rows: number } | undefined>((resolve) => {
    if (!opts.tty) return resolve(undefined);
    const timer = setTimeout(() => settle(undefined), waitMs);
    const settle = (size: { cols: number; rows: number } | undefined) => {
      clearTimeout(timer);
      takeFirstSize = undefined;
      resolve(size);
    };
    takeFirstSize = settle;
    void sock.closed.then(() => settle(undefined));
  });
  sock.onMessage((channel, data) => {
    if (channel === Channel.Stdin) {
      if (opts.stdin && data.length > 0) input.push({ stdin: Buffer.from(data) });
    } else if (channel === Channel.Resize) {
      const size = parseResize(data);
      if (!size || !opts.tty) return;
      if (takeFirstSize) takeFirstSize(size);
      else input.push({ resize: size });
    } else if (channel === Channel.Close && protocol === V5_CHANNEL) {
      if (data[0] === Channel.Stdin && opts.stdin) input.push({ closeStdin: true });
    }
  });
  return firstSize;
}

/** Relays an exec's output and ends with its Status. Resolves when the socket is closed; never rejects. */
export async function relayExec(sock: ChannelSocket, output: AsyncIterable<ExecOutput>, opts: StreamOptions, log: Logger): Promise<void> {
  let status: StreamStatus = SUCCESS;
  try {
    for await (const out of output) {
      if ('stdout' in out) {
        if (opts.stdout) await sock.send(Channel.Stdout, out.stdout);
      } else if ('stderr' in out) {
        if (opts.stderr) await sock.send(Channel.Stderr, out.stderr);
      } else {
        status = exitStatus(out.exitCode);
      }
      if (!sock.open) break;
    }
  } catch (e) {
    status = failureOf(e, log, 'exec');
  }
  await finish(sock, status);
}

/**
 * Relays a container's output for attach (Kite attaches as "logs from now on": there is no
 * stdin to give), each chunk on the channel of the stream it came from. Never rejects.
 */
export async function relayAttach(sock: ChannelSocket, output: AsyncIterable<LogChunk>, opts: StreamOptions, log: Logger): Promise<void> {
  let status: StreamStatus = SUCCESS;
  try {
    for await (const chunk of output) {
      const toStderr = chunk.stream === 'stderr' && !opts.tty;
      if (toStderr ? opts.stderr : opts.stdout) await sock.send(toStderr ? Channel.Stderr : Channel.Stdout, chunk.data);
      if (!sock.open) break;
    }
  } catch (e) {
    status = failureOf(e, log, 'attach');
  }
  await finish(sock, status);
}

/** Sends the Status and closes; if the client is already gone there is no one to tell. */
export async function finish(sock: ChannelSocket, status: StreamStatus): Promise<void> {
  if (sock.open) {
    await sock.send(Channel.Status, JSON.stringify(status));
    sock.close();
  }
  await sock.closed;
}

function failureOf(e: unknown, log: Logger, what: string): StreamStatus {
  const status = errorStatus(e);
  if (status.code === 500) log.error({ err: e }, `${what} failed`);
  else log.debug({ err: e }, `${what} failed`);
  return status;
}
