import { describe, expect, it } from 'vitest';
import { mailedSignInToken, redeemSignIn } from '../support/fixtures.ts';
import { historyText } from '../support/history-text.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });

/**
 * `POST /v1/accounts` answered the platform caller with the new administrator's access token, then with their
 * one-time sign-in link: either way a credential of another person in the caller's hands. The link now goes by
 * mail to the administrator's address alone, who redeems it for a token of their own.
 */
describe("provisioning hands the platform caller none of the administrator's credentials", () => {
  it("answers with no link at all; the link is mailed to the administrator's address and is in no history", async () => {
    const email = `${unique('owner')}@example.test`;
    const key = unique('key');
    const made = await call(stack.api.url, 'POST', '/v1/accounts', {
      token: stack.platformToken,
      body: { name: unique('Owned'), admin: { name: 'Owner', email } },
      headers: { 'idempotency-key': key },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(JSON.stringify(made.body)).not.toMatch(/cap_[\w-]{20}|sil_/);
    const adminId: number = made.body.admin.id;
    expect(
      await stack.sql`select 1 from access_tokens where owner_type = 'User' and owner_id = ${adminId}`,
    ).toHaveLength(0);

    const link = await mailedSignInToken(stack, email);
    expect(stack.mail.mailbox.mails.filter((m) => m.text.includes(link)).map((m) => m.to)).toEqual([[email]]);
    const [row] = await stack.sql<{ id: number; workflow_id: string }[]>`
      select id, workflow_id from sign_in_links where user_id = ${adminId}`;
    for (const run of [row!.workflow_id, `sign-in-link-mail:${row!.id}`])
      expect(await historyText(stack, run)).not.toContain(link);

    const adminToken = await redeemSignIn(stack.api.url, link);
    const again = await call(stack.api.url, 'POST', '/v1/sign-in-links/redeem', { body: { token: link } });
    expect(again.status).toBe(409);
    const tokens =
      await stack.sql`select prefix from access_tokens where owner_type = 'User' and owner_id = ${adminId}`;
    expect(tokens.map((t) => t.prefix)).toEqual([adminToken.slice(0, 12)]);
    const audit = await stack.sql`
      select action from audit_log where account_id = ${made.body.account.id} order by id`;
    expect(audit.map((a) => a.action)).toEqual(['account.provisioned', 'sign_in_link.mailed', 'sign_in_link.redeemed']);
  });
});
