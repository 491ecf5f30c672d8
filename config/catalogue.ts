/**
 * Task queues and every kind of activity's timeouts and retry policy, in one
 * place. The workflow catalogue (contracts/workflows.ts) names the workflow
 * types. Workflows import this file, so it stays free of Node I/O.
 */
import type { ActivityOptions, RetryPolicy } from '@temporalio/common';
import { nonRetryableTypes } from './failures.ts';
import type { DeliveryPolicy } from './webhooks.ts';

export const taskQueues = {
  core: 'capstan-core',
  deploy: 'capstan-deploy',
  assets: 'capstan-assets',
} as const;

export type TaskQueue = (typeof taskQueues)[keyof typeof taskQueues];

/** Every policy gives up at once on the failure types the vocabulary marks non-retryable. */
const retry = (policy: Omit<RetryPolicy, 'nonRetryableErrorTypes'>): RetryPolicy => ({
  ...policy,
  nonRetryableErrorTypes: nonRetryableTypes,
});

export const activityOptions = {
  /**
   * One short transaction, run by workflows as a local activity: inside the workflow task, no
   * activity task round trip, its result recorded in history as a marker. Transient errors
   * (connection loss, serialization) retry fast; a killed worker's task times out and another
   * worker runs it again, which the write's idempotency key makes harmless.
   */
  databaseWrite: {
    startToCloseTimeout: '10 s',
    scheduleToCloseTimeout: '5 min',
    retry: retry({ initialInterval: '200 ms', backoffCoefficient: 2, maximumInterval: '10 s', maximumAttempts: 20 }),
  },
  /** A check that reads one row: a local activity, no task round trip; a lost connection retries. */
  localCheck: {
    startToCloseTimeout: '5 s',
    scheduleToCloseTimeout: '1 min',
    retry: retry({ initialInterval: '200 ms', backoffCoefficient: 2, maximumInterval: '5 s' }),
  },
  /** A licence heartbeat: transient failures retry with backoff inside one heartbeat, for at most two minutes. */
  licenceHeartbeat: {
    startToCloseTimeout: '15 s',
    scheduleToCloseTimeout: '2 min',
    retry: retry({ initialInterval: '1 s', backoffCoefficient: 2, maximumInterval: '20 s' }),
  },
  /** An operator's "heartbeat now" shows the first attempt's outcome instead of retrying for minutes. */
  licenceHeartbeatOnce: {
    startToCloseTimeout: '15 s',
    scheduleToCloseTimeout: '30 s',
    retry: retry({ maximumAttempts: 1 }),
  },
  /**
   * A Clever Cloud call: 429 and 5xx retry with backoff; other 4xx are final. No
   * attempt cap: the deploy gives each call its time left as schedule-to-close.
   */
  cleverCall: (scheduleToCloseMs: number): ActivityOptions => ({
    startToCloseTimeout: '10 s',
    scheduleToCloseTimeout: scheduleToCloseMs,
    retry: retry({ initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '10 s' }),
  }),
  /** Recording a dead letter as a run fails: retried long, since the run's failure waits on it. */
  deadLetterRecord: {
    startToCloseTimeout: '10 s',
    scheduleToCloseTimeout: '10 min',
    retry: retry({ initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '30 s' }),
  },
  /**
   * Handing one message to the SMTP relay: a relay that is down or refuses for now (4xx) is retried with
   * backoff for as long as the mail workflow lives; a permanent refusal (5xx) is final.
   */
  mailSend: {
    startToCloseTimeout: '30 s',
    retry: retry({ initialInterval: '1 s', backoffCoefficient: 2, maximumInterval: '5 min' }),
  },
  /** A Temporal schedule operation (pause, trigger…) from an activity: the frontend answers in ms. */
  scheduleOperation: {
    startToCloseTimeout: '10 s',
    scheduleToCloseTimeout: '1 min',
    retry: retry({ initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '5 s' }),
  },
  /** One webhook delivery attempt; the activity adds jitter through nextRetryDelay, the deadline ends it. */
  webhookAttempt: (policy: DeliveryPolicy): ActivityOptions => ({
    startToCloseTimeout: policy.attemptTimeoutMs + 5_000,
    scheduleToCloseTimeout: policy.deadlineMs,
    retry: retry({
      initialInterval: policy.initialIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: policy.maxIntervalMs,
    }),
  }),
  /**
   * One phase of an asset build or collection (hash, bundle, compress, upload a batch, delete a batch): it
   * heartbeats, so a killed worker is noticed after 15 s and the phase runs again on another, reusing what is staged.
   */
  assetPhase: {
    startToCloseTimeout: '10 min',
    heartbeatTimeout: '15 s',
    retry: retry({ initialInterval: '1 s', backoffCoefficient: 2, maximumInterval: '30 s', maximumAttempts: 20 }),
  },
} as const satisfies Record<string, ActivityOptions | ((...args: never[]) => ActivityOptions)>;

/**
 * A circuit breaker's thresholds (activities/breaker.ts). It opens after
 * `failureThreshold` dependency failures inside the last `windowMs`, refuses
 * every call for `openMs`, then lets exactly one trial call through; the
 * trial's lease outlives one call's timeout, so a trial whose worker died is
 * given to another caller after `trialLeaseMs`.
 */
export interface BreakerPolicy {
  failureThreshold: number;
  windowMs: number;
  openMs: number;
  trialLeaseMs: number;
}

export const breakerPolicies = {
  /** Calls time out after 8 s (config/clever.ts); opossum's 30 s reset, over a wider window since deploys call rarely. */
  cleverCloud: { failureThreshold: 5, windowMs: 30_000, openMs: 30_000, trialLeaseMs: 15_000 },
  /** One heartbeat an hour: a few failed attempts already say the server is down. */
  licensing: { failureThreshold: 3, windowMs: 120_000, openMs: 60_000, trialLeaseMs: 20_000 },
  /** Per receiving host; an attempt times out after 10 s by default. */
  webhook: { failureThreshold: 5, windowMs: 60_000, openMs: 60_000, trialLeaseMs: 30_000 },
} as const satisfies Record<string, BreakerPolicy>;
