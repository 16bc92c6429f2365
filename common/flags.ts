// Every long-running program's flags also read an environment variable (KITE_*).
import { InvalidArgumentError, Option } from 'commander';
import { errorMessage } from './errors';

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
