import { expect } from 'vitest';
import { newAccount, type AccountFixture } from './fixtures.ts';
import { call } from './http.ts';
import type { TestStack } from './stack.ts';

export interface SuperAdminVictim extends AccountFixture {
  email: string;
  name: string;
}

/**
 * Account B, whose administrator holds a break-glass grant in force: the person whose credential is worth
 * most to an attacker. The grant is made the real way (a platform operator's promotion) and checked to work.
 */
export async function superAdminVictim(stack: TestStack, label = 'victim'): Promise<SuperAdminVictim> {
  const b = await newAccount(stack, label);
  const [user] = await stack.sql<
    { email: string; name: string }[]
  >`select email, name from users where id = ${b.adminId}`;
  const promoted = await call(stack.api.url, 'POST', '/v1/admin/promotions', {
    token: stack.platformToken,
    body: { email: user!.email, reason: 'on call', ttl: '1h' },
  });
  expect(promoted.status, JSON.stringify(promoted.body)).toBe(201);
  return { ...b, email: user!.email, name: user!.name };
}

/** An account B's super admin never belonged to: their grant opens it, so it tells whether a token carries it. */
export async function reachesAnyAccount(stack: TestStack, token: string): Promise<number> {
  const elsewhere = await newAccount(stack, 'elsewhere');
  return (await call(stack.api.url, 'GET', `/v1/accounts/${elsewhere.accountId}/members`, { token })).status;
}
