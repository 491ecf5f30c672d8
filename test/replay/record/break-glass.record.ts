import { describe, expect, it } from 'vitest';
import { join, newAccount } from '../../support/fixtures.ts';
import { call } from '../../support/http.ts';
import { unique, useStack } from '../../support/stack.ts';
import { saveLatest } from '../histories.ts';

const stack = useStack({ http: true });
const platform = (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token: stack.platformToken, body });
const ok = (res: { status: number; body: unknown }, status = 200) =>
  expect(res.status, JSON.stringify(res.body)).toBe(status);

describe('record the break-glass workflows', () => {
  it('activation by the grantee, and an operator keeping what the grant made', async () => {
    const account = await newAccount(stack, 'replay-glass');
    const victim = await newAccount(stack, 'replay-glass-victim');
    const email = `${unique('oncall')}@example.test`;
    const { token } = await join(stack, account, 'agent', email);
    const promoted = await platform('POST', '/v1/admin/promotions', { email, reason: 'incident', ttl: '1h' });
    ok(promoted, 201);
    const activated = await call(stack.api.url, 'POST', '/v1/break-glass/activate', {
      token,
      body: { reason: 'incident' },
    });
    ok(activated, 201);
    const invited = await call(stack.api.url, 'POST', `/v1/accounts/${victim.accountId}/invitations`, {
      token: activated.body.token,
      body: { email: `${unique('kept')}@example.test`, role: 'agent' },
    });
    ok(invited, 201);
    const grant = await platform('GET', `/v1/admin/grants/${promoted.body.grant_id}`);
    ok(grant);
    const path = `/v1/admin/grants/${promoted.body.grant_id}/effects/${grant.body.effects[0].id}/keep`;
    ok(await platform('POST', path, { reason: 'the account asked for it' }));
    ok(await platform('POST', `/v1/admin/promotions/${encodeURIComponent(email)}/revoke`, { reason: 'done' }));
    for (const type of ['activateBreakGlass', 'keepGrantEffect']) await saveLatest(stack, type);
  });
});
