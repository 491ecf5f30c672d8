import { expect } from 'vitest';
import { call } from './http.ts';
import type { TestStack } from './stack.ts';

export interface ActiveGrant {
  grantId: number;
  /** The workflow that holds the grant and ends it at its TTL. */
  workflowId: string;
  expiresAt: string;
  /** The grant's break-glass token, activated with the grantee's own token. */
  breakGlassToken: string;
}

/** The real way to super-admin power: an operator's promotion of `email`, then the grantee's activation. */
export async function activeGrant(
  stack: TestStack,
  grantee: { email: string; token: string },
  { reason = 'on call', ttl = '1h' }: { reason?: string; ttl?: string } = {},
): Promise<ActiveGrant> {
  const promoted = await call(stack.api.url, 'POST', '/v1/admin/promotions', {
    token: stack.platformToken,
    body: { email: grantee.email, reason, ttl },
  });
  expect(promoted.status, JSON.stringify(promoted.body)).toBe(201);
  const activated = await call(stack.api.url, 'POST', '/v1/break-glass/activate', {
    token: grantee.token,
    body: { reason },
  });
  expect(activated.status, JSON.stringify(activated.body)).toBe(201);
  return {
    grantId: promoted.body.grant_id,
    workflowId: promoted.body.workflow_id,
    expiresAt: promoted.body.expires_at,
    breakGlassToken: activated.body.token,
  };
}
