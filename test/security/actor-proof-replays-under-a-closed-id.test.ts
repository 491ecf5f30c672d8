/**
 * Finding: an actor proof covered the workflow id and actor only, and the id-reuse policy was the API
 * client's alone. Whoever reaches Temporal started a closed run again under its own id with its sealed
 * input: a revoked grant came back, a suspended account was reactivated, a demoted member re-promoted.
 */
import { describe, expect, it } from 'vitest';
import { workflows } from '../../contracts/workflows.ts';
import { join, newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { failureOf, outsider, startedInputOf } from '../support/outsider.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const platform = (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token: stack.platformToken, body });

/** The newest run the audit log names under this id prefix (ids end in a fresh key). */
async function lastRunId(prefix: string): Promise<string> {
  const [row] = await stack.sql<{ workflow_id: string }[]>`
    select workflow_id from audit_log where workflow_id like ${`${prefix}%`} order by id desc limit 1`;
  expect(row, prefix).toBeDefined();
  return row!.workflow_id;
}

/** The closed run started again by an outsider, same type, same id, the input read from its history. */
async function replay(type: string, taskQueue: string, workflowId: string) {
  const input = await startedInputOf(stack, workflowId);
  return failureOf(outsider(stack).workflow.execute(type, { workflowId, taskQueue, args: [input] }));
}

describe('a closed run started again under its id with its sealed input', () => {
  it('setAccountStatus: the old reactivation does not un-suspend the account', async () => {
    const account = await newAccount(stack, 'replay-status');
    const path = `/v1/accounts/${account.accountId}`;
    expect((await platform('PATCH', path, { status: 'suspended', reason: 'abuse' })).status).toBe(200);
    expect((await platform('PATCH', path, { status: 'active', reason: 'appeal' })).status).toBe(200);
    const reactivation = await lastRunId(`account-status:${account.accountId}:`);
    expect((await platform('PATCH', path, { status: 'suspended', reason: 'abuse again' })).status).toBe(200);

    const failure = await replay(workflows.setAccountStatus.type, workflows.setAccountStatus.taskQueue, reactivation);

    expect(failure).toMatchObject({ type: 'Forbidden', nonRetryable: true });
    const [row] = await stack.sql`select status from accounts where id = ${account.accountId}`;
    expect(row).toMatchObject({ status: 'suspended' });
  });

  it('changeRole: the old promotion does not make the demoted member an administrator again', async () => {
    const account = await newAccount(stack, 'replay-role');
    const member = await join(stack, account, 'agent');
    const path = `/v1/accounts/${account.accountId}/members/${member.userId}`;
    expect((await account.api('PATCH', path, { body: { role: 'administrator' } })).status).toBe(200);
    const promotion = await lastRunId(`member-role:${account.accountId}:${member.userId}:`);
    expect((await account.api('PATCH', path, { body: { role: 'agent' } })).status).toBe(200);

    const failure = await replay(workflows.changeRole.type, workflows.changeRole.taskQueue, promotion);

    expect(failure).toMatchObject({ type: 'Forbidden', nonRetryable: true });
    const [row] = await stack.sql`
      select role from account_users where account_id = ${account.accountId} and user_id = ${member.userId}`;
    expect(row).toMatchObject({ role: 'agent' });
  });

  it('promoteSuperAdmin: the revoked grant does not come back', async () => {
    const account = await newAccount(stack, 'replay-glass');
    const email = `${unique('oncall')}@example.test`;
    await join(stack, account, 'agent', email);
    const promoted = await platform('POST', '/v1/admin/promotions', { email, reason: 'incident', ttl: '1h' });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(201);
    const holder = promoted.body.workflow_id as string;
    const revoked = await platform('POST', `/v1/admin/promotions/${encodeURIComponent(email)}/revoke`, {
      reason: 'done',
    });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    await stack.temporal.workflow.getHandle(holder).result();

    const failure = await replay(workflows.promoteSuperAdmin.type, workflows.promoteSuperAdmin.taskQueue, holder);

    expect(failure).toMatchObject({ type: 'Forbidden', nonRetryable: true });
    const active = await stack.sql`
      select 1 from super_admin_grants g join users u on u.id = g.user_id
       where lower(u.email) = lower(${email}) and g.ended_at is null`;
    expect(active).toHaveLength(0);
  });
});
