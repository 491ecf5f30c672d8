import { describe, expect, it } from 'vitest';
import { mailedSignInToken, redeemSignIn } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });

/**
 * Issue 20's class for sign-in links: a platform app that provisions an account for an email nobody has used yet
 * must not hold that administrator's link. If it did, it would redeem it, become that email's user, and receive
 * every later invitation to the address. The link exists in one place outside the database's hash: that mail.
 */
describe('a platform app cannot become the user of an email it provisions an account for', () => {
  it('the answer, its replay and the audit log hold no link; the mail went to the address; its owner redeems it', async () => {
    const email = `${unique('unused')}@example.test`;
    const key = unique('key');
    const provision = () =>
      call(stack.api.url, 'POST', '/v1/accounts', {
        token: stack.platformToken,
        body: { name: unique('Squat'), admin: { name: 'Someone', email } },
        headers: { 'idempotency-key': key },
      });
    const made = await provision();
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const link = await mailedSignInToken(stack, email);
    const accountId: number = made.body.account.id;
    const replay = await call(stack.api.url, 'POST', '/v1/accounts', {
      token: stack.platformToken,
      body: { name: made.body.account.name, admin: { name: 'Someone', email } },
      headers: { 'idempotency-key': key },
    });
    expect(replay.status, JSON.stringify(replay.body)).toBe(200);
    for (const answer of [made.body, replay.body]) {
      expect(JSON.stringify(answer)).not.toContain(link);
      expect(JSON.stringify(answer)).not.toMatch(/sil_[A-Za-z0-9_-]{43}/);
    }
    // The audit log names the link by its prefix only.
    const logged = await stack.sql`select details from audit_log where account_id = ${accountId}`;
    expect(JSON.stringify(logged)).not.toContain(link);
    expect(JSON.stringify(logged)).toContain(link.slice(0, 12));

    // The only mail with the link went to the address; none to anyone else.
    expect(stack.mail.mailbox.mails.filter((m) => m.text.includes(link)).map((m) => m.to)).toEqual([[email]]);

    // The address's owner redeems it and is that account's administrator.
    const own = await redeemSignIn(stack.api.url, link);
    const members = await call(stack.api.url, 'GET', `/v1/accounts/${accountId}/members`, { token: own });
    expect(members.status, JSON.stringify(members.body)).toBe(200);
    const actions = await stack.sql`select action from audit_log where account_id = ${accountId} order by id`;
    expect(actions.map((a) => a.action)).toEqual([
      'account.provisioned',
      'sign_in_link.mailed',
      'sign_in_link.redeemed',
    ]);
  });
});
