import { ApplicationFailure } from '@temporalio/common';

/** What the API answers when a request waits on a workflow that failed with one of these. */
export type FailureStatus = 402 | 403 | 404 | 409 | 422 | 502 | 504;

interface FailureSpec {
  status: FailureStatus;
  /** Whether Temporal may try the activity again. */
  retryable: boolean;
}

/**
 * Every failure type Capstan raises, in one list: activities and workflows
 * throw them, retry policies skip the non-retryable ones, the API maps each
 * status. A plain `Error` subclass thrown by an activity is named by its class.
 */
export const failureTypes = {
  ValidationError: { status: 422, retryable: false },
  NotFound: { status: 404, retryable: false },
  Forbidden: { status: 403, retryable: false },
  Conflict: { status: 409, retryable: false },
  ConstraintViolation: { status: 409, retryable: false },
  PaymentRequired: { status: 402, retryable: false },
  /** A per-account cap (webhooks, inboxes, pending invitations) is reached. */
  LimitExceeded: { status: 409, retryable: false },
  DeadlineExceeded: { status: 504, retryable: false },
  /** The receiver answered 410: the subscription is disabled. */
  WebhookGone: { status: 502, retryable: false },
  /** The webhook's host resolved to an address webhooks may not reach. */
  UnsafeTarget: { status: 422, retryable: false },
  WebhookAttemptFailed: { status: 502, retryable: true },
  CleverUnauthorized: { status: 502, retryable: false },
  CleverRequestRefused: { status: 502, retryable: false },
  /** 429, 5xx or no answer from Clever Cloud (thrown as the client's error class). */
  CleverApiError: { status: 502, retryable: true },
  /** A redeploy call was sent and its deployment is not listed yet. */
  DeploymentNotVisibleYet: { status: 502, retryable: true },
  HeartbeatFailed: { status: 502, retryable: true },
  /** A deploy that ended FAIL, rolled back or timed out: its dead letter's type. */
  DeployFailed: { status: 502, retryable: false },
  /** A circuit breaker is open: the call was not sent; it is retried when the breaker lets a trial through. */
  DependencyUnavailable: { status: 502, retryable: true },
  /** The licensing server answered 401: it does not know this key, and asking again will not change that. */
  LicenceRejected: { status: 502, retryable: false },
  /** The front-end sources do not compile: building them again fails the same way. */
  AssetBuildFailed: { status: 422, retryable: false },
  /** The mail relay refused the message for good (SMTP 5xx: no such mailbox, relaying denied). */
  MailRefused: { status: 502, retryable: false },
  /** An upstream answer larger than Capstan reads: asking again gets the same answer, so it is final. */
  UpstreamAnswerTooLarge: { status: 502, retryable: false },
} as const satisfies Record<string, FailureSpec>;

export type FailureType = keyof typeof failureTypes;

/** The types every retry policy gives up on at once. */
export const nonRetryableTypes: FailureType[] = (Object.keys(failureTypes) as FailureType[]).filter(
  (t) => !failureTypes[t].retryable,
);

export function isFailureType(type: string | undefined | null): type is FailureType {
  return type != null && Object.hasOwn(failureTypes, type);
}

/** A failure of a known type; retryability comes from the list, never from the call site. */
export function failure(
  type: FailureType,
  message: string,
  options: { details?: unknown[]; nextRetryDelay?: number; cause?: Error } = {},
): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: !failureTypes[type].retryable, ...options });
}
