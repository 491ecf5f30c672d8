import { ActivityFailure, ApplicationFailure, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import type { DeliveryInput, DeliveryOutcome } from '../contracts/webhooks.ts';
import { workflows } from '../contracts/workflows.ts';
import { parseInput } from './validation.ts';

const { markDeliveryDead } = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);

/**
 * Delivers one event to one webhook. Each attempt is an activity; Temporal's
 * retry policy spaces them (the activity adds jitter) until the deadline, and
 * the delivery id stays the same on every attempt. When retries run out, or the
 * receiver answers 410, the delivery is marked dead with everything to retry it.
 */
export async function deliverWebhook(input: DeliveryInput): Promise<DeliveryOutcome> {
  const { deliveryId, policy } = parseInput(workflows.deliverWebhook.input, input);
  const { sendWebhook } = proxyActivities<CoreActivities>(activityOptions.webhookAttempt(policy));
  try {
    return await sendWebhook(deliveryId);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const cause = err.cause instanceof ApplicationFailure ? err.cause.message : (err.cause?.message ?? err.message);
    return markDeliveryDead({ deliveryId, reason: cause });
  }
}
