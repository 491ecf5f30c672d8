import { proxyActivities } from '@temporalio/workflow';
import type { createFloorActivities } from './floor-activities.ts';

const { insertBenchRow } = proxyActivities<ReturnType<typeof createFloorActivities>>({ startToCloseTimeout: '10 s' });

/** The floor: one workflow, one activity, one INSERT. */
export async function benchInsertRow(label: string): Promise<number> {
  return insertBenchRow(label);
}

/** The floor of floors: a workflow that does nothing. */
export async function benchNoop(): Promise<void> {}
