import { ApplicationFailure } from '@temporalio/common';
import postgres from 'postgres';

/**
 * Integrity and data errors (SQLSTATE classes 22 and 23) will fail the same way
 * on every attempt, so they end the activity at once; anything else (lost
 * connections, serialization failures) is left to the retry policy.
 */
export function finalIfPermanent(err: unknown): never {
  if (err instanceof postgres.PostgresError && err.code === '23503') {
    throw ApplicationFailure.create({ type: 'NotFound', message: `a referenced row does not exist (${err.constraint_name ?? err.message})`, nonRetryable: true, cause: err });
  }
  if (err instanceof postgres.PostgresError && /^2[23]/.test(err.code)) {
    throw ApplicationFailure.create({
      type: 'ConstraintViolation',
      message: `${err.message}${err.constraint_name ? ` (${err.constraint_name})` : ''}`,
      nonRetryable: true,
      cause: err,
    });
  }
  throw err;
}

/** Business refusals the API maps to statuses (api/write.ts); never retried. */
export type RefusalType = 'NotFound' | 'Conflict' | 'ValidationError' | 'Forbidden';

export function refuse(type: RefusalType, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}
