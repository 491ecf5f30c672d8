import postgres from 'postgres';
import { failure, type FailureType } from '../config/failures.ts';

/** Ends the activity with a failure from the vocabulary; whether it retries is the vocabulary's to say. */
export function refuse(type: FailureType, message: string, options?: Parameters<typeof failure>[2]): never {
  throw failure(type, message, options);
}

/**
 * Integrity and data errors (SQLSTATE classes 22 and 23) will fail the same way
 * on every attempt, so they end the activity at once; anything else (lost
 * connections, serialization failures) is left to the retry policy. The
 * message names no constraint or SQL: it may reach an API client. The cause
 * (kept in the history, not in answers) has the details.
 */
export function finalIfPermanent(err: unknown): never {
  if (err instanceof postgres.PostgresError && err.code === '23503') {
    refuse('NotFound', 'A record this write refers to does not exist.', { cause: err });
  }
  if (err instanceof postgres.PostgresError && err.code.startsWith('23')) {
    refuse('ConstraintViolation', 'The write conflicts with data that already exists.', { cause: err });
  }
  if (err instanceof postgres.PostgresError && err.code.startsWith('22')) {
    refuse('ValidationError', 'A value in the write is out of range or malformed.', { cause: err });
  }
  throw err;
}
