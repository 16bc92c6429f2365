// Children the harness starts die with the test run, even when the run is interrupted (Ctrl-C,
// a CI timeout's SIGTERM) before the suites' after() hooks could stop them by pid.
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
const atExit: (() => void)[] = [];
let installed = false;

function killAll(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
  for (const fn of atExit.splice(0)) {
    try {
      fn();
    } catch {
      // best effort: the run is ending
    }
  }
}

/**
 * Runs fn (synchronously) once the harness's children are gone at the end of the run, e.g. to
 * remove host state the children created (an agent's pod network on the host's own engine).
 */
export function atRunEnd(fn: () => void): void {
  install();
  atExit.push(fn);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      killAll();
      process.kill(process.pid, sig);
    });
  }
}

/** Tracks a child until it exits; returns it for chaining. */
export function reap<T extends ChildProcess>(child: T): T {
  install();
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
