import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createAccountActivities } from '../../activities/accounts.ts';
import { createLogger } from '../../config/logger.ts';
import { createPool, type Sql } from '../../db/pool.ts';
import { issueToken } from '../../db/tokens.ts';
import type { ProvisionAccountCommand } from '../../contracts/accounts.ts';
import { unique } from '../support/stack.ts';

let sql: Sql;
let activities: ReturnType<typeof createAccountActivities>;

beforeAll(() => {
  sql = createPool({ url: inject('databaseUrl'), max: 4 });
  activities = createAccountActivities({ sql, logger: createLogger({ level: 'silent' }) });
});
afterAll(() => sql.end());

function command(overrides: Partial<ProvisionAccountCommand> = {}): ProvisionAccountCommand {
  const token = issueToken();
  const key = unique('key');
  return {
    idempotencyKey: key,
    workflowId: `account:${key}`,
    name: 'Acme Support',
    locale: 'en',
    admin: { name: 'Ada', email: `${unique('ada')}@acme.test` },
    token: { sha256: token.sha256, prefix: token.prefix },
    actor: { type: 'PlatformApp', id: '1' },
    ...overrides,
  };
}

describe('createAccountWithAdmin', () => {
  it('writes the account, administrator, membership, token hash and audit entry together', async () => {
    const cmd = command();
    const result = await activities.createAccountWithAdmin(cmd);

    expect(result.created).toBe(true);
    const [membership] =
      await sql`select role from account_users where account_id = ${result.account.id} and user_id = ${result.admin.id}`;
    expect(membership?.role).toBe('administrator');
    const [token] =
      await sql`select owner_type, owner_id, prefix from access_tokens where token_sha256 = ${cmd.token.sha256}`;
    expect(token).toMatchObject({ owner_type: 'User', owner_id: result.admin.id, prefix: cmd.token.prefix });
    const [audit] = await sql`select action, workflow_id from audit_log where account_id = ${result.account.id}`;
    expect(audit).toMatchObject({ action: 'account.provisioned', workflow_id: cmd.workflowId });
  });

  it('run twice with one key, makes one account and answers with it both times', async () => {
    const cmd = command();
    const first = await activities.createAccountWithAdmin(cmd);
    const second = await activities.createAccountWithAdmin(cmd);

    expect(second).toEqual({ ...first, created: false });
    const [{ n }] =
      (await sql`select count(*)::int as n from accounts where idempotency_key = ${cmd.idempotencyKey}`) as unknown as [
        { n: number },
      ];
    expect(n).toBe(1);
  });

  it('refuses an email that already has a user, whatever its case, writing nothing and making no token', async () => {
    const email = `${unique('grace')}@acme.test`;
    await activities.createAccountWithAdmin(command({ admin: { name: 'Grace', email } }));
    const second = command({ admin: { name: 'Grace H', email: email.toUpperCase() } });
    const failure = await activities.createAccountWithAdmin(second).catch((err: unknown) => err);
    expect(failure).toMatchObject({ type: 'Conflict', nonRetryable: true });
    expect(await sql`select id from accounts where idempotency_key = ${second.idempotencyKey}`).toHaveLength(0);
    expect(await sql`select id from access_tokens where token_sha256 = ${second.token.sha256}`).toHaveLength(0);
  });

  it('commits nothing when one insert fails, and says the failure is final', async () => {
    const taken = command();
    await activities.createAccountWithAdmin(taken);
    const clash = command({ token: taken.token });

    const failure = await activities.createAccountWithAdmin(clash).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ConstraintViolation', nonRetryable: true });
    const rows = await sql`select id from accounts where idempotency_key = ${clash.idempotencyKey}`;
    expect(rows).toHaveLength(0);
  });
});
