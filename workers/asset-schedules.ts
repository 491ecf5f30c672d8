import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { searchAttributesOf, workflows } from '../contracts/workflows.ts';

export const ASSET_GC_SCHEDULE_ID = 'assets-gc';
const entry = workflows.collectAssetGarbage;

/**
 * Creates the asset garbage-collection schedule, or brings its interval up to
 * date: any number of starts leave exactly one. Its runs carry no actor and use
 * the workers' retention settings (ASSETS_KEEP_PREVIOUS, ASSETS_KEEP_YOUNGER_THAN_MS).
 */
export async function ensureAssetGcSchedule(
  client: Client,
  intervalMs = 6 * 3_600_000,
): Promise<'created' | 'updated' | 'unchanged'> {
  const spec = { intervals: [{ every: intervalMs }], jitter: Math.min(300_000, Math.floor(intervalMs / 10)) };
  try {
    await client.schedule.create({
      scheduleId: ASSET_GC_SCHEDULE_ID,
      spec,
      action: {
        type: 'startWorkflow',
        workflowType: entry.type,
        taskQueue: entry.taskQueue,
        args: [{}],
        workflowExecutionTimeout: entry.executionTimeout,
        typedSearchAttributes: searchAttributesOf(entry, {}),
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: intervalMs },
      state: { note: 'Deletes asset builds beyond retention and the files no kept build references.' },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(ASSET_GC_SCHEDULE_ID);
  const current = await handle.describe();
  if (current.spec.intervals?.[0]?.every === intervalMs) return 'unchanged';
  await handle.update((previous) => ({ ...previous, spec: { ...previous.spec, ...spec } }));
  return 'updated';
}
