import { describe, expect, it } from 'vitest';
import { mailedInvitationToken, newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';
import { superAdminVictim } from '../support/victim.ts';

const stack = useStack({ http: true });

/**
 * "Invite any email, accept the link yourself, and `GET …/members` shows the real name the existing user has
 * elsewhere." No answer shows an inviter another account's name, membership or credential of a user. The
 * inviter no longer gets the link (it is mailed to the invited address); accepted without its owner's token,
 * the link still tells nothing.
 */
describe("an inviter learns nothing of a user's other accounts", () => {
  it("A's administrator sees neither the name, the accounts nor a token of B's super admin", async () => {
    const a = await newAccount(stack, 'inviter');
    const victim = await superAdminVictim(stack, 'elsewhere');
    const unknown = `${unique('nobody')}@example.test`;
    const path = `/v1/accounts/${a.accountId}`;
    const invite = (email: string) => a.api('POST', `${path}/invitations`, { body: { email, role: 'agent' } });

    // Inviting answers the same for the known and the unknown email.
    const [known, fresh] = [await invite(victim.email), await invite(unknown)];
    expect([known.status, fresh.status]).toEqual([201, 201]);
    expect(Object.keys(known.body).sort()).toEqual(Object.keys(fresh.body).sort());
    expect(known.body.status).toBe(fresh.body.status);
    // Neither answer carries the link: each goes to its address's mailbox.
    expect([known.body.accept_token, fresh.body.accept_token]).toEqual([undefined, undefined]);
    const link = await mailedInvitationToken(stack, victim.email);
    await mailedInvitationToken(stack, unknown);

    // Accepting the known one's link in their name: a refusal that names no one and no account.
    const accepted = await call(stack.api.url, 'POST', '/v1/invitations/accept', {
      body: { token: link, name: 'Mallory' },
    });
    expect(accepted.status).toBe(409);
    const answer = JSON.stringify(accepted.body);
    expect(answer).not.toContain(victim.name);
    expect(answer).not.toContain(victim.adminToken);
    expect(answer).not.toMatch(/support|access_token|user_id|account_id/);

    const reads = [
      await a.api('GET', `${path}/members`),
      await a.api('GET', `${path}/invitations`),
      await a.api('GET', `${path}/access_tokens`),
      await a.api('GET', '/v1/accounts'),
    ];
    for (const read of reads) {
      expect(read.status).toBe(200);
      expect(JSON.stringify(read.body)).not.toContain(victim.name);
      for (const row of read.body.payload as Array<{ id?: number; user_id?: number }>) {
        expect(row.user_id).not.toBe(victim.adminId);
        if (read === reads[3]) expect(row.id).not.toBe(victim.accountId);
      }
    }
    // The user's name elsewhere is untouched by the name the attacker sent.
    const [user] = await stack.sql`select name from users where id = ${victim.adminId}`;
    expect(user!.name).toBe(victim.name);
  });
});
