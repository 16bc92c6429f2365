// Running a long-lived process: start it, stop it cleanly on SIGTERM/SIGINT (forcing exit if
// stopping hangs), log unhandled rejections instead of dying on them.
import type { Logger } from './log';
import { errorMessage } from './errors';

export interface Service {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function runService(component: string, service: Service, log: Logger, stoppingMessage = 'stopping'): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ component, signal }, stoppingMessage);
    setTimeout(() => process.exit(1), 10_000).unref();
    try {
      await service.stop();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('unhandledRejection', (e) => log.error({ component, err: e }, 'unhandled rejection'));
  service.start().catch((e: unknown) => {
    log.fatal({ component, err: errorMessage(e) }, `${component} failed to start`);
    process.exit(1);
  });
}
