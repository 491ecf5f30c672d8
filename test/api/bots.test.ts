import { describe, expect, it } from 'vitest';
import { join, newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const as = (token: string) => (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token, body });

describe('bots: integration identities an account owns', () => {
  it('an administrator makes a bot and its token, which acts as an agent of that account only', async () => {
    const a = await newAccount(stack, 'bots');
    const b = await newAccount(stack, 'elsewhere');
    const path = `/v1/accounts/${a.accountId}`;
    const made = await a.api('POST', `${path}/bots`, { body: { name: 'Zapier' } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect((await a.api('GET', `${path}/bots`)).body.payload).toEqual([made.body]);

    const token = await a.api('POST', `${path}/bots/${made.body.id}/access_tokens`, { body: { name: 'zap' } });
    expect(token.status, JSON.stringify(token.body)).toBe(201);
    expect(token.body.user_id).toBe(made.body.id);
    const bot = as(token.body.token);
    expect((await bot('GET', `${path}/conversations`)).status).toBe(200);
    expect((await bot('GET', `${path}/access_tokens`)).status).toBe(403); // an agent, not an administrator
    expect((await bot('GET', `/v1/accounts/${b.accountId}`)).status).toBe(403);

    // Listed with the account's tokens, and revoked like them.
    const listed = await a.api('GET', `${path}/access_tokens`);
    expect(listed.body.payload.map((t: { id: number }) => t.id)).toContain(token.body.id);
    expect((await a.api('DELETE', `${path}/access_tokens/${token.body.id}`)).status).toBe(200);
    expect((await bot('GET', path)).status).toBe(401);
  });

  it('the bot route makes tokens for bots only, of this account, and only for its administrators', async () => {
    const a = await newAccount(stack, 'bots-a');
    const b = await newAccount(stack, 'bots-b');
    const agent = await join(stack, a, 'agent');
    const path = `/v1/accounts/${a.accountId}`;
    const made = await a.api('POST', `${path}/bots`, { body: { name: 'Hook' } });
    const tokensOf = async (userId: number) =>
      (await stack.sql`select 1 from access_tokens where owner_id = ${userId}`).length;
    const before = await tokensOf(agent.userId);

    // A person is not a bot: the route does not reach the agent.
    const person = await a.api('POST', `${path}/bots/${agent.userId}/access_tokens`, { body: { name: 'x' } });
    expect(person.status).toBe(404);
    expect(await tokensOf(agent.userId)).toBe(before);
    // Another account's administrator, the agent and a platform token are refused.
    const botTokens = `${path}/bots/${made.body.id}/access_tokens`;
    expect((await b.api('POST', botTokens, { body: { name: 'x' } })).status).toBe(403);
    expect((await as(agent.token)('POST', botTokens, { name: 'x' })).status).toBe(403);
    expect((await as(stack.platformToken)('POST', botTokens, { name: 'x' })).status).toBe(403);
    expect((await as(stack.platformToken)('POST', `${path}/bots`, { name: 'x' })).status).toBe(403);
    expect(await tokensOf(made.body.id)).toBe(0);
  });
});
