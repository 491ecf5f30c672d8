import { describe, expect, it } from 'vitest';
import { join, mailedInvitationToken, newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { startReceiver } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';
import { activeGrant } from '../support/break-glass.ts';

const stack = useStack({ http: true });
const platform = (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token: stack.platformToken, body });
const as = (token: string | undefined, method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token, body });

interface Effect {
  id: number;
  kind: 'invitation' | 'membership' | 'token';
  subject_id: number;
  kept_at: string | null;
  ended_at: string | null;
}

/** A grantee holding an activated grant, and the account they reach only through it. */
async function grantInForce(ttl = '1h') {
  const home = await newAccount(stack, 'glass-home');
  const victim = await newAccount(stack, 'glass-victim');
  const email = `${unique('oncall')}@example.test`;
  const { token } = await join(stack, home, 'agent', email);
  const active = await activeGrant(stack, { email, token }, { reason: 'INC-9', ttl });
  const base = `/v1/accounts/${victim.accountId}`;
  const glass = (method: string, path: string, body?: unknown) =>
    as(active.breakGlassToken, method, `${base}${path}`, body);
  return { email, victim, base, glass, grantId: active.grantId, holder: active.workflowId };
}

/** The break-glass token invites `email`; the answer carries no link, which is read from that address's mail. */
async function inviteWithGlass(g: Awaited<ReturnType<typeof grantInForce>>, email: string, role: string) {
  const invited = await g.glass('POST', '/invitations', { email, role });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  expect(invited.body.accept_token).toBeUndefined();
  return { ...(invited.body as { id: number }), link: await mailedInvitationToken(stack, email) };
}

/**
 * With the break-glass token: a pending invitation (its link, as its address received it), an invitation someone
 * accepted (a membership and its token).
 */
async function makeWithGlass(g: Awaited<ReturnType<typeof grantInForce>>) {
  const pending = await inviteWithGlass(g, `${unique('pending')}@example.test`, 'agent');
  const invited = await inviteWithGlass(g, `${unique('friend')}@example.test`, 'administrator');
  const friend = await call(stack.api.url, 'POST', '/v1/invitations/accept', {
    body: { token: invited.link, name: 'Friend' },
  });
  expect(friend.status, JSON.stringify(friend.body)).toBe(201);
  expect((await as(friend.body.access_token, 'GET', `${g.base}/members`)).status).toBe(200);
  return { pending, friend: friend.body as { user_id: number; access_token: string } };
}

const effectsOf = async (grantId: number): Promise<Effect[]> => {
  const grant = await platform('GET', `/v1/admin/grants/${grantId}`);
  expect(grant.status, JSON.stringify(grant.body)).toBe(200);
  return grant.body.effects;
};

describe("finding: a break-glass grant's effects outlive it", () => {
  it('an invitation, a membership, tokens, a webhook and a role change made during the grant end with its revocation; the one an operator keeps stays', async () => {
    const g = await grantInForce();
    const { pending, friend } = await makeWithGlass(g);
    // Nobody makes a token for another person; a bot of the account is the one identity whose tokens an
    // administrator (here the break-glass token) makes.
    const bot = await g.glass('POST', '/bots', { name: 'ops bot' });
    expect(bot.status, JSON.stringify(bot.body)).toBe(201);
    const minted = await g.glass('POST', `/bots/${bot.body.id}/access_tokens`, { name: 'kept by ops' });
    expect(minted.status, JSON.stringify(minted.body)).toBe(201);
    // A subscription is a standing copy of the account's events: it ends with the grant too.
    const rx = await startReceiver();
    const hook = await g.glass('POST', '/webhooks', { url: rx.url, subscriptions: ['message_created'] });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    // An agent of the account made administrator under the grant is an agent again after it.
    const agent = await join(stack, g.victim, 'agent');
    const raised = await g.glass('PATCH', `/members/${agent.userId}`, { role: 'administrator' });
    expect(raised.status, JSON.stringify(raised.body)).toBe(200);

    const listed = await effectsOf(g.grantId);
    expect(listed.map((e) => e.kind).sort()).toEqual([
      'invitation',
      'invitation',
      'membership',
      'membership',
      'role',
      'token',
      'token',
      'webhook',
    ]);
    expect(listed.every((e) => !e.ended_at && !e.kept_at)).toBe(true);
    const keep = listed.find((e) => e.kind === 'token' && e.subject_id === minted.body.id)!;
    const kept = await platform('POST', `/v1/admin/grants/${g.grantId}/effects/${keep.id}/keep`, {
      reason: 'the admin asked for it',
    });
    expect(kept.status, JSON.stringify(kept.body)).toBe(200);
    expect(kept.body).toMatchObject({ kept_reason: 'the admin asked for it' });
    expect(kept.body.kept_by).toMatch(/^PlatformApp:\d+$/);
    // The bot the token belongs to is the grant's too: kept with it, or the token would end with its membership.
    const [botMembership] = await stack.sql<{ id: number }[]>`
      select id from account_users where account_id = ${g.victim.accountId} and user_id = ${bot.body.id}`;
    const keepBot = listed.find((e) => e.kind === 'membership' && e.subject_id === botMembership!.id)!;
    const keptBot = await platform('POST', `/v1/admin/grants/${g.grantId}/effects/${keepBot.id}/keep`, {
      reason: 'the admin asked for the bot too',
    });
    expect(keptBot.status, JSON.stringify(keptBot.body)).toBe(200);
    const memberIds = async () =>
      ((await g.victim.api('GET', `${g.base}/members`)).body.payload as { user_id: number; role: string }[]).map(
        (m) => `${m.user_id}:${m.role}`,
      );
    expect(await memberIds()).toEqual(
      expect.arrayContaining([`${friend.user_id}:administrator`, `${agent.userId}:administrator`]),
    );

    const revoked = await platform('POST', `/v1/admin/promotions/${encodeURIComponent(g.email)}/revoke`, {
      reason: 'INC-9 closed',
    });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);

    // The pending invitation's link opens nothing; the friend it let in is gone, with their token.
    const late = await call(stack.api.url, 'POST', '/v1/invitations/accept', { body: { token: pending.link } });
    expect(late.status).toBe(404);
    expect((await as(friend.access_token, 'GET', `${g.base}/members`)).status).toBe(401);
    const after = await memberIds();
    expect(after.filter((m) => m.startsWith(`${friend.user_id}:`))).toEqual([]);
    expect(after).toContain(`${agent.userId}:agent`);
    // The token the operator kept still works.
    expect((await as(minted.body.token, 'GET', `${g.base}/members`)).status).toBe(200);
    const disabled = await g.victim.api('GET', `${g.base}/webhooks/${hook.body.id}`);
    expect(disabled.body).toMatchObject({ status: 'disabled' });
    await rx.close();

    const effects = await effectsOf(g.grantId);
    expect(effects.filter((e) => e.ended_at).length).toBe(6);
    expect(effects.find((e) => e.id === keepBot.id)).toMatchObject({ ended_at: null });
    expect(effects.find((e) => e.id === keep.id)).toMatchObject({ ended_at: null });
    expect(effects.find((e) => e.id === keep.id)!.kept_at).not.toBeNull();
    const ended = effects.find((e) => e.kind === 'invitation')!;
    const tooLate = await platform('POST', `/v1/admin/grants/${g.grantId}/effects/${ended.id}/keep`, {
      reason: 'late',
    });
    expect(tooLate.status).toBe(409);
    const [audit] = await stack.sql<{ details: { effectsEnded: unknown[] } }[]>`
      select details from audit_log where action = 'admin.promotion_revoked' and subject_id = ${String(g.grantId)}`;
    expect(audit!.details.effectsEnded).toHaveLength(6);
  });

  it("what the grant made ends at its TTL, by the holder's durable timer", async () => {
    const g = await grantInForce('8s');
    const { pending, friend } = await makeWithGlass(g);
    await stack.temporal.workflow.getHandle(g.holder).result();

    expect((await effectsOf(g.grantId)).every((e) => e.ended_at)).toBe(true);
    const late = await call(stack.api.url, 'POST', '/v1/invitations/accept', { body: { token: pending.link } });
    expect(late.status).toBe(404);
    expect((await as(friend.access_token, 'GET', `${g.base}/members`)).status).toBe(401);
  });

  it("a forced reset of the grantee ends the grant's effects too", async () => {
    const g = await grantInForce();
    const { friend } = await makeWithGlass(g);
    expect((await platform('POST', '/v1/admin/force-reset', { email: g.email, reason: 'laptop lost' })).status).toBe(
      200,
    );
    expect((await effectsOf(g.grantId)).every((e) => e.ended_at)).toBe(true);
    expect((await as(friend.access_token, 'GET', `${g.base}/members`)).status).toBe(401);
  });
});
