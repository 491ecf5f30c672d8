import type { Client } from '@temporalio/client';
import type { Logger } from '../config/logger.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import type { RetainedTable } from '../contracts/retention.ts';
import type { Sql } from '../db/pool.ts';
import { pruneBatch } from '../db/retention.ts';

const DAY_S = 86_400;

export function createRetentionActivities({ sql, logger, temporal }: { sql: Sql; logger: Logger; temporal: Client }) {
  /**
   * The namespace's retention in whole days, plus one. Until a closed run is that old Temporal still holds it:
   * it can be reset, and the API answers a repeated Idempotency-Key from it, so the rows its id guards stay.
   */
  async function retentionFloorDays(): Promise<number> {
    const { config } = await temporal.workflowService.describeNamespace({ namespace: temporal.options.namespace });
    const seconds = Number(config?.workflowExecutionRetentionTtl?.seconds ?? 0);
    return Math.ceil(seconds / DAY_S) + 1;
  }

  async function pruneRetainedBatch(input: { target: RetainedTable; before: string; batch: number }): Promise<number> {
    const deleted = await pruneBatch(sql, input.target, new Date(input.before), input.batch);
    if (deleted) logger.info({ ...input, deleted }, 'rows past retention pruned');
    return deleted;
  }

  return { retentionFloorDays, pruneRetainedBatch } satisfies Pick<
    CoreActivities,
    'retentionFloorDays' | 'pruneRetainedBatch'
  >;
}
