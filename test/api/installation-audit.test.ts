import { describe, expect, it } from 'vitest';
import { breakerPolicies } from '../../config/catalogue.ts';
import { recordFailure } from '../../db/breakers.ts';
import { newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const platform = (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token: stack.platformToken, body });
type Row = { id: number; action: string; account_id: number | null; subject_id: string; details: { reason?: string } };

describe('GET /v1/audit_log and GET /v1/admin/grants', () => {
  it("reads every account's and the platform's rows, by exact action or prefix, subject and account, a page at a time", async () => {
    const a = await newAccount(stack, 'audit-a');
    const suspended = await platform('PATCH', `/v1/accounts/${a.accountId}`, { status: 'suspended', reason: 'r1' });
    expect(suspended.status).toBe(200);
    await platform('PATCH', `/v1/accounts/${a.accountId}`, { status: 'active' });

    const exact = await platform('GET', `/v1/audit_log?action=account.suspended&subject_id=${a.accountId}`);
    expect(exact.status).toBe(200);
    expect(exact.body.payload.map((r: Row) => [r.action, r.account_id, r.details.reason])).toEqual([
      ['account.suspended', a.accountId, 'r1'],
    ]);
    const prefixed = await platform('GET', `/v1/audit_log?action=account.&account_id=${a.accountId}`);
    expect(prefixed.body.payload.map((r: Row) => r.action)).toEqual([
      'account.reactivated',
      'account.suspended',
      'account.provisioned',
    ]);
    // `_` and `%` in a prefix are letters, not patterns.
    expect((await platform('GET', '/v1/audit_log?action=account_%.')).body.payload).toEqual([]);

    // Five rows: provisioned, the administrator's sign-in link mailed and redeemed, suspended, reactivated.
    const first = await platform('GET', `/v1/audit_log?account_id=${a.accountId}&limit=3`);
    expect(first.body.payload).toHaveLength(3);
    const next = await platform(
      'GET',
      `/v1/audit_log?account_id=${a.accountId}&limit=3&cursor=${first.body.meta.next_cursor}`,
    );
    expect(next.body.payload.map((r: Row) => r.action)).toEqual(['sign_in_link.mailed', 'account.provisioned']);
    expect(next.body.meta.next_cursor).toBeNull();

    // The platform's own rows belong to no account.
    const breaker = `webhook:${unique('hooks')}.example:443`;
    await recordFailure(stack.sql, breaker, 'h', 'receiver answered 503', breakerPolicies.webhook);
    expect((await platform('POST', `/v1/breakers/${encodeURIComponent(breaker)}/reset`, { reason: 'r2' })).status).toBe(
      200,
    );
    const reset = await platform('GET', `/v1/audit_log?action=breaker.reset&subject_id=${encodeURIComponent(breaker)}`);
    expect(reset.body.payload.map((r: Row) => [r.account_id, r.details.reason])).toEqual([[null, 'r2']]);

    const bad = await platform('GET', '/v1/audit_log?account_id=nope');
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.[0]?.field).toBe('account_id');
    expect((await call(stack.api.url, 'GET', '/v1/audit_log', { token: a.adminToken })).status).toBe(403);
  });

  it('lists break-glass grants newest first, in force or ended', async () => {
    const a = await newAccount(stack, 'grants');
    const [admin] = (await a.api('GET', `/v1/accounts/${a.accountId}/members`)).body.payload;
    const granted = await platform('POST', '/v1/admin/promotions', {
      email: admin.email,
      reason: 'on call',
      ttl: '1h',
    });
    expect(granted.status).toBe(201);
    const listed = await platform('GET', '/v1/admin/grants');
    expect(listed.status).toBe(200);
    expect(listed.body.payload[0]).toMatchObject({
      grant_id: granted.body.grant_id,
      email: admin.email,
      ended_at: null,
    });
    await platform('POST', `/v1/admin/promotions/${encodeURIComponent(admin.email)}/revoke`, { reason: 'done' });
    const after = (await platform('GET', '/v1/admin/grants')).body.payload;
    expect(after.find((g: { grant_id: number }) => g.grant_id === granted.body.grant_id)).toMatchObject({
      end_reason: 'revoked',
    });
  });
});
