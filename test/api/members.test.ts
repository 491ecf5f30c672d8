import { describe, expect, it } from 'vitest';
import { join, newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const as = (token: string) => (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token, body });

async function withAgent() {
  const account = await newAccount(stack, 'members');
  const path = `/v1/accounts/${account.accountId}`;
  const agent = await join(stack, account, 'agent');
  return { account, path, agentId: agent.userId, agentToken: agent.token };
}

describe('members', () => {
  it('an invitee joins by accepting; their token acts in that account with their role', async () => {
    const { path, agentId, agentToken, account } = await withAgent();
    const list = await account.api('GET', `${path}/members`);
    expect(list.body.payload).toContainEqual(expect.objectContaining({ user_id: agentId, role: 'agent' }));
    expect((await as(agentToken)('GET', path)).status).toBe(200);
    const invitations = await account.api('GET', `${path}/invitations`);
    expect(invitations.body.payload[0]).toMatchObject({ status: 'accepted', role: 'agent' });
    expect(invitations.body.payload[0].accept_token).toBeUndefined();
  });

  it('an agent cannot manage members, invitations or tokens, but can read the account', async () => {
    const { path, agentToken, account } = await withAgent();
    const agent = as(agentToken);
    expect(
      (await agent('POST', `${path}/invitations`, { email: `${unique('x')}@example.test`, role: 'agent' })).status,
    ).toBe(403);
    expect((await agent('PATCH', `${path}/members/${account.adminId}`, { role: 'agent' })).status).toBe(403);
    expect((await agent('DELETE', `${path}/members/${account.adminId}`)).status).toBe(403);
    expect((await agent('POST', `${path}/access_tokens`, { name: 'mine', user_id: account.adminId })).status).toBe(403);
    expect((await agent('GET', path)).status).toBe(200);
  });

  it('an administrator cannot add a member directly: only the platform can', async () => {
    const account = await newAccount(stack, 'members');
    const body = { name: 'Linus', email: `${unique('linus')}@example.test`, role: 'agent' };
    const byAdmin = await account.api('POST', `/v1/accounts/${account.accountId}/members`, { body });
    expect(byAdmin.status).toBe(403);
    expect(byAdmin.body.detail).toMatch(/invitations/);
    const byPlatform = await call(stack.api.url, 'POST', `/v1/accounts/${account.accountId}/members`, {
      token: stack.platformToken,
      body,
    });
    expect(byPlatform.status).toBe(201);
  });

  it('refuses to remove or demote the last administrator (409), and allows it once there is another', async () => {
    const { account, path, agentId } = await withAgent();
    const remove = await account.api('DELETE', `${path}/members/${account.adminId}`);
    expect(remove.status).toBe(409);
    expect(remove.body.detail).toMatch(/last administrator/);
    expect((await account.api('PATCH', `${path}/members/${account.adminId}`, { body: { role: 'agent' } })).status).toBe(
      409,
    );

    expect((await account.api('PATCH', `${path}/members/${agentId}`, { body: { role: 'administrator' } })).status).toBe(
      200,
    );
    expect((await account.api('PATCH', `${path}/members/${account.adminId}`, { body: { role: 'agent' } })).status).toBe(
      200,
    );
    const [row] =
      await stack.sql`select role from account_users where account_id = ${account.accountId} and user_id = ${account.adminId}`;
    expect(row?.role).toBe('agent');
  });

  it("a role change narrows the member's tokens on the very next request", async () => {
    const account = await newAccount(stack, 'narrow');
    const path = `/v1/accounts/${account.accountId}`;
    const second = await join(stack, account, 'administrator');
    expect((await as(second.token)('GET', `${path}/access_tokens`)).status).toBe(200);
    expect((await account.api('PATCH', `${path}/members/${second.userId}`, { body: { role: 'agent' } })).status).toBe(
      200,
    );
    expect((await as(second.token)('GET', `${path}/access_tokens`)).status).toBe(403);
  });

  it("a removed member's tokens are revoked and answer 401", async () => {
    const { account, path, agentId, agentToken } = await withAgent();
    expect((await as(agentToken)('GET', path)).status).toBe(200);
    expect((await account.api('DELETE', `${path}/members/${agentId}`)).status).toBe(204);
    const refused = await as(agentToken)('GET', path);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/revoked/);
  });
});

describe('access tokens', () => {
  it('a revoked token gets 401 on the very next request', async () => {
    const { account, path, agentToken } = await withAgent();
    const tokens = await account.api('GET', `${path}/access_tokens`);
    const row = tokens.body.payload.find((t: { name: string }) => t.name === 'invitation');
    expect(row.prefix).toBe(agentToken.slice(0, row.prefix.length));
    const revoked = await account.api('DELETE', `${path}/access_tokens/${row.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).not.toBeNull();
    const refused = await as(agentToken)('GET', path);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/revoked/);
  });

  it('a token made with an expiry stops working at it', async () => {
    const { path, agentToken } = await withAgent();
    const soon = new Date(Date.now() + 1_500).toISOString();
    const made = await as(agentToken)('POST', `${path}/access_tokens`, { name: 'short', expires_at: soon });
    expect(made.status).toBe(201);
    expect(made.body.expires_at).toBe(soon);
    expect((await as(made.body.token)('GET', path)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_700));
    const refused = await as(made.body.token)('GET', path);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/expired/);
  });

  it('a token request repeated with its Idempotency-Key makes one token, shown only the first time', async () => {
    const { account, path, agentId, agentToken } = await withAgent();
    const send = (name: string) =>
      call(stack.api.url, 'POST', `${path}/access_tokens`, {
        token: agentToken,
        body: { name },
        headers: { 'idempotency-key': `token-${agentId}` },
      });
    const first = await send('laptop');
    const again = await send('laptop');
    expect(first.status).toBe(201);
    expect(first.body.token).toEqual(expect.any(String));
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ ...first.body, token: undefined });
    const tokens = await account.api('GET', `${path}/access_tokens`);
    expect(tokens.body.payload.filter((t: { name: string }) => t.name === 'laptop')).toHaveLength(1);
    const other = await send('phone');
    expect(other.status).toBe(422);
  });

  it('lists and revokes only the tokens made for this account', async () => {
    const a = await withAgent();
    const b = await newAccount(stack, 'other');
    const aTokens = await a.account.api('GET', `${a.path}/access_tokens`);
    const bTokens = await b.api('GET', `/v1/accounts/${b.accountId}/access_tokens`);
    expect(bTokens.body.payload.map((t: { id: number }) => t.id)).not.toContain(aTokens.body.payload[0].id);
    expect(
      (await b.api('DELETE', `/v1/accounts/${b.accountId}/access_tokens/${aTokens.body.payload[0].id}`)).status,
    ).toBe(404);
  });
});
