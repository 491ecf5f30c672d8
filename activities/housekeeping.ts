import { breakerNames } from '../config/breakers.ts';
import type { Logger } from '../config/logger.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import type { PrunedState } from '../contracts/housekeeping.ts';
import { deleteIdleBreakers } from '../db/breakers.ts';
import type { Sql } from '../db/pool.ts';
import { deleteExpiredRateLimits } from '../db/rate-limits.ts';

/** Deletes what only grows: both deletes are idempotent, so a re-run after a crash is harmless. */
export function createHousekeepingActivities({ sql, logger }: { sql: Sql; logger: Logger }) {
  async function pruneExpiredState({ breakerIdleHours }: { breakerIdleHours: number }): Promise<PrunedState> {
    const rateLimits = await deleteExpiredRateLimits(sql);
    // A breaker is kept while any webhook (of any account, enabled or not) still names its host.
    const urls = await sql<{ url: string }[]>`select distinct url from webhooks`;
    const targeted = urls.flatMap(({ url }) => {
      try {
        return [breakerNames.webhook(url)];
      } catch {
        return [];
      }
    });
    const breakers = await deleteIdleBreakers(sql, { prefix: 'webhook:', keep: targeted, idleHours: breakerIdleHours });
    if (rateLimits + breakers > 0) logger.info({ rateLimits, breakers }, 'expired state pruned');
    return { rateLimits, breakers };
  }

  return { pruneExpiredState } satisfies Pick<CoreActivities, 'pruneExpiredState'>;
}
