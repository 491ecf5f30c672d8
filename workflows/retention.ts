import { proxyLocalActivities } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import type { PrunedRows } from '../contracts/retention.ts';
import { workflows, type WorkflowInput } from '../contracts/workflows.ts';
import { actingFor } from './acting-for.ts';
import { parseInput } from './validation.ts';

const a = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);
/** Batches one run deletes at most: a backlog is worked off over the next runs, and the history stays small. */
const MAX_BATCHES = 200;
const DAY_MS = 86_400_000;

/**
 * Started by a retention schedule (workers/schedules.ts): deletes one table's rows past its retention, a batch
 * per local activity (one short statement each). The retention never goes below the floor, the days Temporal
 * still holds a closed run whose id a row guards.
 */
export async function pruneRetained(input: WorkflowInput<typeof workflows.pruneRetained>): Promise<PrunedRows> {
  const { target, retentionDays, batch, actor } = parseInput(workflows.pruneRetained.input, input);
  await actingFor(input, actor);
  if (retentionDays === null) return { target, deleted: 0, before: null, floorDays: null };
  const floorDays = await a.retentionFloorDays();
  const before = new Date(Date.now() - Math.max(retentionDays, floorDays) * DAY_MS).toISOString();
  let deleted = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const n = await a.pruneRetainedBatch({ target, before, batch });
    deleted += n;
    if (n < batch) break;
  }
  return { target, deleted, before, floorDays };
}
