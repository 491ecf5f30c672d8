import { describe, expect, it } from 'vitest';
import { newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });

async function withAgent() {
  const account = await newAccount(stack, 'members');
  const path = `/v1/accounts/${account.accountId}`;
  const added = await account.api('POST', `${path}/members`, { body: { name: 'Grace', email: `${unique('grace')}@example.test`, role: 'agent' } });
  expect(added.status).toBe(201);
  const token = await account.api('POST', `${path}/access_tokens`, { body: { name: 'agent laptop', user_id: added.body.user_id } });
  expect(token.status).toBe(201);
  return { account, path, agentId: added.body.user_id as number, agentToken: token.body.token as string };
}

describe('members', () => {
  it('an administrator adds a member; adding the same email again changes nothing', async () => {
    const account = await newAccount(stack, 'members');
    const path = `/v1/accounts/${account.accountId}/members`;
    const email = `${unique('linus')}@example.test`;
    const first = await account.api('POST', path, { body: { name: 'Linus', email, role: 'agent' } });
    const again = await account.api('POST', path, { body: { name: 'Linus', email, role: 'administrator' } });

    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const list = await account.api('GET', path);
    expect(list.body.payload.map((m: { email: string; role: string }) => [m.email, m.role])).toContainEqual([email, 'agent']);
  });

  it('an agent cannot manage members or tokens, but can read the account', async () => {
    const { path, agentToken, account } = await withAgent();
    const as = (method: string, p: string, body?: unknown) => call(stack.api.url, method, p, { token: agentToken, body });

    expect((await as('POST', `${path}/members`, { name: 'X', email: `${unique('x')}@example.test`, role: 'agent' })).status).toBe(403);
    expect((await as('PATCH', `${path}/members/${account.adminId}`, { role: 'agent' })).status).toBe(403);
    expect((await as('DELETE', `${path}/members/${account.adminId}`)).status).toBe(403);
    expect((await as('POST', `${path}/access_tokens`, { name: 'mine' })).status).toBe(403);
    expect((await as('GET', path)).status).toBe(200);
  });

  it('refuses to remove or demote the last administrator (409), and allows it once there is another', async () => {
    const { account, path, agentId } = await withAgent();
    const remove = await account.api('DELETE', `${path}/members/${account.adminId}`);
    expect(remove.status).toBe(409);
    expect(remove.body.detail).toMatch(/last administrator/);
    expect((await account.api('PATCH', `${path}/members/${account.adminId}`, { body: { role: 'agent' } })).status).toBe(409);

    expect((await account.api('PATCH', `${path}/members/${agentId}`, { body: { role: 'administrator' } })).status).toBe(200);
    expect((await account.api('PATCH', `${path}/members/${account.adminId}`, { body: { role: 'agent' } })).status).toBe(200);
    const [row] = await stack.sql`select role from account_users where account_id = ${account.accountId} and user_id = ${account.adminId}`;
    expect(row?.role).toBe('agent');
  });

  it('a removed member\'s token no longer opens the account', async () => {
    const { account, path, agentId, agentToken } = await withAgent();
    expect((await call(stack.api.url, 'GET', path, { token: agentToken })).status).toBe(200);
    expect((await account.api('DELETE', `${path}/members/${agentId}`)).status).toBe(204);
    expect((await call(stack.api.url, 'GET', path, { token: agentToken })).status).toBe(403);
  });
});

describe('access tokens', () => {
  it('a revoked token gets 401 on the very next request', async () => {
    const { account, path, agentToken } = await withAgent();
    expect((await call(stack.api.url, 'GET', path, { token: agentToken })).status).toBe(200);
    const tokens = await account.api('GET', `${path}/access_tokens`);
    const agentTokenRow = tokens.body.payload.find((t: { name: string }) => t.name === 'agent laptop');
    expect(agentTokenRow.prefix).toBe(agentToken.slice(0, agentTokenRow.prefix.length));

    const revoked = await account.api('DELETE', `${path}/access_tokens/${agentTokenRow.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).not.toBeNull();
    const refused = await call(stack.api.url, 'GET', path, { token: agentToken });
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/revoked/);
  });

  it('cannot revoke a token of another account\'s member (404)', async () => {
    const a = await withAgent();
    const b = await newAccount(stack, 'other');
    const tokens = await a.account.api('GET', `${a.path}/access_tokens`);
    const res = await b.api('DELETE', `/v1/accounts/${b.accountId}/access_tokens/${tokens.body.payload[0].id}`);
    expect(res.status).toBe(404);
  });
});

describe('tokens of users who belong elsewhere', () => {
  it('an administrator cannot mint or revoke tokens for a user of another account, but the platform can', async () => {
    const other = await newAccount(stack, 'victim');
    const [victim] = await stack.sql`select email from users where id = ${other.adminId}`;
    const mine = await newAccount(stack, 'attacker');
    const path = `/v1/accounts/${mine.accountId}`;
    const added = await mine.api('POST', `${path}/members`, { body: { name: 'Victim', email: victim!.email, role: 'agent' } });
    expect(added.body.user_id).toBe(other.adminId); // users are global, as in Chatwoot

    const minted = await mine.api('POST', `${path}/access_tokens`, { body: { name: 'stolen', user_id: other.adminId } });
    expect(minted.status).toBe(403);
    const theirTokens = await other.api('GET', `/v1/accounts/${other.accountId}/access_tokens`);
    const revoke = await mine.api('DELETE', `${path}/access_tokens/${theirTokens.body.payload[0].id}`);
    expect(revoke.status).toBe(403);
    expect((await call(stack.api.url, 'GET', `/v1/accounts/${other.accountId}`, { token: other.adminToken })).status).toBe(200);

    const byPlatform = await call(stack.api.url, 'POST', `${path}/access_tokens`, { token: stack.platformToken, body: { name: 'support', user_id: other.adminId } });
    expect(byPlatform.status).toBe(201);
  });
});
