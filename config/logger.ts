import { pino, type Logger, type LoggerOptions } from 'pino';
import { redactSecrets } from './redact.ts';
import { currentRequestId } from './request-context.ts';

export type { Logger };

/**
 * pino's `redact` paths have no recursive wildcard, so every logged object and
 * every child's bindings are walked instead (see redact.ts): a secret-named
 * key is censored at any depth, `req.headers.authorization` included.
 */
export function createLogger(
  options: { level?: LoggerOptions['level']; name?: string; destination?: { write(line: string): void } } = {},
): Logger {
  const settings: LoggerOptions = {
    name: options.name ?? 'capstan',
    level: options.level ?? 'info',
    formatters: { log: (object) => redactSecrets(object) },
    // The log formatter has already serialized every error (and censored it).
    serializers: { err: (err: unknown) => (err instanceof Error ? pino.stdSerializers.err(err) : err) },
    base: { pid: process.pid },
    // Every child logger inherits this: a line written while serving a request (or running an
    // activity it caused) carries the request id without anyone passing it along.
    mixin: () => {
      const requestId = currentRequestId();
      return requestId === undefined ? {} : { requestId };
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const logger = options.destination ? pino(settings, options.destination) : pino(settings);
  // pino runs no formatter on a child's bindings; children inherit this through their prototype.
  const child = logger.child;
  logger.child = function redactedChild(this: Logger, bindings, childOptions) {
    return child.call(this, redactSecrets(bindings), childOptions);
  } as Logger['child'];
  return logger;
}
