import { describe, expect, it } from 'vitest';
import { join, mailedSignInToken, newAccount } from '../../support/fixtures.ts';
import { call } from '../../support/http.ts';
import { unique, useStack } from '../../support/stack.ts';
import { saveLatest } from '../histories.ts';

const stack = useStack({ http: true, ownDatabase: true });

describe('record the identity workflows: sign-in links and bots', () => {
  it('provision, issue, mail and redeem', async () => {
    const account = await newAccount(stack, 'replay-sign-in');
    const email = `${unique('signin')}@example.test`;
    await join(stack, account, 'agent', email);
    const since = stack.mail.mailbox.to(email).length;
    const issued = await call(stack.api.url, 'POST', '/v1/admin/sign-in-links', {
      token: stack.platformToken,
      body: { email, account_id: account.accountId, reason: 'replay' },
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const redeemed = await call(stack.api.url, 'POST', '/v1/sign-in-links/redeem', {
      body: { token: await mailedSignInToken(stack, email, since) },
    });
    expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(201);
    const bot = await account.api('POST', `/v1/accounts/${account.accountId}/bots`, { body: { name: 'Zapier' } });
    expect(bot.status, JSON.stringify(bot.body)).toBe(201);
    // The newest provisionAccount run is newAccount's, whose link was mailed and redeemed; the newest mail, issued's.
    for (const type of ['provisionAccount', 'issueSignInLink', 'mailSignInLink', 'redeemSignInLink', 'createBot'])
      await saveLatest(stack, type);
  });
});
