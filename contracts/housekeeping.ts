import { z } from 'zod';
import { actor } from './common.ts';
import { lazySchema } from './lazy.ts';

/**
 * Rows that only grow unless something deletes them: request budgets past their window, and the
 * circuit breakers of webhook hosts no webhook targets any more (idle for `breakerIdleHours`). Its actor
 * is the schedule's, signed by the registry (workers/schedules.ts).
 */
export const pruneExpiredStateInput = lazySchema('housekeeping.pruneExpiredStateInput', () =>
  z.object({ breakerIdleHours: z.number().int().min(1).max(8_760).default(24), actor: actor.optional() }),
);

export interface PrunedState {
  rateLimits: number;
  breakers: number;
}
