import { z } from 'zod';
import { scopeNames } from '../domain/scopes.ts';
import { lazySchema } from './lazy.ts';

/**
 * Who asked for a write, as audit rows record it. `proof` is added by the
 * client that starts the workflow (workers/actor-signing.ts) and checked before
 * the workflow acts: an actor cannot be claimed by whoever reaches Temporal.
 */
export const actor = lazySchema(() =>
  z.object({
    type: z.enum(['PlatformApp', 'User', 'Operator', 'Invitation', 'SignInLink']),
    id: z.string().min(1).max(200),
    proof: z.string().max(100).optional(),
    /** Set when the user acts with a break-glass token: what they make is listed against this grant and ends with it. */
    grantId: z.number().int().positive().optional(),
  }),
);
export type Actor = z.infer<typeof actor>;

export const accountId = lazySchema(() => z.number().int().positive());

/** Scopes a new token asks for (domain/scopes.ts), each once. */
export const scopeList = lazySchema(() =>
  z
    .array(z.enum(scopeNames))
    .min(1)
    .max(scopeNames.length)
    .refine((list) => new Set(list).size === list.length, 'must not repeat a scope'),
);
