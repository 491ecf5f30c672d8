import { z } from 'zod';
import { actor } from './common.ts';
import { lazySchema } from './lazy.ts';

/** An operator closes a breaker by hand (the dependency is known to be back), saying why. */
export const resetBreakerInput = lazySchema('breakers.resetBreakerInput', () =>
  z.object({
    name: z.string().trim().min(1).max(300),
    reason: z.string().trim().min(1).max(500),
    actor,
  }),
);
export type ResetBreakerInput = z.infer<typeof resetBreakerInput>;

export interface BreakerReset {
  name: string;
  /** The state it was in before the reset. */
  before: 'closed' | 'open' | 'half_open';
  state: 'closed';
}
