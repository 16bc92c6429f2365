// The one way the pod network runs host commands (ip, bridge, iptables): execFile with a timeout,
// optional stdin, and errors that name the command and carry its stderr.
import { execFile } from 'node:child_process';

export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    readonly command: string,
    readonly exitCode: number | string | undefined,
    readonly stderr: string,
  ) {
    super(`${command}: ${stderr.trim() || `exit ${String(exitCode)}`}`);
  }
}

export interface RunOptions {
  /** Written to the command's stdin (iptables-restore). */
  input?: string;
  timeoutMs?: number;
}

export interface CommandRunner {
  /** Runs `cmd args`; resolves with stdout, rejects with CommandError. */
  run(cmd: string, args: string[], opts?: RunOptions): Promise<string>;
}

export const execRunner: CommandRunner = {
  run(cmd, args, opts = {}) {
    const text = [cmd, ...args].join(' ');
    return new Promise((resolve, reject) => {
      const child = execFile(cmd, args, { timeout: opts.timeoutMs ?? 10_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) {
          const code = (err as NodeJS.ErrnoException & { code?: number | string }).code;
          const why = err.killed ? `timed out after ${opts.timeoutMs ?? 10_000} ms` : String(stderr || err.message);
          reject(new CommandError(text, code, why));
          return;
        }
        resolve(String(stdout));
      });
      // A command that exits before reading all its input (iptables-restore refusing line 1)
      // makes the write fail with EPIPE: its exit status and stderr tell the story, so the
      // write error is only swallowed, never left to crash the agent.
      child.stdin?.on('error', () => undefined);
      if (opts.input !== undefined) child.stdin?.end(opts.input);
    });
  },
};

/** Runs a command whose failure is expected at times (deleting something already gone). */
export async function tryRun(runner: CommandRunner, cmd: string, args: string[]): Promise<boolean> {
  try {
    await runner.run(cmd, args);
    return true;
  } catch {
    return false;
  }
}
