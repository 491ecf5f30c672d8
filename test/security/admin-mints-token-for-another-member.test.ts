import { describe, expect, it } from 'vitest';
import { join, newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { useStack } from '../support/stack.ts';
import { superAdminVictim } from '../support/victim.ts';

const stack = useStack({ http: true });
const tokensOf = async (userId: number) =>
  (await stack.sql`select 1 from access_tokens where owner_type = 'User' and owner_id = ${userId}`).length;

/** `POST /v1/accounts/{id}/access_tokens` made a token for any member, a super admin included. */
describe('nobody makes a token for another person', () => {
  it("A's administrator cannot mint one for a member who is a super admin", async () => {
    const victim = await superAdminVictim(stack);
    const a = await newAccount(stack, 'attacker');
    // The victim joined A the honest way, with their own token.
    const invited = await a.api('POST', `/v1/accounts/${a.accountId}/invitations`, {
      body: { email: victim.email, role: 'agent' },
    });
    const joined = await call(stack.api.url, 'POST', `/v1/invitations/${invited.body.id}/accept`, {
      token: victim.adminToken,
    });
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    const before = await tokensOf(victim.adminId);

    const minted = await a.api('POST', `/v1/accounts/${a.accountId}/access_tokens`, {
      body: { name: 'stolen', user_id: victim.adminId },
    });
    expect(minted.status, JSON.stringify(minted.body)).toBe(403);
    expect(minted.body.token).toBeUndefined();
    expect(await tokensOf(victim.adminId)).toBe(before);

    // The platform token is refused the same way: a token is made by its holder only.
    const byPlatform = await call(stack.api.url, 'POST', `/v1/accounts/${a.accountId}/access_tokens`, {
      token: stack.platformToken,
      body: { name: 'stolen', user_id: victim.adminId },
    });
    expect(byPlatform.status).toBe(403);
    expect(await tokensOf(victim.adminId)).toBe(before);
  });

  it('a member makes tokens for themselves; the administrator lists and revokes them', async () => {
    const a = await newAccount(stack, 'self');
    const agent = await join(stack, a, 'agent');
    const path = `/v1/accounts/${a.accountId}/access_tokens`;
    const own = await call(stack.api.url, 'POST', path, { token: agent.token, body: { name: 'laptop' } });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect(own.body.user_id).toBe(agent.userId);
    // Asking for someone else by id is refused, even by the holder of a valid token.
    const forAdmin = await call(stack.api.url, 'POST', path, {
      token: agent.token,
      body: { name: 'x', user_id: a.adminId },
    });
    expect(forAdmin.status).toBe(403);

    const listed = await a.api('GET', path);
    expect(listed.body.payload.map((t: { id: number }) => t.id)).toContain(own.body.id);
    expect((await a.api('DELETE', `${path}/${own.body.id}`)).status).toBe(200);
    expect((await call(stack.api.url, 'GET', `/v1/accounts/${a.accountId}`, { token: own.body.token })).status).toBe(
      401,
    );
  });
});
