import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Logger } from '../config/logger.ts';
import type { Run } from '../contracts/activities.ts';
import type { OperateScheduleInput, ScheduleOperated } from '../contracts/schedules.ts';
import type { Sql } from '../db/pool.ts';
import { refuse } from './failures.ts';
import { audit } from './audit.ts';

/**
 * An operator's pause, unpause, trigger or backfill of a schedule, audited with
 * its reason. The audit row comes first and once per run, so a retried activity
 * repeats the (harmless) schedule call, never the row.
 */
export function createScheduleActivities({ sql, logger, temporal }: { sql: Sql; logger: Logger; temporal: Client }) {
  async function operateSchedule(cmd: Run<OperateScheduleInput>): Promise<ScheduleOperated> {
    const handle = temporal.schedule.getHandle(cmd.scheduleId);
    try {
      await handle.describe();
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) refuse('NotFound', `Schedule ${cmd.scheduleId} does not exist.`);
      throw err;
    }
    if (cmd.operation === 'backfill' && !(cmd.from && cmd.to && cmd.from < cmd.to))
      refuse('ValidationError', 'A backfill needs `from` before `to`.');
    await sql.begin((tx) =>
      audit(tx, {
        accountId: null,
        actor: cmd.actor,
        action: `schedule.${cmd.operation}`,
        subject: 'schedule',
        subjectId: cmd.scheduleId,
        details: { reason: cmd.reason ?? null, ...(cmd.from && { from: cmd.from, to: cmd.to }) },
        workflowId: cmd.workflowId,
      }),
    );
    const note = `${cmd.reason ?? cmd.operation} (by ${cmd.actor.type}:${cmd.actor.id})`;
    switch (cmd.operation) {
      case 'pause':
        await handle.pause(note);
        break;
      case 'unpause':
        await handle.unpause(note);
        break;
      case 'trigger':
        await handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
        break;
      case 'backfill':
        await handle.backfill([
          { start: new Date(cmd.from!), end: new Date(cmd.to!), overlap: ScheduleOverlapPolicy.ALLOW_ALL },
        ]);
        break;
      default:
        cmd.operation satisfies never;
    }
    logger.info({ scheduleId: cmd.scheduleId, operation: cmd.operation, reason: cmd.reason }, 'schedule operated');
    return { scheduleId: cmd.scheduleId, operation: cmd.operation };
  }
  return { operateSchedule };
}
