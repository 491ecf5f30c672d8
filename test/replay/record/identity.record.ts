import { describe, expect, it } from 'vitest';
import { join, newAccount } from '../../support/fixtures.ts';
import { call } from '../../support/http.ts';
import { unique, useStack } from '../../support/stack.ts';
import { saveLatest } from '../histories.ts';

const stack = useStack({ http: true, ownDatabase: true });

describe('record the identity workflows: sign-in links and bots', () => {
  it('issue and redeem', async () => {
    const account = await newAccount(stack, 'replay-sign-in');
    const email = `${unique('signin')}@example.test`;
    await join(stack, account, 'agent', email);
    const issued = await call(stack.api.url, 'POST', '/v1/admin/sign-in-links', {
      token: stack.platformToken,
      body: { email, account_id: account.accountId, reason: 'replay' },
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const redeemed = await call(stack.api.url, 'POST', '/v1/sign-in-links/redeem', {
      body: { token: issued.body.sign_in_token },
    });
    expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(201);
    const bot = await account.api('POST', `/v1/accounts/${account.accountId}/bots`, { body: { name: 'Zapier' } });
    expect(bot.status, JSON.stringify(bot.body)).toBe(201);
    for (const type of ['issueSignInLink', 'redeemSignInLink', 'createBot']) await saveLatest(stack, type);
  });
});
