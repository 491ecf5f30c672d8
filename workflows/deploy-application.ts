import { RetryState } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, condition, proxyActivities, setHandler, TimeoutFailure, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { searchAttributes } from '../config/search-attributes.ts';
import type { DeployActivities } from '../activities/deploys.ts';
import { activityPresets, cleverCall } from '../config/catalogue.ts';
import { cancelSignal, deployInput, progressQuery, type DeployInput, type DeployOutcome, type DeployProgress } from './deploy.types.ts';
import { parseInput } from './validation.ts';

const local = proxyActivities<DeployActivities>(activityPresets.databaseWrite);
/** Clever Cloud calls made after the deadline (cancel, restore) get this long of their own. */
const AFTER_DEADLINE_MS = 60_000;
/** Below this much time left, no new call is started. */
const MIN_CALL_MS = 200;
const TERMINAL = new Set(['OK', 'FAIL', 'CANCELLED']);

/** Thrown where no Clever Cloud call may start any more; an ApplicationFailure, so it fails the run, not the task. */
const deadlineReached = () => ApplicationFailure.create({ type: 'DeadlineExceeded', message: 'the deploy reached its deadline', nonRetryable: true });

/**
 * Redeploys one commit and follows it to OK / FAIL / CANCELLED under an overall
 * deadline; on FAIL, restores the environment it changed and rolls back to the
 * last commit that reached OK. Following is a loop of durable timers and
 * one-shot polls: every observed state is in the history, `progress` answers
 * between polls, and `cancel` or the deadline cut the wait at once. Each
 * Clever Cloud call may retry (429/5xx) only within the time left, so the
 * deploy ends by its deadline however the API behaves. One run per app.
 */
export async function deployApplication(input: DeployInput): Promise<DeployOutcome> {
  const cmd = parseInput(deployInput, input);
  const { workflowId, typedSearchAttributes } = workflowInfo();
  // Tagged here too, so a run started by hand (Web UI, `temporal workflow start`) is found like the others.
  if (typedSearchAttributes.get(searchAttributes.appId) !== cmd.appId) {
    upsertSearchAttributes([{ key: searchAttributes.kind, value: 'deploy' }, { key: searchAttributes.appId, value: cmd.appId }]);
  }
  const startedAt = Date.now();
  const deadline = startedAt + cmd.deadlineMs;
  let cancelRequested = false;
  const progress: DeployProgress = { phase: 'reading', commit: cmd.commit ?? null, deploymentId: null, state: null, startedAt, elapsedMs: 0, timeLeftMs: cmd.deadlineMs, rollbackCommit: null };
  setHandler(progressQuery, () => ({ ...progress, elapsedMs: Date.now() - startedAt, timeLeftMs: Math.max(0, deadline - Date.now()) }));
  setHandler(cancelSignal, () => void (cancelRequested = true));

  /**
   * A Clever Cloud call whose retries stop at the deadline. The server ends an
   * activity early when its next backoff would pass the schedule-to-close; while
   * time is left, the call starts over with a fresh budget.
   */
  async function remote<T>(run: (activities: DeployActivities) => Promise<T>): Promise<T> {
    for (;;) {
      const left = deadline - Date.now();
      if (left < MIN_CALL_MS) throw deadlineReached();
      try {
        return await run(proxyActivities<DeployActivities>({ ...cleverCall, scheduleToCloseTimeout: left }));
      } catch (err) {
        if (!outOfTime(err)) throw err;
      }
    }
  }
  const afterDeadline = proxyActivities<DeployActivities>({ ...cleverCall, scheduleToCloseTimeout: AFTER_DEADLINE_MS });
  const app = { ownerId: cmd.ownerId, appId: cmd.appId };
  const keyOf = (kind: string) => `${workflowId}:${startedAt}:${kind}`;

  async function follow(attemptKey: string, deploymentId: string): Promise<string> {
    for (;;) {
      const { state } = await remote((a) => a.pollDeployment({ attemptKey, ...app, deploymentId }));
      progress.state = state;
      if (TERMINAL.has(state)) return state;
      await condition(() => cancelRequested, Math.max(1, Math.min(cmd.pollIntervalMs, deadline - Date.now())));
      if (cancelRequested) return 'CANCEL_REQUESTED';
    }
  }

  /** One attempt, started at most once and followed to its end; deadline and cancel handled here. */
  async function attempt(kind: 'deploy' | 'rollback', commit: string, extra: { envChanges?: Record<string, string | null>; envBefore?: Record<string, string | null>; rollbackOf?: string }) {
    const attemptKey = keyOf(kind);
    let deploymentId: string | null = null;
    try {
      const started = await remote((a) => a.startRedeploy({ attemptKey, workflowId, ...app, commit, requestedBy: cmd.requestedBy, ...extra }));
      deploymentId = started.deploymentId;
      progress.deploymentId = deploymentId;
      progress.phase = kind === 'deploy' ? 'following' : 'rolling_back';
      let state = await follow(attemptKey, deploymentId);
      if (state === 'CANCEL_REQUESTED') {
        progress.phase = 'cancelling';
        await cancelQuietly(deploymentId);
        state = 'CANCELLED';
      }
      await local.finishAttempt({ attemptKey, outcome: state as 'OK' | 'FAIL' | 'CANCELLED' });
      return { state, deploymentId };
    } catch (err) {
      const reached = (err instanceof ApplicationFailure && err.type === 'DeadlineExceeded') || outOfTime(err);
      if (!reached) throw err;
      progress.phase = 'cancelling';
      if (deploymentId) await cancelQuietly(deploymentId);
      await local.finishAttempt({ attemptKey, outcome: 'TIMED_OUT' });
      throw ApplicationFailure.create({
        type: 'DeadlineExceeded',
        message: `The ${kind} of ${commit} did not finish within ${cmd.deadlineMs} ms${deploymentId ? `; deployment ${deploymentId} was cancelled` : ''}.`,
        nonRetryable: true,
      });
    }
  }

  /** A cancel Clever Cloud refuses (the deployment just ended) must not leave the attempt unrecorded. */
  async function cancelQuietly(deploymentId: string): Promise<void> {
    try {
      await afterDeadline.cancelDeployment({ ...app, deploymentId });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
    }
  }

  const commit = cmd.commit ?? (await remote((a) => a.readApplication(app))).commitId;
  if (!commit) throw ApplicationFailure.create({ type: 'ValidationError', message: `Application ${cmd.appId} has no current commit; name one.`, nonRetryable: true });
  progress.commit = commit;

  const names = Object.keys(cmd.env);
  const envBefore = names.length ? await remote((a) => a.readEnv({ ...app, names })) : {};
  progress.phase = 'redeploying';
  if (names.length) await remote((a) => a.applyEnv({ ...app, changes: cmd.env }));
  /** The variables go back to what the running commit was deployed with whenever the new one does not stay. */
  async function restoreEnv(): Promise<void> {
    if (!names.length) return;
    try {
      await afterDeadline.applyEnv({ ...app, changes: envBefore });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
    }
  }

  let first;
  try {
    first = await attempt('deploy', commit, { envChanges: cmd.env, envBefore });
  } catch (err) {
    await restoreEnv();
    throw err;
  }
  progress.phase = 'done';
  if (first.state === 'OK') return { status: 'succeeded', commit, deploymentId: first.deploymentId };
  const good = first.state === 'FAIL' && cmd.autoRollback ? await local.lastGoodCommit({ ...app, except: commit }) : null;
  await restoreEnv();
  if (first.state === 'CANCELLED') return { status: 'cancelled', commit, deploymentId: first.deploymentId };
  if (!good) return { status: 'failed', commit, deploymentId: first.deploymentId };

  progress.rollbackCommit = good;
  progress.phase = 'rolling_back';
  const rollback = await attempt('rollback', good, { rollbackOf: keyOf('deploy') });
  progress.phase = 'done';
  return { status: 'rolled_back', commit, deploymentId: first.deploymentId, rollback: { commit: good, deploymentId: rollback.deploymentId, state: rollback.state } };
}

function outOfTime(err: unknown): boolean {
  return err instanceof ActivityFailure && (err.cause instanceof TimeoutFailure || err.retryState === RetryState.TIMEOUT);
}
