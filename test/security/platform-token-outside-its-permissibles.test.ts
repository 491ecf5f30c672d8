import { describe, expect, it } from 'vitest';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';
import { superAdminVictim } from '../support/victim.ts';

const stack = useStack({ http: true });

/** Another platform app's token: what the operator hands an integration. */
async function appToken(): Promise<(method: string, path: string, body?: unknown) => ReturnType<typeof call>> {
  const made = await call(stack.api.url, 'POST', '/v1/platform/tokens', {
    token: stack.platformToken,
    body: { app: unique('integration'), name: 'ci' },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return (method, path, body) => call(stack.api.url, method, path, { token: made.body.token, body });
}

/** Every platform token reached every account and user, and every operator route (promotions included). */
describe('a platform token acts only on the accounts and users its app made', () => {
  it('is refused on an account it did not make, and on the users of other accounts', async () => {
    const victim = await superAdminVictim(stack);
    const app = await appToken();
    const b = `/v1/accounts/${victim.accountId}`;

    for (const [method, path, body] of [
      ['GET', b, undefined],
      ['GET', `${b}/members`, undefined],
      ['GET', `${b}/access_tokens`, undefined],
      ['PATCH', b, { status: 'suspended', reason: 'takeover' }],
      ['POST', `${b}/members`, { name: 'Mallory', email: `${unique('m')}@example.test`, role: 'administrator' }],
    ] as const) {
      const res = await app(method, path, body);
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(403);
    }
    // The same answer whether the account exists or not.
    expect((await app('GET', '/v1/accounts/2147483000')).status).toBe(403);
    const [account] = await stack.sql`select status from accounts where id = ${victim.accountId}`;
    expect(account!.status).toBe('active');

    // Its own account: it may add the users it makes, never link B's super admin (nor show their name).
    const own = await app('POST', '/v1/accounts', {
      name: 'Integration',
      admin: { name: 'Owner', email: `${unique('owner')}@example.test` },
    });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    const mine = `/v1/accounts/${own.body.account.id}`;
    const linked = await app('POST', `${mine}/members`, { name: 'Anyone', email: victim.email, role: 'agent' });
    expect(linked.status, JSON.stringify(linked.body)).toBe(403);
    expect(JSON.stringify(linked.body)).not.toContain(victim.name);
    const members = await app('GET', `${mine}/members`);
    expect(members.status).toBe(200);
    expect(members.body.payload.map((m: { user_id: number }) => m.user_id)).not.toContain(victim.adminId);
    const added = await app('POST', `${mine}/members`, {
      name: 'Grace',
      email: `${unique('grace')}@example.test`,
      role: 'agent',
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);

    const listed = await app('GET', '/v1/accounts');
    expect(listed.body.payload.map((a: { id: number }) => a.id)).toEqual([own.body.account.id]);
  });

  it("is refused the operator's routes: promotions, resets, platform tokens, dead letters", async () => {
    const victim = await superAdminVictim(stack, 'operator-routes');
    const app = await appToken();
    for (const [method, path, body] of [
      ['POST', '/v1/admin/promotions', { email: victim.email, reason: 'mine now', ttl: '1h' }],
      ['POST', '/v1/admin/force-reset', { email: victim.email, reason: 'lock out' }],
      ['GET', '/v1/platform/tokens', undefined],
      ['POST', '/v1/platform/tokens', { app: unique('more'), name: 'x' }],
      ['GET', '/v1/dead-letters', undefined],
    ] as const) {
      const res = await app(method, path, body);
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(403);
    }
    // Nor does the codec server decode every account's payloads for it.
    const decode = await app('POST', '/codec/decode', { payloads: [] });
    expect(decode.status, JSON.stringify(decode.body)).toBe(403);
    const [user] = await stack.sql`select credentials_reset_at from users where id = ${victim.adminId}`;
    expect(user!.credentials_reset_at).toBeNull();
    // The operator's token still reaches everything.
    const operator = (path: string) => call(stack.api.url, 'GET', path, { token: stack.platformToken });
    expect((await operator(`/v1/accounts/${victim.accountId}/members`)).status).toBe(200);
    expect((await operator('/v1/platform/tokens')).status).toBe(200);
  });
});
