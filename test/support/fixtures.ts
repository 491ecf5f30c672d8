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
 * A fresh account through the real API, with helpers bound to its administrator's token: the administrator's
 * one-time sign-in link is mailed to their address, and they redeem it for a token of their own.
 */
export async function newAccount(stack: TestStack, label = 'acct'): Promise<AccountFixture> {
  const email = `${unique(label)}@example.test`;
  const res = await call(stack.api.url, 'POST', '/v1/accounts', {
    token: stack.platformToken,
    body: { name: `${label} support`, admin: { name: 'Admin', email } },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const adminToken = await redeemSignIn(stack.api.url, await mailedSignInToken(stack, email));
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
 * The first token matching `kind` in the mails to `email` after the `since` it had, as its owner reads it:
 * invitation and sign-in mails to one address come in whatever order their runs send them.
 */
async function mailedToken(stack: Pick<TestStack, 'mail'>, email: string, since: number, kind: RegExp) {
  for (let nth = since; ; nth++) {
    const mail = await stack.mail.mailbox.waitFor(email, { nth });
    const token = kind.exec(mail.text)?.[0];
    if (token) return token;
  }
}

/** The invitation token in the next invitation mail to `email` (after the `since` mails it had). */
export async function mailedInvitationToken(stack: TestStack, email: string, since = 0): Promise<string> {
  return mailedToken(stack, email, since, /\binv_[A-Za-z0-9_-]{43}\b/);
}

/** The sign-in token in the next sign-in mail to `email` (after the `since` mails it had). */
export async function mailedSignInToken(stack: Pick<TestStack, 'mail'>, email: string, since = 0): Promise<string> {
  return mailedToken(stack, email, since, /\bsil_[A-Za-z0-9_-]{43}\b/);
}

/** An administrator invites `email`; answers the invitation and the token mailed to that address. */
export async function invite(
  stack: TestStack,
  account: AccountFixture,
  email: string,
  body: Record<string, unknown> = {},
): Promise<{ invitation: Record<string, any>; token: string }> {
  const since = stack.mail.mailbox.to(email).length;
  const invited = await account.api('POST', `/v1/accounts/${account.accountId}/invitations`, {
    body: { email, role: 'agent', ...body },
  });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  return { invitation: invited.body, token: await mailedInvitationToken(stack, email, since) };
}

/**
 * A new member through the real path: the administrator invites, the invitee accepts with the one-time token
 * the invitation mail brought. A user who exists already accepts with their own token instead (`ownToken`):
 * a link makes new users only.
 */
export async function join(
  stack: TestStack,
  account: AccountFixture,
  role: 'administrator' | 'agent' = 'agent',
  email = `${unique(role)}@example.test`,
  ownToken?: string,
): Promise<Joined> {
  const { invitation, token } = await invite(stack, account, email, { role });
  const accepted = ownToken
    ? await call(stack.api.url, 'POST', `/v1/invitations/${invitation.id}/accept`, { token: ownToken })
    : await call(stack.api.url, 'POST', '/v1/invitations/accept', { body: { token, name: 'Invitee' } });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
  return { userId: accepted.body.user_id, token: accepted.body.access_token };
}
