import { condition, proxyLocalActivities } from '@temporalio/workflow';
import { activityOptions } from '../../config/catalogue.ts';
import { failure } from '../../config/failures.ts';
import type { DeployActivities } from '../../contracts/activities.ts';
import type { AttemptRef, DeployCommand, DeployProgress } from '../../contracts/deploys.ts';
import { isDeadline, type DeadlineBudget } from './budget.ts';
import { showProgress } from './details.ts';

const local = proxyLocalActivities<DeployActivities>(activityOptions.databaseWrite);
const TERMINAL = new Set(['OK', 'FAIL', 'CANCELLED']);
type Outcome = 'OK' | 'FAIL' | 'CANCELLED';

export interface DeployRun {
  cmd: DeployCommand;
  workflowId: string;
  budget: DeadlineBudget;
  progress: DeployProgress;
  cancelRequested(): boolean;
  keyOf(kind: 'deploy' | 'rollback'): string;
}

type Extra = Pick<AttemptRef, 'envChanges' | 'envBefore' | 'rollbackOf'>;

/**
 * One redeploy, started at most once and followed to its end: a loop of durable
 * timers and one-shot polls, so every observed state is in the history and
 * `cancel` or the deadline cut the wait at once. At the deadline the deployment
 * is cancelled and the run fails with DeadlineExceeded.
 */
export async function runAttempt(
  run: DeployRun,
  kind: 'deploy' | 'rollback',
  commit: string,
  extra: Extra,
): Promise<{ state: Outcome; deploymentId: string }> {
  const { cmd, budget, progress } = run;
  const app = { ownerId: cmd.ownerId, appId: cmd.appId };
  const attemptKey = run.keyOf(kind);
  let deploymentId: string | null = null;
  try {
    const ref = {
      attemptKey,
      workflowId: run.workflowId,
      ...app,
      commit,
      requestedBy: `${cmd.actor.type}:${cmd.actor.id}`,
      ...extra,
    };
    deploymentId = (await budget.call((a) => a.startRedeploy(ref))).deploymentId;
    progress.deploymentId = deploymentId;
    progress.phase = kind === 'deploy' ? 'following' : 'rolling_back';
    showProgress(progress);
    let state = await follow(run, attemptKey, deploymentId);
    if (state === 'CANCEL_REQUESTED') {
      progress.phase = 'cancelling';
      showProgress(progress);
      const id = deploymentId;
      await budget.quietly((a) => a.cancelDeployment({ ...app, deploymentId: id }));
      state = 'CANCELLED';
    }
    await local.finishAttempt({ attemptKey, outcome: state });
    return { state, deploymentId };
  } catch (err) {
    if (!isDeadline(err)) throw err;
    progress.phase = 'cancelling';
    showProgress(progress);
    const id = deploymentId;
    if (id) await budget.quietly((a) => a.cancelDeployment({ ...app, deploymentId: id }));
    await local.finishAttempt({ attemptKey, outcome: 'TIMED_OUT' });
    throw failure(
      'DeadlineExceeded',
      `The ${kind} of ${commit} did not finish within ${cmd.deadlineMs} ms${id ? `; deployment ${id} was cancelled` : ''}.`,
    );
  }
}

async function follow(run: DeployRun, attemptKey: string, deploymentId: string): Promise<Outcome | 'CANCEL_REQUESTED'> {
  const { cmd, budget, progress } = run;
  for (;;) {
    const { state } = await budget.call((a) =>
      a.pollDeployment({ attemptKey, ownerId: cmd.ownerId, appId: cmd.appId, deploymentId }),
    );
    progress.state = state;
    showProgress(progress);
    if (TERMINAL.has(state)) return state as Outcome;
    await condition(run.cancelRequested, Math.max(1, Math.min(cmd.pollIntervalMs, budget.timeLeft())));
    if (run.cancelRequested()) return 'CANCEL_REQUESTED';
  }
}
