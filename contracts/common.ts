import { z } from 'zod';

/** Who asked for a write, as audit rows record it. */
export const actor = z.object({ type: z.enum(['PlatformApp', 'User', 'Operator']), id: z.string() });
export type Actor = z.infer<typeof actor>;

export const accountId = z.number().int().positive();
