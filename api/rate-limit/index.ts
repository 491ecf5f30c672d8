import type { Context, MiddlewareHandler } from 'hono';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ProblemError } from '../problem/index.ts';

export interface RateLimitOptions {
  limiter: RateLimiterAbstract;
  /** What the budget is counted by; undefined lets the request through uncounted. */
  keyOf: (c: Context) => string | undefined;
  /** Named in the 429's detail: "per token", "per address". */
  scope: string;
}

/**
 * Spends one point of the caller's budget before the request does anything,
 * so a refused request writes nothing. Every answer says where the budget
 * stands (`RateLimit-*`, draft-ietf-httpapi-ratelimit-headers); a 429 says
 * when to come back (`Retry-After`).
 */
export function rateLimit({ limiter, keyOf, scope }: RateLimitOptions): MiddlewareHandler {
  return async function spendBudget(c, next) {
    const key = keyOf(c);
    if (key === undefined) return next();
    let state: RateLimiterRes;
    try {
      state = await limiter.consume(key);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const retryAfter = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw new ProblemError(
        'tooManyRequests',
        `More than ${limiter.points} requests in ${limiter.duration} s ${scope}; retry in ${retryAfter} s.`,
        {},
        {
          'Retry-After': String(retryAfter),
          ...headers(limiter, err),
        },
      );
    }
    await next();
    // Two budgets (address, token) may both answer: the one with less left is the one to show.
    const shown = c.res.headers.get('RateLimit-Remaining');
    if (shown !== null && Number(shown) <= state.remainingPoints) return;
    for (const [name, value] of Object.entries(headers(limiter, state))) c.header(name, value);
  };
}

function headers(limiter: RateLimiterAbstract, state: RateLimiterRes): Record<string, string> {
  return {
    'RateLimit-Limit': String(limiter.points),
    'RateLimit-Remaining': String(state.remainingPoints),
    'RateLimit-Reset': String(Math.ceil(state.msBeforeNext / 1000)),
  };
}
