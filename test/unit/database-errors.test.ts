import { Hono } from 'hono';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { createErrorHandler } from '../../api/problem/on-error.ts';
import { createLogger } from '../../config/logger.ts';

const secrets = /webhooks_account_id_url_key|duplicate key|UTF8/i;

function appThrowing(err: Error) {
  const app = new Hono();
  app.onError(createErrorHandler(createLogger({ level: 'silent' })));
  app.get('/', () => {
    throw err;
  });
  return app;
}

const pgError = (fields: Record<string, string>) =>
  Object.assign(Object.create(postgres.PostgresError.prototype) as Error, { name: 'PostgresError', ...fields });

describe('database errors the API meets', () => {
  it('a value PostgreSQL refuses answers 422 naming the column, without its message', async () => {
    const res = await appThrowing(
      pgError({ code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00', column_name: 'name' }),
    ).request('/');
    const text = await res.text();
    expect(res.status).toBe(422);
    expect(JSON.parse(text)).toMatchObject({
      detail: 'The value of name is not acceptable.',
      errors: [{ field: 'name', message: 'not acceptable' }],
    });
    expect(text).not.toMatch(secrets);
  });

  it('a constraint PostgreSQL enforces answers 409 without the constraint name or SQL', async () => {
    const res = await appThrowing(
      pgError({
        code: '23505',
        message: 'duplicate key value violates unique constraint "webhooks_account_id_url_key"',
        constraint_name: 'webhooks_account_id_url_key',
      }),
    ).request('/');
    const text = await res.text();
    expect(res.status).toBe(409);
    expect(text).not.toMatch(secrets);
  });
});
