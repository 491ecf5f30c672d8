import { z } from 'zod';

/**
 * Who asked for a write, as audit rows record it. `proof` is added by the
 * client that starts the workflow (workers/actor-signing.ts) and checked before
 * the workflow acts: an actor cannot be claimed by whoever reaches Temporal.
 */
export const actor = z.object({
  type: z.enum(['PlatformApp', 'User', 'Operator', 'Invitation']),
  id: z.string().min(1).max(200),
  proof: z.string().max(100).optional(),
});
export type Actor = z.infer<typeof actor>;

export const accountId = z.number().int().positive();
