import {
  ActivityFailure,
  executeChild,
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
} from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import type { HeartbeatResult, ReconcileResult } from '../contracts/licence.ts';
import { workflows, type WorkflowFn, type WorkflowInput } from '../contracts/workflows.ts';
import { childOptions } from './child.ts';
import { actingFor } from './acting-for.ts';
import { parseInput } from './validation.ts';

const scheduled = proxyActivities<CoreActivities>(activityOptions.licenceHeartbeat);
const once = proxyActivities<CoreActivities>(activityOptions.licenceHeartbeatOnce);
const { reconcilePremiumFeatures: reconcile } = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);
const reconcileEntry = workflows.reconcilePremiumFeatures;

/**
 * One heartbeat, started by the `licence-heartbeat` schedule (or by hand):
 * report usage to the licensing server, then reconcile premium features with
 * whatever the status is now. A failed heartbeat is recorded, not fatal: the
 * status function turns silence into GRACE, then EXPIRED.
 */
export async function licenceHeartbeat(
  input?: WorkflowInput<typeof workflows.licenceHeartbeat>,
): Promise<HeartbeatResult> {
  const { retry, actor } = parseInput(workflows.licenceHeartbeat.input, input);
  await actingFor(input, actor);
  const { workflowId } = workflowInfo();
  let heartbeat: HeartbeatResult['heartbeat'];
  try {
    heartbeat = await (retry === false ? once : scheduled).sendHeartbeat({ runKey: workflowId });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    heartbeat = { outcome: 'failed', error: err.cause?.message ?? err.message };
  }
  const reconciled = await executeChild<WorkflowFn<typeof reconcileEntry>>(
    reconcileEntry.type,
    childOptions(reconcileEntry, reconcileEntry.id({ cause: workflowId }), {}),
  );
  return { heartbeat, status: reconciled.status, features: reconciled.features };
}

/** Premium features on every account follow the licence status; runs after each heartbeat and each install. */
export async function reconcilePremiumFeatures(input?: WorkflowInput<typeof reconcileEntry>): Promise<ReconcileResult> {
  parseInput(reconcileEntry.input, input);
  return reconcile();
}
