import { describe, expect, it } from 'vitest';
import { invite, newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';
import { reachesAnyAccount, superAdminVictim } from '../support/victim.ts';

const stack = useStack({ http: true });

/**
 * The release blocker of issue 20: A's administrator invites the email of B's super admin, accepts the
 * one-time link themselves and used to get a token owned by the super admin. The inviter no longer holds
 * the link (it is mailed to the invited address only); the link itself still yields no existing user's credential.
 */
describe("an invitation link never yields an existing user's credential", () => {
  it("the link sent to B's super admin, accepted without their own token, gets nothing usable", async () => {
    const a = await newAccount(stack, 'attacker');
    const victim = await superAdminVictim(stack);
    expect(await reachesAnyAccount(stack, victim.breakGlassToken)).toBe(200); // the power the attacker is after
    expect(await reachesAnyAccount(stack, victim.adminToken)).toBe(403); // an ordinary token of theirs carries none

    // A's administrator is not handed the link: it is in the victim's mailbox, and nowhere else.
    const { invitation, token: link } = await invite(stack, a, victim.email, { role: 'administrator' });
    expect(invitation.accept_token).toBeUndefined();
    expect(JSON.stringify(invitation)).not.toContain(link);
    expect(stack.mail.mailbox.mails.filter((m) => m.text.includes(link)).map((m) => m.to)).toEqual([
      [victim.email.toLowerCase()],
    ]);
    // Whoever holds it: accepted in the victim's name without their own token, it makes nothing.
    const accepted = await call(stack.api.url, 'POST', '/v1/invitations/accept', {
      body: { token: link, name: 'Mallory' },
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
    expect(listed.body.payload.find((i: { id: number }) => i.id === invitation.id).status).toBe('pending');

    // Trying again changes nothing; the victim, signed in, still accepts it with their own token.
    const again = await call(stack.api.url, 'POST', '/v1/invitations/accept', { body: { token: link } });
    expect(again.status).toBe(409);
    const own = await call(stack.api.url, 'POST', `/v1/invitations/${invitation.id}/accept`, {
      token: victim.adminToken,
    });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect(own.body).toMatchObject({ account_id: a.accountId, user_id: victim.adminId });
  });

  it('a link still makes a new user, with a token, for an email that has none', async () => {
    const a = await newAccount(stack, 'inviter');
    const email = `${unique('newcomer')}@example.test`;
    const { token } = await invite(stack, a, email);
    const accepted = await call(stack.api.url, 'POST', '/v1/invitations/accept', {
      body: { token, name: 'Newcomer' },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    const [user] = await stack.sql`select id from users where lower(email) = ${email}`;
    expect(accepted.body.user_id).toBe(Number(user!.id));
    expect(accepted.body.access_token).toEqual(expect.any(String));
  });
});
