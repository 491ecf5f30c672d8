import { proxyLocalActivities } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import type { PrunedState } from '../contracts/housekeeping.ts';
import { workflows, type WorkflowInput } from '../contracts/workflows.ts';
import { actingFor } from './acting-for.ts';
import { parseInput } from './validation.ts';

const a = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);

/** Started by the `prune-expired-state` schedule: expired budgets and the breakers of gone hosts. */
export async function pruneExpiredState(raw?: WorkflowInput<typeof workflows.pruneExpiredState>): Promise<PrunedState> {
  const { breakerIdleHours, actor } = parseInput(workflows.pruneExpiredState.input, raw ?? {});
  await actingFor(raw ?? {}, actor);
  return a.pruneExpiredState({ breakerIdleHours });
}
