import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { LicenceSettings } from '../config/licence.ts';
import { currentLicence } from '../db/licence.ts';
import type { Sql } from '../db/pool.ts';
import { searchAttributesOf, workflows } from '../contracts/workflows.ts';

export const LICENCE_SCHEDULE_ID = 'licence-heartbeat';

/**
 * Creates the licence heartbeat schedule, or brings its interval up to date:
 * any number of worker starts leave exactly one. Visible, pausable and
 * triggerable in the Web UI and with `temporal schedule …`.
 */
export async function ensureLicenceSchedule(
  client: Client,
  intervalMs: number,
): Promise<'created' | 'updated' | 'unchanged'> {
  const spec = { intervals: [{ every: intervalMs }], jitter: Math.min(60_000, Math.floor(intervalMs / 10)) };
  try {
    await client.schedule.create({
      scheduleId: LICENCE_SCHEDULE_ID,
      spec,
      action: {
        type: 'startWorkflow',
        workflowType: workflows.licenceHeartbeat.type,
        taskQueue: workflows.licenceHeartbeat.taskQueue,
        workflowExecutionTimeout: workflows.licenceHeartbeat.executionTimeout,
        typedSearchAttributes: searchAttributesOf(workflows.licenceHeartbeat, {}),
        staticSummary: workflows.licenceHeartbeat.summary({}),
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: intervalMs },
      state: { note: 'Reports usage to the licensing server and reconciles premium features.' },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(LICENCE_SCHEDULE_ID);
  const current = await handle.describe();
  const every = current.spec.intervals?.[0]?.every;
  if (every === intervalMs) return 'unchanged';
  await handle.update((previous) => ({ ...previous, spec: { ...previous.spec, ...spec } }));
  return 'updated';
}

/** The licence's own `hb` when it has one, else the configured interval. */
export async function heartbeatInterval(sql: Sql, settings: LicenceSettings): Promise<number> {
  const hb = (await currentLicence(sql))?.claims.hb;
  return hb ? hb * 1000 : settings.heartbeatIntervalMs;
}
