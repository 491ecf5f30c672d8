import type { Env } from './env.ts';

export interface AccountLimits {
  webhooks: number;
  inboxes: number;
  pendingInvitations: number;
}

export function accountLimits(env: Env): AccountLimits {
  return {
    webhooks: env.MAX_WEBHOOKS_PER_ACCOUNT,
    inboxes: env.MAX_INBOXES_PER_ACCOUNT,
    pendingInvitations: env.MAX_PENDING_INVITATIONS_PER_ACCOUNT,
  };
}

/** The API's request budgets, shared by every replica through PostgreSQL. */
export interface RateLimits {
  perToken: number;
  perAddress: number;
  windowSeconds: number;
  /** Proxies whose `X-Forwarded-For` names the client (CIDRs); none: the socket's peer is the client. */
  trustedProxies?: readonly string[];
}

export function rateLimits(env: Env): RateLimits {
  return {
    perToken: env.API_RATE_LIMIT_PER_TOKEN,
    perAddress: env.API_RATE_LIMIT_PER_ADDRESS,
    windowSeconds: env.API_RATE_LIMIT_WINDOW_SECONDS,
    trustedProxies: env.TRUSTED_PROXIES,
  };
}
