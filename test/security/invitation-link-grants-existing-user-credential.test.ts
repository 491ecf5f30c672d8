import { describe, expect, it } from 'vitest';
import { newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';
import { reachesAnyAccount, superAdminVictim } from '../support/victim.ts';

const stack = useStack({ http: true });

/**
 * The release blocker of issue 20: A's administrator invites the email of B's super admin, accepts the
 * one-time link themselves and used to get a token owned by the super admin.
 */
describe("an invitation link never yields an existing user's credential", () => {
  it("A's administrator accepting the link sent to B's super admin gets nothing usable", async () => {
    const a = await newAccount(stack, 'attacker');
    const victim = await superAdminVictim(stack);
    expect(await reachesAnyAccount(stack, victim.breakGlassToken)).toBe(200); // the power the attacker is after
    expect(await reachesAnyAccount(stack, victim.adminToken)).toBe(403); // an ordinary token of theirs carries none

    const invited = await a.api('POST', `/v1/accounts/${a.accountId}/invitations`, {
      body: { email: victim.email, role: 'administrator' },
    });
    expect(invited.status).toBe(201);
    const accepted = await call(stack.api.url, 'POST', '/v1/invitations/accept', {
      body: { token: invited.body.accept_token, name: 'Mallory' },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(409);
    expect(accepted.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(accepted.body.access_token).toBeUndefined();
    expect(JSON.stringify(accepted.body)).not.toContain(victim.name);
    expect(JSON.stringify(accepted.body)).not.toMatch(/access_token|support/);

    // Nothing was written for the victim: no token, no membership in A, the invitation still pending.
    const tokens = await stack.sql`
      select 1 from access_tokens where owner_type = 'User' and owner_id = ${victim.adminId} and account_id = ${a.accountId}`;
    expect(tokens).toHaveLength(0);
    const members = await a.api('GET', `/v1/accounts/${a.accountId}/members`);
    expect(members.body.payload.map((m: { user_id: number }) => m.user_id)).not.toContain(victim.adminId);
    const listed = await a.api('GET', `/v1/accounts/${a.accountId}/invitations`);
    expect(listed.body.payload.find((i: { id: number }) => i.id === invited.body.id).status).toBe('pending');

    // Trying again changes nothing; the victim, signed in, still accepts it with their own token.
    const again = await call(stack.api.url, 'POST', '/v1/invitations/accept', {
      body: { token: invited.body.accept_token },
    });
    expect(again.status).toBe(409);
    const own = await call(stack.api.url, 'POST', `/v1/invitations/${invited.body.id}/accept`, {
      token: victim.adminToken,
    });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect(own.body).toMatchObject({ account_id: a.accountId, user_id: victim.adminId });
  });

  it('a link still makes a new user, with a token, for an email that has none', async () => {
    const a = await newAccount(stack, 'inviter');
    const email = `${unique('newcomer')}@example.test`;
    const invited = await a.api('POST', `/v1/accounts/${a.accountId}/invitations`, { body: { email, role: 'agent' } });
    const accepted = await call(stack.api.url, 'POST', '/v1/invitations/accept', {
      body: { token: invited.body.accept_token, name: 'Newcomer' },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    const [user] = await stack.sql`select id from users where lower(email) = ${email}`;
    expect(accepted.body.user_id).toBe(Number(user!.id));
    expect(accepted.body.access_token).toEqual(expect.any(String));
  });
});
