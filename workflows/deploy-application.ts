import { proxyLocalActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import { failure } from '../config/failures.ts';
import { searchAttributes } from '../config/search-attributes.ts';
import type { DeployActivities } from '../contracts/activities.ts';
import {
  cancelSignal,
  progressQuery,
  type DeployInput,
  type DeployOutcome,
  type DeployProgress,
} from '../contracts/deploys.ts';
import { workflows } from '../contracts/workflows.ts';
import { runAttempt, type DeployRun } from './deploy/attempt.ts';
import { DeadlineBudget } from './deploy/budget.ts';
import { showProgress } from './deploy/details.ts';
import { actingFor } from './acting-for.ts';
import { parseInput } from './validation.ts';

const local = proxyLocalActivities<DeployActivities>(activityOptions.databaseWrite);

/**
 * Redeploys one commit and follows it to OK / FAIL / CANCELLED under an overall
 * deadline; on FAIL, restores the environment it changed and rolls back to the
 * last commit that reached OK. Each Clever Cloud call may retry (429/5xx) only
 * within the time left, so the deploy ends by its deadline however the API
 * behaves. One run per app (the workflow id).
 */
export async function deployApplication(input: DeployInput): Promise<DeployOutcome> {
  const cmd = parseInput(workflows.deployApplication.input, input);
  const { workflowId, typedSearchAttributes } = workflowInfo();
  // Tagged here too, so a run started by hand (Web UI, `temporal workflow start`) is found like the others.
  if (typedSearchAttributes.get(searchAttributes.appId) !== cmd.appId) {
    upsertSearchAttributes([
      { key: searchAttributes.kind, value: 'deploy' },
      { key: searchAttributes.appId, value: cmd.appId },
    ]);
  }
  const startedAt = Date.now();
  const budget = new DeadlineBudget(startedAt + cmd.deadlineMs);
  let cancelRequested = false;
  const progress: DeployProgress = {
    phase: 'reading',
    commit: cmd.commit ?? null,
    deploymentId: null,
    state: null,
    startedAt,
    elapsedMs: 0,
    timeLeftMs: cmd.deadlineMs,
    rollbackCommit: null,
  };
  setHandler(progressQuery, () => ({ ...progress, elapsedMs: Date.now() - startedAt, timeLeftMs: budget.timeLeft() }));
  setHandler(cancelSignal, () => void (cancelRequested = true));
  showProgress(progress);
  const run: DeployRun = {
    cmd,
    workflowId,
    budget,
    progress,
    cancelRequested: () => cancelRequested,
    keyOf: (kind) => `${workflowId}:${startedAt}:${kind}`,
  };
  const app = { ownerId: cmd.ownerId, appId: cmd.appId };

  // After the handlers: a progress query may arrive before the first activity does.
  await actingFor(input, cmd.actor);
  const commit = cmd.commit ?? (await budget.call((a) => a.readApplication(app))).commitId;
  if (!commit) throw failure('ValidationError', `Application ${cmd.appId} has no current commit; name one.`);
  progress.commit = commit;
  showProgress(progress);

  const names = Object.keys(cmd.env);
  const envBefore = names.length ? await budget.call((a) => a.readEnv({ ...app, names })) : {};
  progress.phase = 'redeploying';
  showProgress(progress);
  if (names.length) await budget.call((a) => a.applyEnv({ ...app, changes: cmd.env }));
  /** The variables go back to what the running commit was deployed with whenever the new one does not stay. */
  const restoreEnv = () =>
    names.length ? budget.quietly((a) => a.applyEnv({ ...app, changes: envBefore })) : Promise.resolve();

  let first;
  try {
    first = await runAttempt(run, 'deploy', commit, { envChanges: cmd.env, envBefore });
  } catch (err) {
    await restoreEnv();
    throw err;
  }
  progress.phase = 'done';
  showProgress(progress);
  if (first.state === 'OK') return { status: 'succeeded', commit, deploymentId: first.deploymentId };
  const good =
    first.state === 'FAIL' && cmd.autoRollback ? await local.lastGoodCommit({ ...app, except: commit }) : null;
  await restoreEnv();
  if (first.state === 'CANCELLED') return { status: 'cancelled', commit, deploymentId: first.deploymentId };
  if (!good) return { status: 'failed', commit, deploymentId: first.deploymentId };

  progress.rollbackCommit = good;
  progress.phase = 'rolling_back';
  showProgress(progress);
  const rollback = await runAttempt(run, 'rollback', good, { rollbackOf: run.keyOf('deploy') });
  progress.phase = 'done';
  showProgress(progress);
  return {
    status: 'rolled_back',
    commit,
    deploymentId: first.deploymentId,
    rollback: { commit: good, deploymentId: rollback.deploymentId, state: rollback.state },
  };
}
