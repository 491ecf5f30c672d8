import { expect } from 'vitest';
import { activeGrant } from './break-glass.ts';
import { mailedSignInToken, newAccount, redeemSignIn, type AccountFixture } from './fixtures.ts';
import { call } from './http.ts';
import { unique, type TestStack } from './stack.ts';

export interface SuperAdminVictim extends AccountFixture {
  email: string;
  name: string;
  /** The grant's break-glass token, which the victim activated with their own: the power an attacker is after. */
  breakGlassToken: string;
}

/**
 * Account B, whose administrator holds a break-glass grant in force, activated: the person whose credentials are
 * worth most to an attacker. The grant is made the real way (a platform operator's promotion, then the grantee's
 * activation with their own token).
 */
export async function superAdminVictim(stack: TestStack, label = 'victim'): Promise<SuperAdminVictim> {
  // A name of their own, so an answer that shows it is seen to.
  const name = unique('Grace Hopper');
  const email = `${unique(label)}@example.test`;
  const made = await call(stack.api.url, 'POST', '/v1/accounts', {
    token: stack.platformToken,
    body: { name: `${label} support`, admin: { name, email } },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const token = await redeemSignIn(stack.api.url, await mailedSignInToken(stack, email));
  const { breakGlassToken } = await activeGrant(stack, { email, token });
  return {
    accountId: made.body.account.id,
    adminId: made.body.admin.id,
    adminToken: token,
    api: (method, path, options = {}) => call(stack.api.url, method, path, { token, ...options }),
    email,
    name,
    breakGlassToken,
  };
}

/** An account B's super admin never belonged to: their grant opens it, so it tells whether a token carries it. */
export async function reachesAnyAccount(stack: TestStack, token: string): Promise<number> {
  const elsewhere = await newAccount(stack, 'elsewhere');
  return (await call(stack.api.url, 'GET', `/v1/accounts/${elsewhere.accountId}/members`, { token })).status;
}
