import { expect } from 'vitest';
import { call } from './http.ts';
import { unique, type TestStack } from './stack.ts';

export interface AccountFixture {
  accountId: number;
  adminId: number;
  adminToken: string;
  api: (method: string, path: string, options?: Parameters<typeof call>[3]) => ReturnType<typeof call>;
}

/**
 * A fresh account through the real API, with helpers bound to its administrator's token: the platform caller
 * gets a one-time sign-in link, which the administrator redeems for a token of their own.
 */
export async function newAccount(stack: TestStack, label = 'acct'): Promise<AccountFixture> {
  const res = await call(stack.api.url, 'POST', '/v1/accounts', {
    token: stack.platformToken,
    body: { name: `${label} support`, admin: { name: 'Admin', email: `${unique(label)}@example.test` } },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const adminToken = await redeemSignIn(stack.api.url, res.body.sign_in_token);
  return {
    accountId: res.body.account.id,
    adminId: res.body.admin.id,
    adminToken,
    api: (method, path, options = {}) => call(stack.api.url, method, path, { token: adminToken, ...options }),
  };
}

/** What the user a sign-in link was made for does with it: redeems it for their own access token. */
export async function redeemSignIn(apiUrl: string, signInToken: string): Promise<string> {
  const redeemed = await call(apiUrl, 'POST', '/v1/sign-in-links/redeem', { body: { token: signInToken } });
  expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(201);
  return redeemed.body.access_token;
}

export async function newInbox(account: AccountFixture, name = 'Shop API'): Promise<number> {
  const res = await account.api('POST', `/v1/accounts/${account.accountId}/inboxes`, { body: { name } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

export interface Joined {
  userId: number;
  token: string;
}

/**
 * A new member through the real path: the administrator invites, the invitee accepts with the one-time token.
 * A user who exists already accepts with their own token instead (`ownToken`): a link makes new users only.
 */
export async function join(
  stack: TestStack,
  account: AccountFixture,
  role: 'administrator' | 'agent' = 'agent',
  email = `${unique(role)}@example.test`,
  ownToken?: string,
): Promise<Joined> {
  const invited = await account.api('POST', `/v1/accounts/${account.accountId}/invitations`, { body: { email, role } });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  const accepted = ownToken
    ? await call(stack.api.url, 'POST', `/v1/invitations/${invited.body.id}/accept`, { token: ownToken })
    : await call(stack.api.url, 'POST', '/v1/invitations/accept', {
        body: { token: invited.body.accept_token, name: 'Invitee' },
      });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
  return { userId: accepted.body.user_id, token: accepted.body.access_token };
}
