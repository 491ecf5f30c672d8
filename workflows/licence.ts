import { executeChild, proxyActivities, workflowInfo, ActivityFailure } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { HeartbeatOutcome } from '../activities/licence/heartbeat.ts';
import { activityPresets, licenceHeartbeatCall } from '../config/catalogue.ts';
import { searchAttributes } from '../config/search-attributes.ts';

const scheduled = proxyActivities<Activities>(licenceHeartbeatCall);
/** An operator's "heartbeat now" shows the first attempt's outcome instead of retrying for minutes. */
const once = proxyActivities<Activities>({ ...licenceHeartbeatCall, scheduleToCloseTimeout: '30 s', retry: { maximumAttempts: 1 } });
const { reconcilePremiumFeatures: reconcile } = proxyActivities<Activities>(activityPresets.databaseWrite);

/**
 * One heartbeat, started by the `licence-heartbeat` schedule (or by hand):
 * report usage to the licensing server, then reconcile premium features with
 * whatever the status is now. A failed heartbeat is recorded, not fatal: the
 * status function turns silence into GRACE, then EXPIRED.
 */
export async function licenceHeartbeat(input: { retry?: boolean } = {}): Promise<{ heartbeat: HeartbeatOutcome | { outcome: 'failed'; error: string }; status: string; features: string[] }> {
  const { workflowId } = workflowInfo();
  let heartbeat: HeartbeatOutcome | { outcome: 'failed'; error: string };
  try {
    heartbeat = await (input.retry === false ? once : scheduled).sendHeartbeat({ runKey: workflowId });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    heartbeat = { outcome: 'failed', error: err.cause?.message ?? err.message };
  }
  const reconciled = await executeChild(reconcilePremiumFeatures, {
    workflowId: `licence-reconcile:${workflowId}`,
    typedSearchAttributes: [{ key: searchAttributes.kind, value: 'reconcilePremiumFeatures' }],
  });
  return { heartbeat, status: reconciled.status, features: reconciled.features };
}

/** Premium features on every account follow the licence status; runs after each heartbeat and each install. */
export async function reconcilePremiumFeatures(): Promise<{ status: string; features: string[]; accountsChanged: number }> {
  return reconcile();
}
