import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, RetryState } from '@temporalio/common';
import { Hono } from 'hono';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../../api/problem/index.ts';
import { createErrorHandler } from '../../api/problem/on-error.ts';
import { toProblem } from '../../api/write.ts';
import { createLogger } from '../../config/logger.ts';

const secrets = /webhooks_account_id_url_key|insert into|duplicate key|UTF8/i;

function appThrowing(err: Error) {
  const app = new Hono();
  app.onError(createErrorHandler(createLogger({ level: 'silent' })));
  app.get('/', () => {
    throw err;
  });
  return app;
}

const pgError = (fields: Record<string, string>) => Object.assign(Object.create(postgres.PostgresError.prototype) as Error, { name: 'PostgresError', ...fields });

describe('database errors', () => {
  it('a value PostgreSQL refuses answers 422 naming the column, without its message', async () => {
    const res = await appThrowing(pgError({ code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00', column_name: 'name' })).request('/');
    const text = await res.text();
    expect(res.status).toBe(422);
    expect(JSON.parse(text)).toMatchObject({ detail: 'The value of name is not acceptable.', errors: [{ field: 'name', message: 'not acceptable' }] });
    expect(text).not.toMatch(secrets);
  });

  it('a constraint PostgreSQL enforces answers 409 without the constraint name or SQL', async () => {
    const res = await appThrowing(pgError({ code: '23505', message: 'duplicate key value violates unique constraint "webhooks_account_id_url_key"', constraint_name: 'webhooks_account_id_url_key' })).request('/');
    const text = await res.text();
    expect(res.status).toBe(409);
    expect(text).not.toMatch(secrets);
  });

  it('a workflow failure that wraps a database error keeps its status and loses its text', () => {
    const failure = ApplicationFailure.create({
      type: 'ConstraintViolation',
      message: 'duplicate key value violates unique constraint "webhooks_account_id_url_key"',
      nonRetryable: true,
      cause: new Error('insert into webhooks …'),
    });
    const problem = toProblem(new WorkflowFailedError('failed', failure, RetryState.NON_RETRYABLE_FAILURE), 'webhook:1:k') as ProblemError;
    expect(problem.problem).toMatchObject({ status: 409, detail: 'The request conflicts with existing data.' });
    expect(JSON.stringify(problem.problem)).not.toMatch(secrets);
  });

  it('a business refusal keeps its own words', () => {
    const failure = ApplicationFailure.create({ type: 'Conflict', message: 'Account 1 already has a webhook for https://a.example (id 3).', nonRetryable: true });
    const problem = toProblem(new WorkflowFailedError('failed', failure, RetryState.NON_RETRYABLE_FAILURE), 'webhook:1:k') as ProblemError;
    expect(problem.problem.detail).toBe('Account 1 already has a webhook for https://a.example (id 3).');
  });
});
