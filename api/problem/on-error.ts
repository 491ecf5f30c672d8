import type { Context, ErrorHandler } from 'hono';
import postgres from 'postgres';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '../../config/logger.ts';
import { ProblemError, problemResponse } from './index.ts';

/** The one place an error becomes a response; client mistakes never become a 500. */
export function createErrorHandler(logger: Logger): ErrorHandler {
  return function onError(err: Error, c: Context) {
    if (err instanceof ProblemError) {
      const headers: Record<string, string> =
        err.status === 401 ? { 'WWW-Authenticate': 'Bearer', ...err.headers } : err.headers;
      return problemResponse(c, err.problem, headers);
    }
    if (err instanceof HTTPException && err.status < 500) {
      const kind = err.status === 415 ? 'unsupportedMediaType' : err.status === 404 ? 'notFound' : 'malformed';
      const mapped = new ProblemError(kind, err.message);
      return problemResponse(c, { ...mapped.problem, status: err.status });
    }
    if (err instanceof postgres.PostgresError && /^2[23]/.test(err.code)) return databaseRefusal(c, err);
    if (isUnavailable(err)) {
      (c.get('logger') ?? logger).warn({ err }, 'dependency unavailable');
      return problemResponse(
        c,
        new ProblemError('unavailable', 'PostgreSQL or Temporal is not reachable right now; retry shortly.').problem,
        { 'Retry-After': '5' },
      );
    }
    (c.get('logger') ?? logger).error({ err }, 'unhandled error');
    return problemResponse(
      c,
      new ProblemError('internal', 'The error was logged; quote the request id when you report it.', {
        requestId: c.get('requestId'),
      }).problem,
    );
  };
}

/** Connection refused or lost (PostgreSQL), or gRPC UNAVAILABLE (Temporal). */
function isUnavailable(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ECONNREFUSED' || code === 'CONNECT_TIMEOUT' || code === 'CONNECTION_CLOSED' || code === 14)
      return true;
  }
  return false;
}

/**
 * A value PostgreSQL cannot take (class 22) or a constraint it enforces (23)
 * came from the request. The answer names the column when PostgreSQL does, and
 * never carries its message: that holds SQL text and constraint names.
 */
function databaseRefusal(c: Context, err: InstanceType<typeof postgres.PostgresError>): Response {
  c.get('logger')?.info(
    { code: err.code, constraint: err.constraint_name },
    'database refused a value from the request',
  );
  const field = err.column_name;
  if (err.code.startsWith('23'))
    return problemResponse(c, new ProblemError('conflict', 'The request conflicts with existing data.').problem);
  const detail = field ? `The value of ${field} is not acceptable.` : 'A value in the request is not acceptable.';
  return problemResponse(
    c,
    new ProblemError('validation', detail, field ? { errors: [{ field, message: 'not acceptable' }] } : {}).problem,
  );
}
