// One pino root logger per process; components take child({ component }).
import pino, { type Logger } from 'pino';

export type { Logger };

export interface LogOptions {
  level?: string;
  /** Pretty output; defaults to whether stdout is a TTY. */
  pretty?: boolean;
  name?: string;
}

// Secret values must never reach a log line: anything under these keys is censored.
const REDACT = ['data', 'stringData', '*.data', '*.stringData', 'env[*].value', 'password', 'auth', '*.password', '*.auth'];

export function createLogger(opts: LogOptions = {}): Logger {
  const level = opts.level ?? process.env.KITE_LOG_LEVEL ?? 'info';
  const pretty = opts.pretty ?? process.stdout.isTTY === true;
  const base = { name: opts.name };
  if (pretty) {
    return pino({ level, base, redact: REDACT, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } });
  }
  return pino({ level, base, redact: REDACT, timestamp: pino.stdTimeFunctions.isoTime });
}

/** A logger that drops everything, for tests and libraries used without one. */
export const silentLogger: Logger = pino({ level: 'silent' });
