import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAccountActivities } from '../../activities/accounts.ts';
import { createMemberActivities } from '../../activities/members.ts';
import { createMessageActivities } from '../../activities/messages.ts';
import { createLogger } from '../../config/logger.ts';
import { createPool, type Sql } from '../../db/pool.ts';
import { issueToken } from '../../db/tokens.ts';
import { testWebhookSettings, unique } from '../support/stack.ts';

/** An activity retried after its transaction committed (a worker killed before Temporal heard) must change nothing. */
let sql: Sql;
const logger = createLogger({ level: 'silent' });
const licence = {
  publicKeys: [],
  issuer: 'https://licensing.capstan.example',
  licensingServerUrl: 'http://127.0.0.1:9',
  heartbeatIntervalMs: 3_600_000,
  allowSeatOverage: false,
};

beforeAll(() => {
  sql = createPool({ url: inject('databaseUrl'), max: 4 });
});
afterAll(() => sql.end());

async function account() {
  const key = unique('acct');
  const token = issueToken();
  const made = await createAccountActivities({ sql, logger }).createAccountWithAdmin({
    idempotencyKey: key,
    workflowId: `account:${key}`,
    name: 'Retry',
    locale: 'en',
    admin: { name: 'A', email: `${key}@example.test` },
    token: { sha256: token.sha256, prefix: token.prefix },
    actor: { type: 'Operator', id: 't' },
  });
  expect(made.tokenStored).toBe(true);
  return made;
}

describe('activities retried after commit', () => {
  it('a provisioning retry reports its token as stored, so the request that started it can still hand it out', async () => {
    const key = unique('acct');
    const token = issueToken();
    const cmd = {
      idempotencyKey: key,
      workflowId: `account:${key}`,
      name: 'R',
      locale: 'en',
      admin: { name: 'A', email: `${key}@example.test` },
      token: { sha256: token.sha256, prefix: token.prefix },
      actor: { type: 'Operator' as const, id: 't' },
    };
    const activities = createAccountActivities({ sql, logger });
    await activities.createAccountWithAdmin(cmd);
    expect(await activities.createAccountWithAdmin(cmd)).toMatchObject({ created: false, tokenStored: true });
    expect(
      await activities.createAccountWithAdmin({ ...cmd, token: { ...cmd.token, sha256: issueToken().sha256 } }),
    ).toMatchObject({ created: false, tokenStored: false });
  });

  it('a token created twice by one run is audited once', async () => {
    const { account: a, admin } = await account();
    const members = createMemberActivities({ sql, logger, licence });
    const token = issueToken();
    const cmd = {
      accountId: a.id,
      userId: admin.id,
      name: 'laptop',
      token: { sha256: token.sha256, prefix: token.prefix },
      actor: { type: 'User' as const, id: String(admin.id) },
      workflowId: unique('token'),
    };
    const first = await members.createAccessToken(cmd);
    expect(await members.createAccessToken(cmd)).toEqual(first);
    const rows = await sql`select id from audit_log where workflow_id = ${cmd.workflowId}`;
    expect(rows).toHaveLength(1);
  });

  it('a status change retried answers what the first attempt did', async () => {
    const { account: a } = await account();
    const [inbox] = await sql<
      { id: number }[]
    >`insert into inboxes (account_id, name) values (${a.id}, 'in') returning id`;
    const messages = createMessageActivities({ sql, logger, webhooks: testWebhookSettings });
    const ingested = await messages.appendInboundMessage({
      accountId: a.id,
      inboxId: inbox!.id,
      contact: { identifier: 'c' },
      content: 'hi',
      actor: { type: 'Operator', id: 't' },
      workflowId: unique('message'),
    });
    const cmd = {
      accountId: a.id,
      displayId: ingested.result.conversation.displayId,
      status: 'resolved' as const,
      actor: { type: 'Operator' as const, id: 't' },
      workflowId: unique('status'),
    };
    const first = await messages.changeConversationStatus(cmd);
    const again = await messages.changeConversationStatus(cmd);
    expect(first.result).toMatchObject({ previousStatus: 'open', status: 'resolved', changed: true });
    expect(again.result).toEqual(first.result);
  });
});
