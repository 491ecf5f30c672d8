import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../config/logger.ts';

const pinoLevel: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

let installed = false;

/**
 * Installs the Temporal runtime once per process, sending SDK and core logs to
 * pino. Must run before any Worker or NativeConnection is created. Shutdown
 * signals are left to the caller, which stops API, workers and servers in order.
 */
export function installRuntime(logger: Logger, options: { metrics?: { hostname: string; port: number } } = {}): void {
  if (installed) return;
  const sdkLogger = logger.child({ component: 'temporal' });
  Runtime.install({
    logger: new DefaultLogger('INFO', ({ level, message, meta }) => sdkLogger[pinoLevel[level]](meta ?? {}, message)),
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      ...(options.metrics && {
        metrics: { prometheus: { bindAddress: `${options.metrics.hostname}:${options.metrics.port}` } },
      }),
    },
    shutdownSignals: [],
  });
  installed = true;
}
