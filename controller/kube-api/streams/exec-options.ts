// What an exec or attach request asks for, from its query: the command (exec only, one
// `command=` per argument), the container, and which of stdin/stdout/stderr/tty it wants. The
// same rules as the kubelet: at least one stream, and no separate stderr with a TTY.
import { invalid } from '../../../common/errors';

export interface StreamOptions {
  /** Empty for attach. */
  command: string[];
  container?: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export function parseStreamOptions(query: URLSearchParams, subresource: 'exec' | 'attach'): StreamOptions {
  const flag = (name: string): boolean => {
    const v = query.get(name);
    if (v === null || v === '' || v === 'false' || v === '0') return false;
    if (v === 'true' || v === '1') return true;
    throw invalid(`query parameter ${name}=${JSON.stringify(v)} is not a boolean (true or false)`);
  };
  const opts: StreamOptions = {
    command: subresource === 'exec' ? query.getAll('command') : [],
    container: query.get('container') || undefined,
    stdin: flag('stdin'),
    stdout: flag('stdout'),
    stderr: flag('stderr'),
    tty: flag('tty'),
  };
  if (subresource === 'exec' && opts.command.length === 0) throw invalid('you must specify at least one command for the container (query parameter command)');
  if (!opts.stdin && !opts.stdout && !opts.stderr) throw invalid('you must specify at least 1 of stdin, stdout, stderr');
  // A terminal has one output: the kubelet drops stderr when both are asked for, and so does Kite.
  if (opts.tty) opts.stderr = false;
  return opts;
}
