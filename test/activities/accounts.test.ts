import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createAccountActivities } from '../../activities/accounts.ts';
import { createLogger } from '../../config/logger.ts';
import { createPool, type Sql } from '../../db/pool.ts';
import { issueSignInSecret, issueToken } from '../../db/tokens.ts';
import type { ProvisionAccountCommand } from '../../contracts/accounts.ts';
import { unique } from '../support/stack.ts';

let sql: Sql;
let activities: ReturnType<typeof createAccountActivities>;

beforeAll(() => {
  sql = createPool({ url: inject('databaseUrl'), max: 4 });
  activities = createAccountActivities({ sql, logger: createLogger({ level: 'silent' }) });
});
afterAll(() => sql.end());

type Command = ProvisionAccountCommand & { signInLink: NonNullable<ProvisionAccountCommand['signInLink']> };

function command(overrides: Partial<ProvisionAccountCommand> = {}): Command {
  const link = issueSignInSecret();
  const key = unique('key');
  return {
    idempotencyKey: key,
    workflowId: `account:${key}`,
    name: 'Acme Support',
    locale: 'en',
    admin: { name: 'Ada', email: `${unique('ada')}@acme.test` },
    signInLink: { sha256: link.sha256, prefix: link.prefix, expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
    actor: { type: 'PlatformApp', id: '1' },
    ...overrides,
  } as Command;
}

describe('createAccountWithAdmin', () => {
  it('writes the account, administrator, membership, a sign-in link for them (no token) and audit entry together', async () => {
    const cmd = command();
    const result = await activities.createAccountWithAdmin(cmd);

    expect(result).toMatchObject({ created: true, tokenStored: true });
    const [membership] =
      await sql`select role from account_users where account_id = ${result.account.id} and user_id = ${result.admin.id}`;
    expect(membership?.role).toBe('administrator');
    const [link] =
      await sql`select user_id, account_id, prefix, redeemed_at from sign_in_links where token_sha256 = ${cmd.signInLink.sha256!}`;
    expect(link).toMatchObject({
      user_id: result.admin.id,
      account_id: result.account.id,
      prefix: cmd.signInLink.prefix,
    });
    expect(link?.redeemed_at).toBeNull();
    expect(
      await sql`select id from access_tokens where owner_type = 'User' and owner_id = ${result.admin.id}`,
    ).toHaveLength(0);
    const [audit] =
      await sql`select action, workflow_id, details from audit_log where account_id = ${result.account.id}`;
    expect(audit).toMatchObject({ action: 'account.provisioned', workflow_id: cmd.workflowId });
    expect(audit?.details).toMatchObject({ signInLinkPrefix: cmd.signInLink.prefix });
  });

  it('completes a run started before the sign-in link as it began: its token hash is stored', async () => {
    const token = issueToken();
    const { signInLink: _none, ...rest } = command();
    const cmd: ProvisionAccountCommand = { ...rest, token: { sha256: token.sha256, prefix: token.prefix } };
    const result = await activities.createAccountWithAdmin(cmd);
    expect(result).toMatchObject({ created: true, tokenStored: true });
    const [stored] = await sql`select owner_type, owner_id from access_tokens where token_sha256 = ${token.sha256}`;
    expect(stored).toMatchObject({ owner_type: 'User', owner_id: result.admin.id });
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

  it('refuses an email that already has a user, whatever its case, writing nothing and making no link', async () => {
    const email = `${unique('grace')}@acme.test`;
    await activities.createAccountWithAdmin(command({ admin: { name: 'Grace', email } }));
    const second = command({ admin: { name: 'Grace H', email: email.toUpperCase() } });
    const failure = await activities.createAccountWithAdmin(second).catch((err: unknown) => err);
    expect(failure).toMatchObject({ type: 'Conflict', nonRetryable: true });
    expect(await sql`select id from accounts where idempotency_key = ${second.idempotencyKey}`).toHaveLength(0);
    expect(await sql`select id from sign_in_links where token_sha256 = ${second.signInLink.sha256!}`).toHaveLength(0);
  });

  it('commits nothing when one insert fails, and says the failure is final', async () => {
    const taken = command();
    await activities.createAccountWithAdmin(taken);
    const clash = command({ signInLink: taken.signInLink });

    const failure = await activities.createAccountWithAdmin(clash).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ConstraintViolation', nonRetryable: true });
    const rows = await sql`select id from accounts where idempotency_key = ${clash.idempotencyKey}`;
    expect(rows).toHaveLength(0);
  });
});
