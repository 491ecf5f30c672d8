import { describe, expect, it } from 'vitest';
import { issueToken } from '../../db/tokens.ts';
import { join, mailedSignInToken, newAccount, type AccountFixture } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const platform = (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token: stack.platformToken, body });
const as = (token: string, method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token, body });
const auditOf = async (email: string, action: string) =>
  stack.sql<{ actor_type: string; actor_id: string; details: { reason?: string }; created_at: Date }[]>`
    select actor_type, actor_id, details, created_at from audit_log
     where action = ${action} and account_id is null and details->>'email' = ${email}`;

/** An agent of one account, and another account it is no member of. */
async function agentAndStranger(): Promise<{
  home: AccountFixture;
  other: AccountFixture;
  email: string;
  token: string;
}> {
  const home = await newAccount(stack, 'home');
  const other = await newAccount(stack, 'other');
  const email = `${unique('agent')}@example.test`;
  const { token } = await join(stack, home, 'agent', email);
  return { home, other, email, token };
}

describe('break-glass promotion', () => {
  it("gives the grantee a break-glass token, administrator of every account until revoked, each step audited; the user's own token stays in its account", async () => {
    const { other, email, token } = await agentAndStranger();
    const adminOnly = `/v1/accounts/${other.accountId}/access_tokens`;
    expect((await as(token, 'GET', adminOnly)).status).toBe(403);

    const promoted = await platform('POST', '/v1/admin/promotions', { email, reason: 'incident 42', ttl: '1h' });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(201);
    expect(promoted.body).toMatchObject({ email, reason: 'incident 42', ended_at: null });
    expect(Date.parse(promoted.body.expires_at) - Date.now()).toBeGreaterThan(59 * 60_000);
    expect((await as(token, 'GET', adminOnly)).status).toBe(403);
    const activated = await as(token, 'POST', '/v1/break-glass/activate', { reason: 'incident 42' });
    expect(activated.status, JSON.stringify(activated.body)).toBe(201);
    const glass: string = activated.body.token;
    expect((await as(glass, 'GET', adminOnly)).status).toBe(200);

    const again = await platform('POST', '/v1/admin/promotions', { email, reason: 'twice', ttl: '1h' });
    expect(again.status).toBe(409);

    const revoked = await platform('POST', `/v1/admin/promotions/${encodeURIComponent(email)}/revoke`, {
      reason: 'incident closed',
    });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    expect(revoked.body).toMatchObject({ end_reason: 'revoked', grant_id: promoted.body.grant_id });
    expect((await as(glass, 'GET', adminOnly)).status).toBe(401);
    expect((await as(token, 'GET', adminOnly)).status).toBe(403);

    // The holder was told and finished with the grant as it ended.
    const holder = stack.temporal.workflow.getHandle(promoted.body.workflow_id);
    expect(await holder.result()).toMatchObject({ endReason: 'revoked' });

    const [granted] = await auditOf(email, 'admin.promoted');
    expect(granted).toMatchObject({ actor_type: 'PlatformApp', details: { reason: 'incident 42' } });
    expect((await auditOf(email, 'admin.promotion_revoked'))[0]?.details.reason).toBe('incident closed');
    const [activation] = await stack.sql`
      select actor_type, details from audit_log where action = 'admin.break_glass_activated' and grant_id = ${promoted.body.grant_id}`;
    expect(activation).toMatchObject({ actor_type: 'User', details: { reason: 'incident 42' } });
  });

  it('extends a grant by the TTL from its current end, audited; refuses what is not in force', async () => {
    const { email } = await agentAndStranger();
    const promoted = await platform('POST', '/v1/admin/promotions', { email, reason: 'on call', ttl: '30m' });
    expect(promoted.status).toBe(201);
    const extended = await platform('POST', `/v1/admin/promotions/${encodeURIComponent(email)}/extend`, {
      reason: 'still digging',
      ttl: '1h',
    });
    expect(extended.status, JSON.stringify(extended.body)).toBe(200);
    expect(Date.parse(extended.body.expires_at) - Date.parse(promoted.body.expires_at)).toBe(3_600_000);
    // The holder re-armed its timer and says so in its current details (the Web UI's "details").
    const holder = stack.temporal.workflow.getHandle(promoted.body.workflow_id);
    const details = async () =>
      (await holder.query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails ?? '';
    await until('the holder to show the new end', async () => (await details()).includes(extended.body.expires_at));
    expect(await details()).toContain(email);
    const [row] = await auditOf(email, 'admin.promotion_extended');
    expect(row?.details).toMatchObject({ reason: 'still digging', to: extended.body.expires_at });

    const tooLong = await platform('POST', `/v1/admin/promotions/${encodeURIComponent(email)}/extend`, {
      reason: 'forever',
      ttl: '24h',
    });
    expect(tooLong.status).toBe(422);
    const tooShort = await platform('POST', '/v1/admin/promotions', { email, reason: 'blink', ttl: '1s' });
    expect(tooShort.status).toBe(422);
    expect(tooShort.body.errors).toEqual([{ field: 'ttl', message: 'must be between 5s and 24h' }]);
    await platform('POST', `/v1/admin/promotions/${encodeURIComponent(email)}/revoke`, { reason: 'done' });
    const none = await platform('POST', `/v1/admin/promotions/${encodeURIComponent(email)}/extend`, {
      reason: 'late',
      ttl: '1h',
    });
    expect(none.status).toBe(404);
    expect(
      (await platform('POST', '/v1/admin/promotions', { email: 'nobody@example.test', reason: 'x', ttl: '1h' })).status,
    ).toBe(404);
  });

  it('is for platform tokens only', async () => {
    const account = await newAccount(stack, 'admin-only');
    const answer = await account.api('POST', '/v1/admin/debug-auth', { body: { token: 'cap_whatever' } });
    expect(answer.status).toBe(403);
  });
});

describe('force reset', () => {
  it("revokes all the user's tokens at once: each answers 401 on its next request", async () => {
    const home = await newAccount(stack, 'reset');
    const email = `${unique('victim')}@example.test`;
    const { token, userId } = await join(stack, home, 'administrator', email);
    const tokens = `/v1/accounts/${home.accountId}/access_tokens`;
    const second = await as(token, 'POST', tokens, { name: 'laptop', user_id: userId });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const members = `/v1/accounts/${home.accountId}/members`;
    expect((await as(second.body.token, 'GET', members)).status).toBe(200);

    const reset = await platform('POST', '/v1/admin/force-reset', { email, reason: 'laptop stolen' });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body).toMatchObject({ email, tokens_revoked: 2 });
    expect((await as(token, 'GET', members)).status).toBe(401);
    expect((await as(second.body.token, 'GET', members)).status).toBe(401);
    const [row] = await stack.sql<{ actor_type: string; details: { reason: string } }[]>`
      select actor_type, details from audit_log where action = 'admin.force_reset' and subject_id = ${String(reset.body.user_id)}`;
    expect(row).toMatchObject({ actor_type: 'PlatformApp', details: { reason: 'laptop stolen' } });

    // The administrator's own token still works, and it cannot make the reset user a token.
    expect((await home.api('GET', members)).status).toBe(200);
    const minted = await home.api('POST', tokens, { body: { name: 'new laptop', user_id: userId } });
    expect(minted.status, JSON.stringify(minted.body)).toBe(403);
    // The way back: a one-time sign-in link from the operator, redeemed by the user for a token made after the reset.
    const since = stack.mail.mailbox.to(email).length;
    const link = await platform('POST', '/v1/admin/sign-in-links', {
      email,
      account_id: home.accountId,
      reason: 'new laptop',
    });
    expect(link.status, JSON.stringify(link.body)).toBe(201);
    expect(JSON.stringify(link.body)).not.toMatch(/sil_[A-Za-z0-9_-]{43}/);
    const back = await call(stack.api.url, 'POST', '/v1/sign-in-links/redeem', {
      body: { token: await mailedSignInToken(stack, email, since) },
    });
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect(back.body.user_id).toBe(userId);
    expect((await as(back.body.access_token, 'GET', members)).status).toBe(200);
  });
});

describe('debug-auth', () => {
  const explain = async (token: string, extra: object = {}) => {
    const answer = await platform('POST', '/v1/admin/debug-auth', { token, reason: 'ticket 7', ...extra });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(JSON.stringify(answer.body)).not.toContain(token.length > 16 ? token : '\u0000');
    return answer.body.payload as Array<{ verdict: string; explanation: string; prefix: string }>;
  };

  it('explains each refusal case, naming the token by its prefix only', async () => {
    const { home, other, email, token } = await agentAndStranger();
    const prefix = token.slice(0, 12);

    const [accepted] = await explain(token);
    expect(accepted).toMatchObject({ verdict: 'accepted', prefix });
    expect(accepted!.explanation).toContain(prefix);
    expect(accepted!.explanation).not.toContain(token);

    expect((await explain(issueToken().plaintext))[0]!.verdict).toBe('unknown');
    expect((await explain('cap_NoSuchOne'))[0]!.verdict).toBe('unknown');
    expect((await explain(token, { account_id: other.accountId }))[0]!.verdict).toBe('wrong_account');
    expect((await explain(token, { account_id: home.accountId, required_role: 'administrator' }))[0]!.verdict).toBe(
      'role_too_low',
    );
    expect((await explain(prefix))[0]).toMatchObject({ verdict: 'accepted', prefix });
    const [unscoped] = await explain(token, { account_id: home.accountId, required_scope: 'webhooks:manage' });
    expect(unscoped).toMatchObject({ verdict: 'scope_missing', prefix });
    expect(unscoped!.explanation).toContain('webhooks:manage');

    const suspended = await platform('PATCH', `/v1/accounts/${home.accountId}`, { status: 'suspended' });
    expect(suspended.status).toBe(200);
    expect((await explain(token))[0]!.verdict).toBe('account_suspended');
    await platform('PATCH', `/v1/accounts/${home.accountId}`, { status: 'active' });

    await stack.sql`update access_tokens set expires_at = now() - interval '1 second' where prefix = ${prefix}`;
    expect((await explain(token))[0]!.verdict).toBe('expired');
    await stack.sql`update access_tokens set expires_at = null where prefix = ${prefix}`;

    await stack.sql`delete from account_users where account_id = ${home.accountId} and user_id = (select id from users where email = ${email})`;
    expect((await explain(token))[0]!.verdict).toBe('not_a_member');

    await platform('POST', '/v1/admin/force-reset', { email, reason: 'compromised' });
    const [revoked] = await explain(token);
    expect(revoked).toMatchObject({ verdict: 'revoked', prefix });

    const rows = await stack.sql<{ details: { verdicts: { prefix: string; verdict: string }[]; reason: string } }[]>`
      select details from audit_log where action = 'admin.debug_auth' and details->'verdicts'->0->>'prefix' = ${prefix}`;
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(rows.every((r) => r.details.reason === 'ticket 7')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});
