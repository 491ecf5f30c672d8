/**
 * The one place that names every task queue, workflow and the retry and timeout
 * presets they use. Workflows import from here, so it must stay free of Node I/O.
 */
import type { ActivityOptions, RetryPolicy } from '@temporalio/common';

export const taskQueues = {
  core: 'capstan-core',
  deploy: 'capstan-deploy',
  assets: 'capstan-assets',
} as const;

export type TaskQueue = (typeof taskQueues)[keyof typeof taskQueues];

/** Retry policies; error type names listed here are never retried. */
export const retryPolicies = {
  /** Short database work: transient errors (connection loss, serialization) retry fast. */
  database: {
    initialInterval: '200 ms',
    backoffCoefficient: 2,
    maximumInterval: '10 s',
    maximumAttempts: 20,
    nonRetryableErrorTypes: ['ValidationError', 'ConflictError'],
  },
} as const satisfies Record<string, RetryPolicy>;

/** Activity option presets, by the kind of work the activity does. */
export const activityPresets = {
  /** One short transaction. A killed worker is noticed after startToCloseTimeout. */
  databaseWrite: {
    startToCloseTimeout: '10 s',
    scheduleToCloseTimeout: '5 min',
    retry: retryPolicies.database,
  },
} as const satisfies Record<string, ActivityOptions>;

/** Licence heartbeats: transient failures retry with backoff inside one heartbeat, for at most two minutes. */
export const licenceHeartbeatCall = {
  startToCloseTimeout: '15 s',
  scheduleToCloseTimeout: '2 min',
  retry: { initialInterval: '1 s', backoffCoefficient: 2, maximumInterval: '20 s', nonRetryableErrorTypes: ['NotFound'] },
} as const satisfies ActivityOptions;

/** Workflow type → queue and id scheme, so the API, CLI and tests agree. */
export const workflowCatalogue = {
  provisionAccount: {
    taskQueue: taskQueues.core,
    idPrefix: 'account',
    executionTimeout: '10 min',
  },
  /** One deploy per application at a time: the id is the application. */
  deployApplication: {
    taskQueue: taskQueues.deploy,
    workflowId: (ownerId: string, appId: string) => `deploy:${ownerId}/${appId}`,
  },
} as const;

/** Calls to Clever Cloud: 429 and 5xx retry with backoff; other 4xx are final (non-retryable failures). */
export const cleverCall = {
  startToCloseTimeout: '10 s',
  // No attempt cap: each call's schedule-to-close is the deploy's time left, which bounds it instead.
  retry: { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '10 s' },
} as const satisfies ActivityOptions;
