import { describe, expect, it } from 'vitest';
import { hashToken } from '../../db/tokens.ts';
import { join, newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const platform = (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token: stack.platformToken, body });
const as = (token: string, method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token, body });
const usesOf = (grantId: number, action: string) =>
  stack.sql<{ actor_id: string; account_id: number | null; details: { path: string; method: string } }[]>`
    select actor_id, account_id, details from audit_log where grant_id = ${grantId} and action = ${action} order by id`;

/** An engineer who belongs to one account, with an ordinary token; a victim account they are no member of. */
async function grantee() {
  const home = await newAccount(stack, 'oncall-home');
  const victim = await newAccount(stack, 'victim');
  const email = `${unique('oncall')}@example.test`;
  const { token, userId } = await join(stack, home, 'agent', email);
  return { home, victim, email, token, userId, members: `/v1/accounts/${victim.accountId}/members` };
}

describe('finding: super admin power follows the user', () => {
  it("an ordinary token of a grantee is refused on another account; only the grant's break-glass token opens it, until revoked", async () => {
    const g = await grantee();
    const promoted = await platform('POST', '/v1/admin/promotions', { email: g.email, reason: 'INC-7', ttl: '1h' });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(201);

    // The exploit: any ordinary token of the grantee, whoever holds it, read another account while the grant was in force.
    expect((await as(g.token, 'GET', g.members)).status).toBe(403);
    expect((await as(g.token, 'GET', `/v1/accounts/${g.victim.accountId}/access_tokens`)).status).toBe(403);

    // Neither a platform token nor someone else's token activates the grant.
    expect((await platform('POST', '/v1/break-glass/activate', { reason: 'not mine' })).status).toBe(403);
    expect((await as(g.victim.adminToken, 'POST', '/v1/break-glass/activate', { reason: 'not mine' })).status).toBe(
      404,
    );

    const activated = await as(g.token, 'POST', '/v1/break-glass/activate', { reason: 'INC-7: reading account data' });
    expect(activated.status, JSON.stringify(activated.body)).toBe(201);
    const glass: string = activated.body.token;
    expect(glass.startsWith('capbg_')).toBe(true);
    expect(activated.body).toMatchObject({ grant_id: promoted.body.grant_id, expires_at: promoted.body.expires_at });
    // Hashed at rest like any token: the row holds its SHA-256 and display prefix, never the secret.
    const [stored] = await stack.sql`select * from break_glass_tokens where grant_id = ${promoted.body.grant_id}`;
    expect(stored).toMatchObject({ token_sha256: hashToken(glass), prefix: glass.slice(0, 14) });
    expect(JSON.stringify(stored)).not.toContain(glass);

    expect((await as(glass, 'GET', g.members)).status).toBe(200);
    expect((await as(g.token, 'GET', g.members)).status).toBe(403);
    // Once per grant: a second holder of an ordinary token makes no second break-glass token, nor does the first.
    expect((await as(g.token, 'POST', '/v1/break-glass/activate', { reason: 'again' })).status).toBe(409);
    expect((await as(glass, 'POST', '/v1/break-glass/activate', { reason: 'chain' })).status).toBe(403);

    const used = await usesOf(promoted.body.grant_id, 'break_glass.used');
    expect(used.map((u) => u.details.path)).toContain(g.members);
    expect(used.every((u) => u.actor_id === String(g.userId))).toBe(true);
    // In the victim account's own audit log too.
    expect(used.find((u) => u.details.path === g.members)?.account_id).toBe(g.victim.accountId);
    expect((await as(glass, 'GET', '/v1/accounts/999999999999999/members')).status).toBe(404);
    const [activation] = await usesOf(promoted.body.grant_id, 'admin.break_glass_activated');
    expect(activation).toBeDefined();

    const revoked = await platform('POST', `/v1/admin/promotions/${encodeURIComponent(g.email)}/revoke`, {
      reason: 'INC-7 closed',
    });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    const refused = await as(glass, 'GET', g.members);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toContain('grant has ended');
    expect((await usesOf(promoted.body.grant_id, 'break_glass.refused')).map((u) => u.details.path)).toEqual([
      g.members,
    ]);
    // The grantee's own account still answers their ordinary token, as before the grant.
    expect((await as(g.token, 'GET', `/v1/accounts/${g.home.accountId}/members`)).status).toBe(200);
  });

  it("a permanent SuperAdmin user's ordinary token is refused on another account too", async () => {
    const g = await grantee();
    // No route makes one (Chatwoot's user type, set in the database): it must not open anything by itself.
    await stack.sql`update users set type = 'SuperAdmin' where id = ${g.userId}`;
    expect((await as(g.token, 'GET', g.members)).status).toBe(403);
    expect((await as(g.token, 'GET', `/v1/accounts/${g.home.accountId}/members`)).status).toBe(200);
    const explained = await platform('POST', '/v1/admin/debug-auth', {
      token: g.token,
      account_id: g.victim.accountId,
    });
    expect(explained.body.payload[0]).toMatchObject({ verdict: 'wrong_account', super_admin: false });
  });

  it('a break-glass token opens nothing once its grant reaches its TTL, ended by the durable timer', async () => {
    const g = await grantee();
    const promoted = await platform('POST', '/v1/admin/promotions', { email: g.email, reason: 'short', ttl: '6s' });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(201);
    const activated = await as(g.token, 'POST', '/v1/break-glass/activate', { reason: 'short look' });
    expect(activated.status, JSON.stringify(activated.body)).toBe(201);
    expect((await as(activated.body.token, 'GET', g.members)).status).toBe(200);

    const holder = stack.temporal.workflow.getHandle(promoted.body.workflow_id);
    expect(await holder.result()).toMatchObject({ endReason: 'expired' });
    expect((await as(activated.body.token, 'GET', g.members)).status).toBe(401);
    await until(
      'the refusal to be audited',
      async () => (await usesOf(promoted.body.grant_id, 'break_glass.refused')).length === 1,
    );
  });

  it('debug-auth explains a break-glass token: which grant, in force, then ended', async () => {
    const g = await grantee();
    const promoted = await platform('POST', '/v1/admin/promotions', { email: g.email, reason: 'debug', ttl: '1h' });
    const glass: string = (await as(g.token, 'POST', '/v1/break-glass/activate', { reason: 'debug' })).body.token;
    const explain = async (token: string) => {
      const answer = await platform('POST', '/v1/admin/debug-auth', { token, reason: 'ticket 9' });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(JSON.stringify(answer.body)).not.toContain(glass);
      return answer.body.payload[0];
    };
    const grantId = promoted.body.grant_id;
    expect(await explain(glass)).toMatchObject({ verdict: 'accepted', super_admin: true, grant_id: grantId });
    expect((await explain(glass.slice(0, 14))).explanation).toContain(`grant ${grantId}`);
    expect(await explain(g.token)).toMatchObject({ verdict: 'accepted', super_admin: false, grant_id: null });

    await platform('POST', `/v1/admin/promotions/${encodeURIComponent(g.email)}/revoke`, { reason: 'done' });
    const ended = await explain(glass);
    expect(ended).toMatchObject({ verdict: 'grant_ended', super_admin: false, grant_id: grantId });
    expect(ended.explanation).toContain('ended (revoked)');
  });
});
