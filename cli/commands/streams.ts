// kite logs / kite exec: byte streams relayed by the controller from the pod's agent.
import type * as grpc from '@grpc/grpc-js';
import { fromServiceError } from '../../common/grpc';
import { invalid } from '../../common/errors';
import type { LogChunk__Output } from '../../common/generated/kite/v1/LogChunk';
import type { ExecOutput__Output } from '../../common/generated/kite/v1/ExecOutput';
import type { CliContext } from '../context';

export async function logsCommand(
  ctx: CliContext,
  pod: string,
  opts: { container?: string; follow?: boolean; tail?: string; timestamps?: boolean; previous?: boolean },
): Promise<void> {
  const tail = opts.tail === undefined ? -1 : Number(opts.tail);
  if (!Number.isInteger(tail) || tail < -1) throw invalid(`--tail: "${opts.tail}" must be a non-negative integer (or -1 for all)`);
  const podName = pod.replace(/^(pod|pods|po)\//, '');
  const call = ctx.client.logs({ namespace: ctx.namespace, pod: podName, container: opts.container ?? '', follow: !!opts.follow, tail_lines: tail, timestamps: !!opts.timestamps, previous: !!opts.previous });
  process.once('SIGINT', () => call.cancel());
  await new Promise<void>((resolve, reject) => {
    call.on('data', (c: LogChunk__Output) => (c.stream === 'stderr' ? process.stderr : process.stdout).write(c.data));
    call.on('end', () => resolve());
    call.on('error', (e: grpc.ServiceError) => (e.code === 1 /* CANCELLED */ ? resolve() : reject(fromServiceError(e, ctx.client.target))));
  });
}

/** Runs a command in a container; resolves with its exit code. */
export async function execCommand(ctx: CliContext, pod: string, command: string[], opts: { container?: string; stdin?: boolean; tty?: boolean }): Promise<number> {
  if (!command.length) throw invalid('exec needs a command after --, e.g. kite exec web -- ls /');
  const tty = !!opts.tty && process.stdin.isTTY === true;
  if (opts.tty && !process.stdin.isTTY) process.stderr.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  const podName = pod.replace(/^(pod|pods|po)\//, '');
  const call = ctx.client.exec();
  const size = () => ({ cols: process.stdout.columns ?? 80, rows: process.stdout.rows ?? 24 });
  call.write({ start: { namespace: ctx.namespace, pod: podName, container: opts.container ?? '', command, tty, stdin: !!opts.stdin, ...size() } });

  const cleanups: (() => void)[] = [];
  if (opts.stdin) {
    if (tty) {
      process.stdin.setRawMode(true);
      cleanups.push(() => process.stdin.setRawMode(false));
      const onResize = () => call.write({ resize: size() });
      process.stdout.on('resize', onResize);
      cleanups.push(() => process.stdout.off('resize', onResize));
    }
    const onData = (d: Buffer) => call.write({ stdin: d });
    const onEnd = () => call.write({ close_stdin: true });
    process.stdin.on('data', onData);
    process.stdin.on('end', onEnd);
    cleanups.push(() => {
      process.stdin.off('data', onData);
      process.stdin.off('end', onEnd);
      process.stdin.pause();
    });
  }
  try {
    return await new Promise<number>((resolve, reject) => {
      let code: number | undefined;
      call.on('data', (o: ExecOutput__Output) => {
        if (o.output === 'stdout') process.stdout.write(o.stdout!);
        else if (o.output === 'stderr') process.stderr.write(o.stderr!);
        else if (o.output === 'exit_code') code = o.exit_code;
      });
      call.on('end', () => resolve(code ?? 0));
      call.on('error', (e: grpc.ServiceError) => reject(fromServiceError(e, ctx.client.target)));
    });
  } finally {
    for (const c of cleanups) c();
    call.end();
  }
}
