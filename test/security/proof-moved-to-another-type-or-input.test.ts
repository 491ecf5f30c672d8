/**
 * Finding: a proof covered the workflow id and actor only, so it was good for any type and any input under
 * that id: `promoteSuperAdmin` started under the id of a closed `promotion-extend:<email>:…` run with that
 * run's sealed input passed the check. A proof now covers type, id, input and a nonce.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { workflows } from '../../contracts/workflows.ts';
import { actorSecret } from '../../db/installation.ts';
import { signCommand } from '../../domain/actor-proof.ts';
import { join, newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { failureOf, outsider, startedInputOf } from '../support/outsider.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const platform = (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token: stack.platformToken, body });
const start = (type: string, workflowId: string, input: unknown) =>
  outsider(stack).workflow.execute(type, {
    workflowId,
    taskQueue: workflows.setAccountStatus.taskQueue,
    args: [input],
  });

describe('a proof moved to another workflow type or input', () => {
  it('promoteSuperAdmin under the id of a closed extendPromotion run, with its sealed input, grants nothing', async () => {
    const account = await newAccount(stack, 'moved-glass');
    const email = `${unique('oncall')}@example.test`;
    await join(stack, account, 'agent', email);
    const path = `/v1/admin/promotions/${encodeURIComponent(email)}`;
    expect((await platform('POST', '/v1/admin/promotions', { email, reason: 'incident', ttl: '1h' })).status).toBe(201);
    expect((await platform('POST', `${path}/extend`, { reason: 'still digging', ttl: '1h' })).status).toBe(200);
    expect((await platform('POST', `${path}/revoke`, { reason: 'done' })).status).toBe(200);
    const [extend] = await stack.sql<{ workflow_id: string }[]>`
      select workflow_id from audit_log where workflow_id like ${`promotion-extend:${email.toLowerCase()}:%`}`;
    const sealed = await startedInputOf(stack, extend!.workflow_id);

    const failure = await failureOf(start(workflows.promoteSuperAdmin.type, extend!.workflow_id, sealed));

    expect(failure).toMatchObject({ type: 'Forbidden', nonRetryable: true });
    const active = await stack.sql`
      select 1 from super_admin_grants g join users u on u.id = g.user_id
       where lower(u.email) = lower(${email}) and g.ended_at is null`;
    expect(active).toHaveLength(0);
  });

  it('a proof the API made for one input is refused with another, and under another id; it acts only as made', async () => {
    const account = await newAccount(stack, 'moved-input');
    const workflowId = workflows.setAccountStatus.id({ accountId: account.accountId, key: randomUUID() });
    const input = { accountId: account.accountId, status: 'active' as const, actor: { type: 'PlatformApp', id: '1' } };
    // As the API signs it: a proof seen on the wire, in a history or a dead letter, before its run spent it.
    const proof = signCommand(await actorSecret(stack.sql), {
      type: workflows.setAccountStatus.type,
      workflowId,
      input,
    });
    const carrying = <T extends { actor: object }>(i: T) => ({ ...i, actor: { ...i.actor, proof } });

    const suspended = carrying({ ...input, status: 'suspended' as const });
    expect(await failureOf(start(workflows.setAccountStatus.type, workflowId, suspended))).toMatchObject({
      type: 'Forbidden',
    });
    const elsewhere = `account-status:${account.accountId}:${randomUUID()}`;
    expect(await failureOf(start(workflows.setAccountStatus.type, elsewhere, carrying(input)))).toMatchObject({
      type: 'Forbidden',
    });
    const [row] = await stack.sql`select status from accounts where id = ${account.accountId}`;
    expect(row).toMatchObject({ status: 'active' });

    // The command exactly as signed runs: the refusals above came from the move, not from the proof.
    expect(await start(workflows.setAccountStatus.type, workflowId, carrying(input))).toMatchObject({
      status: 'active',
    });
  });
});
