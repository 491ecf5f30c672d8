import { afterAll, describe, expect, it } from 'vitest';
import { progressQuery } from '../../../contracts/deploys.ts';
import { workflows } from '../../../contracts/workflows.ts';
import { defaultFaults } from '../../../sandbox/clever-cloud/state.ts';
import { ensureSchedules, ownedScheduleIds } from '../../../workers/schedules.ts';
import { executeWorkflow } from '../../../workers/start.ts';
import { invite, join, newAccount, newInbox } from '../../support/fixtures.ts';
import { call } from '../../support/http.ts';
import { startReceiver, until } from '../../support/receiver.ts';
import { unique, useStack } from '../../support/stack.ts';
import { saveHistory, saveLatest } from '../histories.ts';
import { actorSecret } from '../../../db/installation.ts';

// A database of its own: the licence and schedules are installation-wide.
const stack = useStack({ http: true, ownDatabase: true, clever: true, licensing: { heartbeatIntervalMs: 3_600_000 } });
const platform = (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token: stack.platformToken, body });
const ok = (res: { status: number; body: unknown }, status = 200) =>
  expect(res.status, JSON.stringify(res.body)).toBe(status);
const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

describe('record the core workflows', () => {
  it('accounts, members, tokens, inboxes, messages and webhooks', async () => {
    const rx = await startReceiver();
    closers.push(rx.close);
    const account = await newAccount(stack, 'replay');
    const base = `/v1/accounts/${account.accountId}`;
    const agent = await join(stack, account, 'agent');
    // Its mail goes out (the newest mailInvitation run, recorded below, is this one) before it is withdrawn.
    const pending = await invite(stack, account, `${unique('pending')}@example.test`);
    ok(await account.api('DELETE', `${base}/invitations/${pending.invitation.id}`));
    const added = await platform('POST', `${base}/members`, {
      name: 'Grace',
      email: `${unique('grace')}@example.test`,
      role: 'agent',
    });
    ok(added, 201);
    ok(await account.api('PATCH', `${base}/members/${added.body.user_id}`, { body: { role: 'administrator' } }));
    expect((await account.api('DELETE', `${base}/members/${added.body.user_id}`)).status).toBe(204);
    const token = await call(stack.api.url, 'POST', `${base}/access_tokens`, {
      token: agent.token,
      body: { name: 'ci' },
    });
    ok(token, 201);
    ok(await account.api('DELETE', `${base}/access_tokens/${token.body.id}`));

    const made = await platform('POST', '/v1/platform/tokens', { app: unique('replay'), name: 'recorder' });
    ok(made, 201);
    const rotated = await platform('POST', `/v1/platform/tokens/${made.body.id}/rotate`, {});
    ok(rotated, 201);
    ok(await platform('DELETE', `/v1/platform/tokens/${rotated.body.id}`));
    const other = await newAccount(stack, 'replay-suspended');
    ok(await platform('PATCH', `/v1/accounts/${other.accountId}`, { status: 'suspended', reason: 'replay' }));

    const inboxId = await newInbox(account);
    const hook = await account.api('POST', `${base}/webhooks`, {
      body: { url: rx.url, subscriptions: ['message_created', 'conversation_status_changed'] },
    });
    ok(hook, 201);
    ok(
      await account.api('POST', `${base}/inboxes/${inboxId}/messages`, {
        body: { contact: { identifier: unique('contact') }, content: 'recorded' },
      }),
      201,
    );
    ok(await account.api('POST', `${base}/conversations/1/toggle_status`, { body: { status: 'resolved' } }));
    await until('two deliveries', () => rx.received.length >= 2);
    ok(
      await account.api('PATCH', `${base}/webhooks/${hook.body.id}`, { body: { subscriptions: ['message_created'] } }),
    );
    ok(await account.api('DELETE', `${base}/webhooks/${hook.body.id}`), 204);

    // provisionAccount is recorded with the sign-in links (identity.record.ts).
    for (const type of [
      'inviteMember',
      'mailInvitation',
      'acceptInvitation',
      'revokeInvitation',
      'addMember',
      'changeRole',
      'removeMember',
      'createAccessToken',
      'revokeAccessToken',
      'createPlatformToken',
      'rotatePlatformToken',
      'revokePlatformToken',
      'setAccountStatus',
      'createInbox',
      'ingestMessage',
      'changeConversationStatus',
      'createWebhook',
      'updateWebhook',
      'deleteWebhook',
      'deliverWebhook',
    ])
      await saveLatest(stack, type);
  });

  it('a delivery retrying, dead letters retried, discarded and purged', async () => {
    let down = true;
    const rx = await startReceiver(() => (down ? 503 : 200));
    closers.push(rx.close);
    const account = await newAccount(stack, 'replay-dead');
    const base = `/v1/accounts/${account.accountId}`;
    const inboxId = await newInbox(account);
    ok(
      await account.api('POST', `${base}/webhooks`, { body: { url: rx.url, subscriptions: ['message_created'] } }),
      201,
    );
    for (const content of ['one', 'two', 'three'])
      ok(
        await account.api('POST', `${base}/inboxes/${inboxId}/messages`, {
          body: { contact: { identifier: unique('c') }, content },
        }),
        201,
      );
    await until('a few failed attempts', () => rx.received.length >= 6);
    await saveLatest(stack, 'deliverWebhook', 'retrying', true);

    const letters = await until(
      'three dead letters',
      async () => {
        const res = await platform('GET', `/v1/dead-letters?accountId=${account.accountId}`);
        return res.body.payload?.length === 3 && (res.body.payload as { id: number; workflow_id: string }[]);
      },
      60_000,
    );
    await stack.temporal.workflow.getHandle(letters[0]!.workflow_id).result();
    await saveHistory(stack, letters[0]!.workflow_id, { type: 'deliverWebhook', variant: 'dead' });
    down = false;
    ok(await platform('POST', `/v1/dead-letters/${letters[0]!.id}/discard`, { reason: 'replay' }));
    ok(await platform('POST', `/v1/dead-letters/${letters[1]!.id}/retry`));
    ok(await platform('POST', '/v1/dead-letters/retry', { accountId: account.accountId, kind: 'deliverWebhook' }));
    const operator = { type: 'Operator' as const, id: 'recorder' };
    await executeWorkflow(
      stack.temporal,
      workflows.purgeDeadLetters,
      { key: unique('purge') },
      { retentionDays: 30, actor: operator },
    );
    await executeWorkflow(
      stack.temporal,
      workflows.pruneProofNonces,
      { key: unique('prune') },
      { batch: 100, actor: operator },
    );
    for (const type of [
      'discardDeadLetter',
      'retryDeadLetter',
      'retryDeadLetters',
      'purgeDeadLetters',
      'pruneProofNonces',
    ])
      await saveLatest(stack, type);
  });

  it('break-glass, triage, licence, schedules and breakers', async () => {
    const account = await newAccount(stack, 'replay-admin');
    const email = `${unique('oncall')}@example.test`;
    await join(stack, account, 'agent', email);
    const promoted = await platform('POST', '/v1/admin/promotions', { email, reason: 'incident', ttl: '1h' });
    ok(promoted, 201);
    await saveHistory(stack, promoted.body.workflow_id, { type: 'promoteSuperAdmin', variant: 'in-force' });
    const path = `/v1/admin/promotions/${encodeURIComponent(email)}`;
    ok(await platform('POST', `${path}/extend`, { reason: 'still digging', ttl: '1h' }));
    ok(await platform('POST', `${path}/revoke`, { reason: 'done' }));
    await stack.temporal.workflow.getHandle(promoted.body.workflow_id).result();
    await saveHistory(stack, promoted.body.workflow_id, { type: 'promoteSuperAdmin', variant: 'revoked' });
    ok(await platform('POST', '/v1/admin/force-reset', { email, reason: 'lost laptop' }));
    ok(await platform('POST', '/v1/admin/debug-auth', { token: account.adminToken, reason: 'why 401' }));

    const aud = (await platform('GET', '/v1/license')).body.installation_id as string;
    const key = await stack.licensing.issuer.issue({ aud, plan: 'business', seats: 100, expiresIn: 3600 });
    ok(await platform('PUT', '/v1/license', { key }));
    ok(await platform('POST', '/v1/license/heartbeat'));

    await ensureSchedules(
      stack.temporal,
      {
        heartbeatIntervalMs: 3_600_000,
        deadLetterRetentionDays: 30,
        assetGcIntervalMs: 21_600_000,
      },
      await actorSecret(stack.sql),
    );
    closers.push(async () => {
      for (const id of ownedScheduleIds) await stack.temporal.schedule.getHandle(id).delete();
    });
    ok(await platform('POST', `/v1/schedules/dead-letter-retention/pause`, { reason: 'replay' }));

    const breaker = unique('replay-breaker');
    await stack.sql`insert into breakers (name, state, opened_at, half_open_at)
                    values (${breaker}, 'open', now(), now() + interval '1 hour')`;
    ok(await platform('POST', `/v1/breakers/${breaker}/reset`, { reason: 'replay' }));

    for (const type of [
      'extendPromotion',
      'revokePromotion',
      'forceReset',
      'debugAuth',
      'reconcilePremiumFeatures',
      'licenceHeartbeat',
      'operateSchedule',
      'resetBreaker',
    ])
      await saveLatest(stack, type);
  });

  it('a deploy, mid-flight and done', async () => {
    stack.clever.state.faults = { ...defaultFaults, deployDurationMs: 4_000, notFoundMs: 0 };
    const appId = unique('app');
    stack.clever.state.addApp('orga_replay', appId, appId, 'aaaa1111');
    ok(await platform('POST', '/v1/deploys', { owner_id: 'orga_replay', app_id: appId, commit: 'bbbb2222' }), 202);
    const workflowId = workflows.deployApplication.id({ ownerId: 'orga_replay', appId });
    const handle = stack.temporal.workflow.getHandle(workflowId);
    await until('the deploy to be followed', async () => (await handle.query(progressQuery)).phase === 'following');
    await saveHistory(stack, workflowId, { type: 'deployApplication', variant: 'in-progress' });
    expect(await handle.result()).toMatchObject({ status: 'succeeded' });
    await saveHistory(stack, workflowId, { type: 'deployApplication' });
  });

  it('housekeeping: expired budgets and idle breakers pruned', async () => {
    await executeWorkflow(
      stack.temporal,
      workflows.pruneExpiredState,
      { key: unique('prune') },
      {
        actor: { type: 'Operator', id: 'recorder' },
      },
    );
    await saveLatest(stack, 'pruneExpiredState');
  });

  it('retention: rows past a retention pruned in batches', async () => {
    await executeWorkflow(
      stack.temporal,
      workflows.pruneRetained,
      { key: unique('retention') },
      { target: 'webhook_deliveries', retentionDays: 30, actor: { type: 'Operator', id: 'recorder' } },
    );
    await saveLatest(stack, 'pruneRetained');
  });
});
