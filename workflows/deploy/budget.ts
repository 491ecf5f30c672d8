import { RetryState } from '@temporalio/common';
import { ActivityFailure, proxyActivities, TimeoutFailure } from '@temporalio/workflow';
import { activityOptions } from '../../config/catalogue.ts';
import { failure } from '../../config/failures.ts';
import type { DeployActivities } from '../../contracts/activities.ts';

/** Clever Cloud calls made after the deadline (cancel, restore) get this long of their own. */
const AFTER_DEADLINE_MS = 60_000;
/** Below this much time left, no new call is started. */
const MIN_CALL_MS = 200;

/** Where no Clever Cloud call may start any more; an ApplicationFailure, so it fails the run, not the task. */
export const deadlineReached = (message = 'the deploy reached its deadline') => failure('DeadlineExceeded', message);

export function outOfTime(err: unknown): boolean {
  return (
    err instanceof ActivityFailure && (err.cause instanceof TimeoutFailure || err.retryState === RetryState.TIMEOUT)
  );
}

export function isDeadline(err: unknown): boolean {
  return outOfTime(err) || (err instanceof Error && 'type' in err && err.type === 'DeadlineExceeded');
}

/**
 * Clever Cloud calls under the deploy's deadline. The server ends an activity
 * early when its next backoff would pass the schedule-to-close; while time is
 * left, the call starts over with a fresh budget.
 */
export class DeadlineBudget {
  /** For cleanup after the deadline: cancel a deployment, restore the environment. */
  readonly afterDeadline = proxyActivities<DeployActivities>(activityOptions.cleverCall(AFTER_DEADLINE_MS));

  constructor(readonly deadline: number) {}

  timeLeft(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  async call<T>(run: (activities: DeployActivities) => Promise<T>): Promise<T> {
    for (;;) {
      const left = this.deadline - Date.now();
      if (left < MIN_CALL_MS) throw deadlineReached();
      try {
        return await run(proxyActivities<DeployActivities>(activityOptions.cleverCall(left)));
      } catch (err) {
        if (!outOfTime(err)) throw err;
      }
    }
  }

  /** A cleanup call Clever Cloud refuses (the deployment just ended) must not stop the rest. */
  async quietly(run: (activities: DeployActivities) => Promise<void>): Promise<void> {
    try {
      await run(this.afterDeadline);
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
    }
  }
}
