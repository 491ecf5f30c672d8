import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createAccountActivities } from '../../activities/accounts.ts';
import { createMemberActivities } from '../../activities/members.ts';
import { loadEnv } from '../../config/env.ts';
import { licenceSettings } from '../../config/licence.ts';
import { createLogger } from '../../config/logger.ts';
import { createPool, type Sql } from '../../db/pool.ts';
import { issueToken } from '../../db/tokens.ts';
import { unique } from '../support/stack.ts';

const logger = createLogger({ level: 'silent' });
let sql: Sql;

beforeAll(() => {
  sql = createPool({ url: inject('databaseUrl'), max: 4 });
});
afterAll(() => sql.end());

/** An account, its administrator, and a grant of that administrator that ends (or not) as the test says. */
async function accountWithGrant(ended: boolean) {
  const key = unique('glass');
  const token = issueToken();
  const made = await createAccountActivities({ sql, logger }).createAccountWithAdmin({
    idempotencyKey: key,
    workflowId: `account:${key}`,
    name: 'Race',
    locale: 'en',
    admin: { name: 'Ada', email: `${key}@example.test` },
    token: { sha256: token.sha256, prefix: token.prefix },
    actor: { type: 'PlatformApp', id: '1' },
  });
  const [grant] = await sql<{ id: number }[]>`
    insert into super_admin_grants (user_id, reason, granted_by, expires_at, workflow_id, ended_at, end_reason)
    values (${made.admin.id}, 'race', 'PlatformApp:1', now() + interval '1 hour', ${`promotion:${key}`},
            ${ended ? new Date() : null}, ${ended ? 'revoked' : null})
    returning id`;
  return { accountId: made.account.id, adminId: made.admin.id, grantId: grant!.id };
}

const mint = (accountId: number, userId: number, grantId: number) => {
  const token = issueToken();
  const members = createMemberActivities({ sql, logger, licence: licenceSettings(loadEnv()) });
  return members.createAccessToken({
    accountId,
    userId,
    name: 'under a grant',
    token: { sha256: token.sha256, prefix: token.prefix },
    actor: { type: 'User', id: String(userId), grantId },
    workflowId: unique('token'),
  });
};

describe('a write made with a break-glass token', () => {
  it('is listed against its grant in its own transaction', async () => {
    const a = await accountWithGrant(false);
    const token = await mint(a.accountId, a.adminId, a.grantId);
    const effects = await sql`select kind, subject_id from break_glass_effects where grant_id = ${a.grantId}`;
    expect(effects).toEqual([{ kind: 'token', subject_id: token.id }]);
  });

  it('that reaches its activity after the grant ended is refused, and writes nothing', async () => {
    const a = await accountWithGrant(true);
    const refused = await mint(a.accountId, a.adminId, a.grantId).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({ type: 'Forbidden' });
    const tokens = await sql`select 1 from access_tokens where account_id = ${a.accountId} and name = 'under a grant'`;
    expect(tokens).toHaveLength(0);
  });
});
