import { describe, expect, it } from 'vitest';
import { redeemSignIn } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });

/**
 * `POST /v1/accounts` answered the platform caller with the new administrator's access token: a credential of
 * another person, kept by whoever provisioned the account for as long as the token lived. The caller now holds
 * only a one-time link, which the administrator redeems for a token of their own.
 */
describe("provisioning hands the platform caller none of the administrator's tokens", () => {
  it('answers with a single-use link; once the administrator redeems it, the caller cannot', async () => {
    const email = `${unique('owner')}@example.test`;
    const made = await call(stack.api.url, 'POST', '/v1/accounts', {
      token: stack.platformToken,
      body: { name: unique('Owned'), admin: { name: 'Owner', email } },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(JSON.stringify(made.body)).not.toMatch(/cap_[\w-]{20}/);
    const adminId: number = made.body.admin.id;
    expect(
      await stack.sql`select 1 from access_tokens where owner_type = 'User' and owner_id = ${adminId}`,
    ).toHaveLength(0);

    const adminToken = await redeemSignIn(stack.api.url, made.body.sign_in_token);
    const again = await call(stack.api.url, 'POST', '/v1/sign-in-links/redeem', {
      body: { token: made.body.sign_in_token },
    });
    expect(again.status).toBe(409);
    const tokens =
      await stack.sql`select prefix from access_tokens where owner_type = 'User' and owner_id = ${adminId}`;
    expect(tokens.map((t) => t.prefix)).toEqual([adminToken.slice(0, 12)]);
    const audit = await stack.sql`
      select action from audit_log where account_id = ${made.body.account.id} order by id`;
    expect(audit.map((a) => a.action)).toEqual(['account.provisioned', 'sign_in_link.redeemed']);
  });
});
