// Exec driven by the program instead of the terminal (kite cp): stdin from an iterable of buffers
// (written as the stream drains), stdout to a callback, stderr collected.
import type * as grpc from '@grpc/grpc-js';
import type { KiteClient } from '../../common/client';
import { fromServiceError } from '../../common/grpc';
import type { ExecOutput__Output } from '../../common/generated/kite/v1/ExecOutput';

export interface ExecIoResult {
  code: number;
  stderr: string;
}

export async function execWithIo(
  client: KiteClient,
  target: { namespace: string; pod: string; container?: string },
  command: string[],
  io: { stdin?: Iterable<Buffer>; onStdout?: (d: Buffer) => void },
): Promise<ExecIoResult> {
  const call = client.exec();
  call.write({ start: { namespace: target.namespace, pod: target.pod, container: target.container ?? '', command, tty: false, stdin: !!io.stdin } });
  const result = new Promise<ExecIoResult>((resolve, reject) => {
    let code: number | undefined;
    const stderr: Buffer[] = [];
    call.on('data', (o: ExecOutput__Output) => {
      if (o.output === 'stdout') io.onStdout?.(o.stdout!);
      else if (o.output === 'stderr') stderr.push(o.stderr!);
      else if (o.output === 'exit_code') code = o.exit_code;
    });
    call.on('end', () => resolve({ code: code ?? 0, stderr: Buffer.concat(stderr).toString() }));
    call.on('error', (e: grpc.ServiceError) => reject(fromServiceError(e, client.target)));
  });
  if (io.stdin) {
    for (const chunk of io.stdin) {
      if (!call.write({ stdin: chunk })) await new Promise((resolve) => call.once('drain', resolve));
    }
    call.write({ close_stdin: true });
  }
  try {
    return await result;
  } finally {
    call.end();
  }
}
