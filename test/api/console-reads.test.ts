import { describe, expect, it } from 'vitest';
import { scopesFor } from '../../domain/scopes.ts';
import { join, newAccount, newInbox } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';

const WEB_UI = 'http://127.0.0.1:8233';
const stack = useStack({ http: true, webUiUrl: WEB_UI });
const as = (token: string) => (method: string, path: string) => call(stack.api.url, method, path, { token });

describe('the read-only routes of the operator console', () => {
  it('refuses a user token on the platform lists before reading its query', async () => {
    const a = await newAccount(stack, 'reads-user');
    for (const path of ['/v1/deploys?limit=oops', '/v1/license/heartbeats?limit=oops']) {
      const refused = await as(a.adminToken)('GET', path);
      expect(refused.status, path).toBe(403);
      expect(refused.headers.get('content-type'), path).toMatch(/problem\+json/);
    }
  });

  it('lists every account to a platform token and only its own account to a user token', async () => {
    const a = await newAccount(stack, 'reads-a');
    const b = await newAccount(stack, 'reads-b');
    // The same person in both accounts: the token made in A still lists A alone.
    const email = `${unique('both')}@example.test`;
    const inA = await join(stack, a, 'agent', email);
    await join(stack, b, 'agent', email, inA.token);

    const all = await as(stack.platformToken)('GET', '/v1/accounts?limit=100');
    expect(all.status).toBe(200);
    const ids = all.body.payload.map((r: { id: number }) => r.id);
    expect(ids).toEqual(expect.arrayContaining([a.accountId, b.accountId]));
    expect(ids).toEqual([...ids].sort((x, y) => y - x));

    for (const token of [a.adminToken, inA.token]) {
      const own = await as(token)('GET', '/v1/accounts');
      expect(own.body.payload.map((r: { id: number }) => r.id)).toEqual([a.accountId]);
    }
  });

  it('pages accounts with the cursor it hands out', async () => {
    await newAccount(stack, 'reads-page');
    await newAccount(stack, 'reads-page');
    const first = await as(stack.platformToken)('GET', '/v1/accounts?limit=1');
    expect(first.body.payload).toHaveLength(1);
    const second = await as(stack.platformToken)('GET', `/v1/accounts?limit=1&cursor=${first.body.meta.next_cursor}`);
    expect(second.body.payload[0].id).toBeLessThan(first.body.payload[0].id);
  });

  it('answers messages newest first when asked, each with the workflow that stored it', async () => {
    const account = await newAccount(stack, 'reads-msg');
    const inbox = await newInbox(account);
    for (const n of [1, 2, 3])
      await account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${inbox}/messages`, {
        body: { contact: { identifier: 'c-1' }, content: `m${n}`, source_id: `src-${n}` },
      });
    const base = `/v1/accounts/${account.accountId}/conversations/1/messages`;
    const newest = await account.api('GET', `${base}?order=desc&limit=2`);
    expect(newest.body.payload.map((m: { content: string }) => m.content)).toEqual(['m3', 'm2']);
    expect(newest.body.payload[0].workflow_id).toBe(`message:${account.accountId}:${inbox}:source:src-3`);
    const older = await account.api('GET', `${base}?order=desc&limit=2&cursor=${newest.body.meta.next_cursor}`);
    expect(older.body.payload.map((m: { content: string }) => m.content)).toEqual(['m1']);
    expect(older.body.meta.next_cursor).toBeNull();
    const inOrder = await account.api('GET', base);
    expect(inOrder.body.payload.map((m: { content: string }) => m.content)).toEqual(['m1', 'm2', 'm3']);
  });

  it('tells any token the Web UI and what kind of token it is', async () => {
    const platform = await as(stack.platformToken)('GET', '/v1/console/settings');
    expect(platform.body).toEqual({
      temporal: { namespace: stack.namespace, web_ui_url: WEB_UI },
      principal: {
        kind: 'platform',
        account_id: null,
        super_admin: false,
        operator: true,
        scopes: [...scopesFor('platform')].sort(),
      },
    });
    const account = await newAccount(stack, 'reads-settings');
    const user = await as(account.adminToken)('GET', '/v1/console/settings');
    expect(user.body.principal).toEqual({
      kind: 'user',
      account_id: account.accountId,
      super_admin: false,
      operator: false,
      scopes: [...scopesFor('administrator')].sort(),
    });
  });

  it('keeps heartbeat history and every deploy to platform tokens', async () => {
    const account = await newAccount(stack, 'reads-platform');
    for (const path of ['/v1/license/heartbeats', '/v1/deploys']) {
      expect((await as(account.adminToken)('GET', path)).status, path).toBe(403);
      const answer = await as(stack.platformToken)('GET', path);
      expect(answer.status, path).toBe(200);
      expect(answer.body.meta).toHaveProperty('next_cursor');
    }
  });
});
