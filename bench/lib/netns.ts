// Scratch network namespaces for benchmarks that program the kernel (iptables) without touching
// this machine's own tables: create one, run commands inside it, remove it (idempotent).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { execRunner, type CommandRunner } from '../../node-agent/network/commands';

export interface ScratchNetns {
  name: string;
  /** The agent's exec runner, with every command entered into this namespace (nsenter --net). */
  runner: CommandRunner;
  remove(): void;
}

/** A command runner whose commands run in the network namespace at `nsPath`. */
export function runnerIn(nsPath: string): CommandRunner {
  return { run: (cmd, args, opts) => execRunner.run('nsenter', [`--net=${nsPath}`, cmd, ...args], opts) };
}

export function createScratchNetns(prefix = 'kite-bench'): ScratchNetns {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name], { stdio: 'ignore' });
  let removed = false;
  // Also removed if the process exits half-way (a failure, or SIGINT turned into exit by the bench).
  const remove = () => {
    if (removed) return;
    removed = true;
    process.removeListener('exit', remove);
    try {
      execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  };
  process.on('exit', remove);
  return { name, runner: runnerIn(`/var/run/netns/${name}`), remove };
}
