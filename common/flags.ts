// Every long-running program's flags also read an environment variable (KITE_*).
import { InvalidArgumentError, Option } from 'commander';
import { errorMessage, invalid } from './errors';

/** A commander option whose default comes from the named environment variable. */
export function envOption(flags: string, description: string, env: string, fallback?: string): Option {
  const opt = new Option(flags, `${description} [env ${env}]`).env(env);
  return fallback === undefined ? opt : opt.default(fallback);
}

/** An argument parser whose errors commander reports as a usage error naming the flag, not a crash. */
export function checked<T>(parse: (v: string) => T): (v: string) => T {
  return (v) => {
    try {
      return parse(v);
    } catch (e) {
      throw new InvalidArgumentError(errorMessage(e));
    }
  };
}

export function positiveNumber(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${v}"`);
    return n;
  };
}

/** "30s", "5m", "1h", "500ms" or a bare number of seconds -> milliseconds. */
export function parseDuration(v: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw invalid(`${flag}: "${v}" is not a duration like 30s, 5m, 24h or 1h`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as Record<string, number>)[unit]!;
}
