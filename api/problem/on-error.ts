import type { Context, ErrorHandler } from 'hono';
import postgres from 'postgres';
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
    // A value PostgreSQL cannot take (out of range, bad encoding) came from the request: the client's mistake.
    if (err instanceof postgres.PostgresError && err.code.startsWith('22')) {
      return problemResponse(c, new ProblemError('validation', `A value in the request is not acceptable: ${err.message}.`).problem);
    }
    if (isUnavailable(err)) {
      (c.get('logger') ?? logger).warn({ err }, 'dependency unavailable');
      return problemResponse(c, new ProblemError('unavailable', 'PostgreSQL or Temporal is not reachable right now; retry shortly.').problem, { 'Retry-After': '5' });
    }
    (c.get('logger') ?? logger).error({ err }, 'unhandled error');
    return problemResponse(c, new ProblemError('internal', 'The error was logged; quote the request id when you report it.', { requestId: c.get('requestId') }).problem);
  };
}

/** Connection refused or lost (PostgreSQL), or gRPC UNAVAILABLE (Temporal). */
function isUnavailable(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ECONNREFUSED' || code === 'CONNECT_TIMEOUT' || code === 'CONNECTION_CLOSED' || code === 14) return true;
  }
  return false;
}
