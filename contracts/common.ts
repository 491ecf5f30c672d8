import { z } from 'zod';
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
  }),
);
export type Actor = z.infer<typeof actor>;

export const accountId = lazySchema(() => z.number().int().positive());
