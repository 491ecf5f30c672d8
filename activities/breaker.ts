import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { breakerPolicyOf, type BreakerSettings } from '../config/breakers.ts';
import { failure } from '../config/failures.ts';
import type { Logger } from '../config/logger.ts';
import { admitCall, recordFailure, recordTrialSuccess } from '../db/breakers.ts';
import type { Sql } from '../db/pool.ts';

/**
 * Says whether an outcome is the dependency failing (5xx, 429, timeout, no
 * connection): the reason, or undefined. A 4xx is the dependency answering
 * (it refused *us*), so it never counts, and it closes a half-open breaker.
 */
export interface Judge<T> {
  error(err: unknown): string | undefined;
  result?(value: T): string | undefined;
}

/** A call the breaker let through; its outcome is reported back to the breaker. */
export interface AdmittedCall {
  run<T>(call: () => Promise<T>, judge: Judge<NoInfer<T>>): Promise<T>;
}

export interface Breakers {
  /** Refuses at once (retryable `DependencyUnavailable`, next retry when a trial may go) while the breaker is open. */
  admit(name: string): Promise<AdmittedCall>;
  /** `admit`, then run: for calls with nothing to do between the two. */
  run<T>(name: string, call: () => Promise<T>, judge: Judge<NoInfer<T>>): Promise<T>;
}

/** Refused calls come back no sooner than this, spread by up to a tenth, so many waiting activities do not retry at one instant. */
const MIN_RETRY_MS = 200;
/** While another caller's trial is under way, look again this often: a trial usually ends well before its lease. */
const HALF_OPEN_RECHECK_MS = 1_000;

/**
 * Circuit breakers kept in PostgreSQL (db/breakers.ts), so every worker sees
 * one breaker per dependency. Used by the Clever Cloud, licensing and webhook
 * activities.
 */
export function createBreakers({
  sql,
  logger,
  settings,
}: {
  sql: Sql;
  logger: Logger;
  settings: BreakerSettings;
}): Breakers {
  const passThrough: AdmittedCall = { run: (call) => call() };

  async function admit(name: string): Promise<AdmittedCall> {
    if (!settings.enabled) return passThrough;
    const policy = breakerPolicyOf(name, settings);
    const holder = randomUUID();
    const admission = await admitCall(sql, name, holder, policy);
    if (!admission.admitted) {
      const state = admission.state === 'open' ? 'open' : 'half-open, its one trial call under way';
      throw failure('DependencyUnavailable', `${name} is unavailable: its circuit breaker is ${state}; not called`, {
        nextRetryDelay: retryDelay(
          admission.state === 'open' ? admission.retryInMs : Math.min(admission.retryInMs, HALF_OPEN_RECHECK_MS),
        ),
      });
    }
    if (admission.trial) logger.info({ breaker: name }, 'breaker half-open: sending the one trial call');

    const settle = async (reason: string | undefined) => {
      try {
        if (reason) {
          const after = await recordFailure(sql, name, holder, reason, policy);
          if (after.opened)
            logger.warn({ breaker: name, reason, openMs: policy.openMs, trial: admission.trial }, 'breaker opened');
        } else if (admission.trial && (await recordTrialSuccess(sql, name, holder))) {
          logger.info({ breaker: name }, 'breaker closed: the trial call succeeded');
        }
      } catch (err) {
        // The call's own outcome matters more than its bookkeeping; an unexpired lease expires by itself.
        logger.error({ breaker: name, err }, 'breaker outcome not recorded');
      }
    };

    return {
      async run(call, judge) {
        let value;
        try {
          value = await call();
        } catch (err) {
          await settle(judge.error(err));
          throw err;
        }
        await settle(judge.result?.(value));
        return value;
      },
    };
  }

  return { admit, run: async (name, call, judge) => (await admit(name)).run(call, judge) };
}

/**
 * Until the breaker lets a call through, but within what is left of the
 * activity's schedule-to-close: a retry past it would end the activity
 * instead of retrying it.
 */
function retryDelay(waitMs: number): number {
  const spread = Math.max(MIN_RETRY_MS, waitMs) * (1 + Math.random() / 10);
  let left = Infinity;
  try {
    const { scheduledTimestampMs, scheduleToCloseTimeoutMs } = Context.current().info;
    if (scheduleToCloseTimeoutMs > 0) left = scheduledTimestampMs + scheduleToCloseTimeoutMs - Date.now() - 500;
  } catch {
    // Not inside an activity (a test calling it directly): nothing to stay within.
  }
  return Math.round(Math.max(MIN_RETRY_MS, Math.min(spread, left)));
}
