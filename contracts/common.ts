import { z } from 'zod';
import { scopeNames } from '../domain/scopes.ts';
import { lazySchema } from './lazy.ts';

/**
 * Who asked for a write, as audit rows record it. `proof` is added by the
 * client that starts the workflow (workers/actor-signing.ts) and checked before
 * the workflow acts: an actor cannot be claimed by whoever reaches Temporal.
 */
export const actor = lazySchema('common.actor', () =>
  z.object({
    type: z.enum(['PlatformApp', 'User', 'Operator', 'Invitation', 'SignInLink']),
    id: z.string().min(1).max(200),
    proof: z.string().max(100).optional(),
    /** Set when the user acts with a break-glass token: what they make is listed against this grant and ends with it. */
    grantId: z.number().int().positive().optional(),
  }),
);
export type Actor = z.infer<typeof actor>;

/**
 * An instant PostgreSQL and JavaScript both read back: from 1970 to 9999 (UTC). An offset can move a year-0001
 * time into 1 BC, which PostgreSQL stores and JavaScript cannot parse again (a 500 on every later read).
 */
export const isStorableInstant = (text: string): boolean => {
  const ms = Date.parse(text);
  return ms >= 0 && ms < Date.UTC(10_000, 0, 1);
};
export const storableInstantMessage = 'must be a time between 1970 and 9999';

export const accountId = lazySchema('common.accountId', () => z.number().int().positive());

/** Scopes a new token asks for (domain/scopes.ts), each once. */
export const scopeList = lazySchema('common.scopeList', () =>
  z
    .array(z.enum(scopeNames))
    .min(1)
    .max(scopeNames.length)
    .refine((list) => new Set(list).size === list.length, 'must not repeat a scope'),
);
