import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../config/logger.ts';
import { withRequestId } from '../../config/request-context.ts';

declare module 'hono' {
  interface ContextVariableMap {
    logger: Logger;
  }
}

/**
 * Runs each request in the scope of its request id (set by hono's requestId
 * middleware before this one) and writes one access line per request. Loggers
 * add the id themselves (config/logger.ts), and the Temporal client passes it on
 * to the workflows the request starts (workers/request-id.ts).
 */
export function requestLogging(logger: Logger): MiddlewareHandler {
  return function logRequest(c, next) {
    return withRequestId(c.get('requestId'), async () => {
      const started = performance.now();
      c.set('logger', logger);
      await next();
      const line = {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      };
      if (c.res.status >= 500) logger.error(line, 'request failed');
      else logger.info(line, 'request');
    });
  };
}
