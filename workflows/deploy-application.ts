import { ApplicationFailure, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { DeployActivities } from '../activities/deploys.ts';
import { activityPresets, cleverCall } from '../config/catalogue.ts';
import { cancelSignal, deployInput, progressQuery, type DeployInput, type DeployOutcome, type DeployProgress } from './deploy.types.ts';
import { parseInput } from './validation.ts';

const remote = proxyActivities<DeployActivities>(cleverCall);
const local = proxyActivities<DeployActivities>(activityPresets.databaseWrite);

const TERMINAL = new Set(['OK', 'FAIL', 'CANCELLED']);

/**
 * Redeploys one commit and follows it to OK / FAIL / CANCELLED under an overall
 * deadline; on FAIL, rolls back to the last commit that reached OK. Following
 * is a loop of durable timers and one-shot polls: each poll is visible in the
 * history, the `progress` query answers between polls, and `cancel` or the
 * deadline interrupt the wait at once. One run per app (id `deploy:<owner>/<app>`).
 */
export async function deployApplication(input: DeployInput): Promise<DeployOutcome> {
  const cmd = parseInput(deployInput, input);
  const { workflowId } = workflowInfo();
  const startedAt = Date.now();
  const deadline = startedAt + cmd.deadlineMs;
  let cancelRequested = false;
  const progress: DeployProgress = { phase: 'reading', commit: cmd.commit ?? null, deploymentId: null, state: null, startedAt, elapsedMs: 0, timeLeftMs: cmd.deadlineMs, rollbackCommit: null };
  setHandler(progressQuery, () => ({ ...progress, elapsedMs: Date.now() - startedAt, timeLeftMs: Math.max(0, deadline - Date.now()) }));
  setHandler(cancelSignal, () => void (cancelRequested = true));

  const app = { ownerId: cmd.ownerId, appId: cmd.appId };
  const commit = cmd.commit ?? (await remote.readApplication(app)).commitId;
  if (!commit) throw ApplicationFailure.create({ type: 'ValidationError', message: `Application ${cmd.appId} has no current commit; name one.`, nonRetryable: true });
  progress.commit = commit;

  /** Starts one attempt and follows it; returns its final state, or why it stopped. */
  async function attempt(attemptKey: string, attemptCommit: string, rollbackOf?: string): Promise<{ state: string; deploymentId: string }> {
    progress.phase = rollbackOf ? 'rolling_back' : 'redeploying';
    const { deploymentId } = await remote.startRedeploy({ attemptKey, workflowId, ...app, commit: attemptCommit, requestedBy: cmd.requestedBy, rollbackOf });
    progress.deploymentId = deploymentId;
    if (!rollbackOf) progress.phase = 'following';
    for (;;) {
      const { state } = await remote.pollDeployment({ attemptKey, ...app, deploymentId });
      progress.state = state;
      if (TERMINAL.has(state)) {
        await local.finishAttempt({ attemptKey, outcome: state as 'OK' | 'FAIL' | 'CANCELLED' });
        return { state, deploymentId };
      }
      const wait = Math.min(cmd.pollIntervalMs, deadline - Date.now());
      if (wait > 0) await condition(() => cancelRequested, wait);
      if (cancelRequested || Date.now() >= deadline) {
        progress.phase = 'cancelling';
        await remote.cancelDeployment({ ...app, deploymentId });
        await local.finishAttempt({ attemptKey, outcome: cancelRequested ? 'CANCELLED' : 'TIMED_OUT' });
        return { state: cancelRequested ? 'CANCELLED' : 'TIMED_OUT', deploymentId };
      }
    }
  }

  const first = await attempt(`${workflowId}:${startedAt}:deploy`, commit);
  progress.phase = 'done';
  if (first.state === 'OK') return { status: 'succeeded', commit, deploymentId: first.deploymentId };
  if (first.state === 'CANCELLED') return { status: 'cancelled', commit, deploymentId: first.deploymentId };
  if (first.state === 'TIMED_OUT') {
    throw ApplicationFailure.create({
      type: 'DeadlineExceeded',
      message: `Deployment ${first.deploymentId} of ${commit} did not finish within ${cmd.deadlineMs} ms; it was cancelled.`,
      nonRetryable: true,
    });
  }
  if (!cmd.autoRollback) return { status: 'failed', commit, deploymentId: first.deploymentId };

  const good = await local.lastGoodCommit({ ...app, except: commit });
  if (!good) return { status: 'failed', commit, deploymentId: first.deploymentId };
  progress.rollbackCommit = good;
  const rollback = await attempt(`${workflowId}:${startedAt}:rollback`, good, `${workflowId}:${startedAt}:deploy`);
  progress.phase = 'done';
  return { status: 'rolled_back', commit, deploymentId: first.deploymentId, rollback: { commit: good, deploymentId: rollback.deploymentId, state: rollback.state } };
}
