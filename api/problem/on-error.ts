import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '../../config/logger.ts';
import { ProblemError, problemResponse } from './index.ts';

/** The one place an error becomes a response; client mistakes never become a 500. */
export function createErrorHandler(logger: Logger): ErrorHandler {
  return function onError(err: Error, c: Context) {
    if (err instanceof ProblemError) {
      const headers: Record<string, string> = err.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {};
      return problemResponse(c, err.problem, headers);
    }
    if (err instanceof HTTPException && err.status < 500) {
      const kind = err.status === 415 ? 'unsupportedMediaType' : err.status === 404 ? 'notFound' : 'malformed';
      const mapped = new ProblemError(kind, err.message);
      return problemResponse(c, { ...mapped.problem, status: err.status });
    }
    (c.get('logger') ?? logger).error({ err }, 'unhandled error');
    return problemResponse(c, new ProblemError('internal', 'The error was logged; quote the request id when you report it.', { requestId: c.get('requestId') }).problem);
  };
}
