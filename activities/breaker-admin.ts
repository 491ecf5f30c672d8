import type { Logger } from '../config/logger.ts';
import type { BreakerReset, ResetBreakerInput } from '../contracts/breakers.ts';
import type { CoreActivities, Run } from '../contracts/activities.ts';
import { resetBreaker as closeBreaker } from '../db/breakers.ts';
import type { Sql } from '../db/pool.ts';
import { refuse } from './failures.ts';
import { audit } from './audit.ts';

/** An operator's reset: the breaker closes and the audit row says who and why, in one transaction. */
export function createBreakerActivities({ sql, logger }: { sql: Sql; logger: Logger }) {
  async function resetBreaker(cmd: Run<ResetBreakerInput>): Promise<BreakerReset> {
    return sql.begin(async (tx) => {
      const before = await closeBreaker(tx, cmd.name);
      if (!before) refuse('NotFound', `No circuit breaker is named ${cmd.name}.`);
      await audit(tx, {
        accountId: null,
        actor: cmd.actor,
        action: 'breaker.reset',
        subject: 'Breaker',
        subjectId: cmd.name,
        details: { reason: cmd.reason, before },
        workflowId: cmd.workflowId,
      });
      logger.warn({ breaker: cmd.name, before, reason: cmd.reason, actor: cmd.actor.id }, 'breaker reset by hand');
      return { name: cmd.name, before, state: 'closed' };
    });
  }

  return { resetBreaker } satisfies Pick<CoreActivities, 'resetBreaker'>;
}
