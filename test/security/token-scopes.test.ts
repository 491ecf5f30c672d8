/**
 * Finding: tokens had no scopes — a token was its account plus its user's role, so every token of an
 * administrator could do everything an administrator can. Walked over real HTTP against the real stack.
 */
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../db/tokens.ts';
import { scopesFor } from '../../domain/scopes.ts';
import { join, newAccount, newInbox } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const as = (token: string, method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token, body });
const platform = (method: string, path: string, body?: unknown) => as(stack.platformToken, method, path, body);

function expectMissingScope(answer: { status: number; body: any }, scope: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(403);
  expect(answer.body).toMatchObject({ status: 403, missing_scope: scope });
  expect(answer.body.detail).toContain(scope);
}

describe('a token carries only the scopes it was made with', () => {
  it('refuses a message write to a token made with conversations:read only, naming the scope', async () => {
    const account = await newAccount(stack, 'scoped');
    const base = `/v1/accounts/${account.accountId}`;
    const inboxId = await newInbox(account);
    const made = await account.api('POST', `${base}/access_tokens`, {
      body: { name: 'read only', user_id: account.adminId, scopes: ['conversations:read'] },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.scopes).toEqual(['conversations:read']);
    const readOnly = made.body.token as string;

    expect((await as(readOnly, 'GET', `${base}/conversations`)).status).toBe(200);
    const write = await as(readOnly, 'POST', `${base}/inboxes/${inboxId}/messages`, {
      contact: { identifier: unique('contact') },
      content: 'should not land',
    });
    expectMissingScope(write, 'conversations:write');
    expectMissingScope(await as(readOnly, 'GET', `${base}/members`), 'members:read');
    const [counted] = await stack.sql<{ n: number }[]>`
      select count(*)::int as n from conversations where account_id = ${account.accountId}`;
    expect(counted!.n, 'conversations written').toBe(0);

    const debug = await platform('POST', '/v1/admin/debug-auth', {
      token: readOnly,
      account_id: account.accountId,
      required_scope: 'conversations:write',
    });
    expect(debug.status, JSON.stringify(debug.body)).toBe(200);
    expect(debug.body.payload[0]).toMatchObject({ verdict: 'scope_missing', scopes: ['conversations:read'] });
    expect(debug.body.payload[0].explanation).toContain('conversations:write');
  });

  it('refuses at creation a scope wider than the maker holds, or than the member’s role allows', async () => {
    const account = await newAccount(stack, 'wider');
    const base = `/v1/accounts/${account.accountId}`;
    const narrow = await account.api('POST', `${base}/access_tokens`, {
      body: { name: 'narrow', user_id: account.adminId, scopes: ['tokens:own', 'conversations:read'] },
    });
    expect(narrow.status, JSON.stringify(narrow.body)).toBe(201);
    const wider = await as(narrow.body.token, 'POST', `${base}/access_tokens`, {
      name: 'wider',
      user_id: account.adminId,
      scopes: ['members:manage'],
    });
    expectMissingScope(wider, 'members:manage');
    // Without `scopes`, a narrowed maker still grants no more than it carries.
    const fallback = await as(narrow.body.token, 'POST', `${base}/access_tokens`, {
      name: 'default',
      user_id: account.adminId,
    });
    expect(fallback.status, JSON.stringify(fallback.body)).toBe(201);
    expect(fallback.body.scopes).toEqual(['tokens:own', 'conversations:read']);

    const agent = await join(stack, account, 'agent');
    const beyondRole = await as(agent.token, 'POST', `${base}/access_tokens`, {
      name: 'agent admin',
      scopes: ['webhooks:manage'],
    });
    expect(beyondRole.status, JSON.stringify(beyondRole.body)).toBe(403);
    expect(beyondRole.body.detail).toContain('webhooks:manage');
    const unknown = await account.api('POST', `${base}/access_tokens`, {
      body: { name: 'unknown', user_id: account.adminId, scopes: ['everything'] },
    });
    expect(unknown.status).toBe(422);

    const tokens = await account.api('GET', `${base}/access_tokens`);
    const byName = new Map(tokens.body.payload.map((t: { name: string; scopes: string[] }) => [t.name, t.scopes]));
    expect(byName.has('wider') || byName.has('agent admin') || byName.has('unknown')).toBe(false);
    expect(byName.get('sign-in link'), "the administrator's token from the provisioning link").toEqual(
      scopesFor('administrator'),
    );
    expect(byName.get('invitation'), "the agent's token from its invitation").toEqual(scopesFor('agent'));
  });

  it('holds platform tokens to their own scopes: none granted, rotated or used beyond them', async () => {
    // A token of the operator's own app, so only its scopes stand between it and the operator's routes.
    const [operator] = await stack.sql<{ name: string }[]>`
      select p.name from platform_apps p join access_tokens t on t.owner_type = 'PlatformApp' and t.owner_id = p.id
       where t.token_sha256 = ${hashToken(stack.platformToken)}`;
    const made = await platform('POST', '/v1/platform/tokens', {
      app: operator!.name,
      name: 'tokens only',
      scopes: ['platform:tokens'],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.scopes).toEqual(['platform:tokens']);
    const tokensOnly = made.body.token as string;

    const wider = await as(tokensOnly, 'POST', '/v1/platform/tokens', {
      app: unique('scoped-app'),
      name: 'admin',
      scopes: ['platform:admin'],
    });
    expectMissingScope(wider, 'platform:admin');
    const [bootstrap] = await stack.sql<{ id: number }[]>`
      select id from access_tokens where owner_type = 'PlatformApp' and name = 'bootstrap' order by id limit 1`;
    expectMissingScope(
      await as(tokensOnly, 'POST', `/v1/platform/tokens/${bootstrap!.id}/rotate`, {}),
      'platform:accounts',
    );
    const account = await newAccount(stack, 'platform-scoped');
    expectMissingScope(await as(tokensOnly, 'GET', `/v1/accounts/${account.accountId}/members`), 'platform:accounts');
    expectMissingScope(await as(tokensOnly, 'GET', '/v1/deploys'), 'platform:deploys');
  });
});
