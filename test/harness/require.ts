// Whether a real component may be missing. Outside CI a missing etcd or dockerd skips the
// tests that need it; with CI=true it fails the run loudly instead.
import { execFileSync } from 'node:child_process';

export const IN_CI = process.env.CI === 'true';

export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Call from a mocha before(): skips the suite, or throws under CI. */
export function requireCommand(ctx: Mocha.Context, cmd: string, what: string): void {
  if (hasCommand(cmd)) return;
  if (IN_CI) throw new Error(`${what} is required (CI=true) but \`${cmd}\` is not installed; run deploy/scripts/install-deps.sh`);
  ctx.skip();
}
