import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../config/logger.ts';

declare module 'hono' {
  interface ContextVariableMap {
    logger: Logger;
  }
}

/**
 * Gives each request a child logger carrying its request id (set by hono's
 * requestId middleware before this one) and writes one access line per request.
 */
export function requestLogging(logger: Logger): MiddlewareHandler {
  return async function logRequest(c, next) {
    const started = performance.now();
    const requestLogger = logger.child({ requestId: c.get('requestId') });
    c.set('logger', requestLogger);
    await next();
    const line = {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
    if (c.res.status >= 500) requestLogger.error(line, 'request failed');
    else requestLogger.info(line, 'request');
  };
}
