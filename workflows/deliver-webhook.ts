import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { activityPresets } from '../config/catalogue.ts';
import type { DeliveryInput, DeliveryOutcome } from './webhooks.types.ts';

const { markDeliveryDead } = proxyActivities<Activities>(activityPresets.databaseWrite);

/**
 * Delivers one event to one webhook. Each attempt is an activity; Temporal's
 * retry policy spaces them (the activity adds jitter) until the deadline, and
 * the delivery id stays the same on every attempt. When retries run out, or the
 * receiver answers 410, the delivery is marked dead with everything to retry it.
 */
export async function deliverWebhook({ deliveryId, policy }: DeliveryInput): Promise<DeliveryOutcome> {
  const { sendWebhook } = proxyActivities<Activities>({
    startToCloseTimeout: policy.attemptTimeoutMs + 5_000,
    scheduleToCloseTimeout: policy.deadlineMs,
    retry: {
      initialInterval: policy.initialIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: policy.maxIntervalMs,
      nonRetryableErrorTypes: ['WebhookGone', 'UnsafeTarget', 'NotFound'],
    },
  });
  try {
    return await sendWebhook(deliveryId);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const cause = err.cause instanceof ApplicationFailure ? err.cause.message : (err.cause?.message ?? err.message);
    return markDeliveryDead({ deliveryId, reason: cause });
  }
}
