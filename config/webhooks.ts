import type { Env } from './env.ts';

/** How deliveries retry: a Temporal retry policy built from these, with ±20 % jitter per attempt. */
export interface DeliveryPolicy {
  attemptTimeoutMs: number;
  initialIntervalMs: number;
  maxIntervalMs: number;
  deadlineMs: number;
}

export interface WebhookSettings {
  policy: DeliveryPolicy;
  /** ipaddr.js range names a webhook may resolve to; public unicast is always allowed. */
  allowedRanges: string[];
}

export function webhookSettings(env: Env): WebhookSettings {
  return {
    policy: {
      attemptTimeoutMs: env.WEBHOOK_ATTEMPT_TIMEOUT_MS,
      initialIntervalMs: env.WEBHOOK_RETRY_INITIAL_MS,
      maxIntervalMs: env.WEBHOOK_RETRY_MAX_INTERVAL_MS,
      deadlineMs: env.WEBHOOK_RETRY_DEADLINE_MS,
    },
    allowedRanges: env.WEBHOOK_ALLOWED_RANGES ?? [],
  };
}

/** Chatwoot's account webhook events that Capstan emits. */
export const webhookEvents = [
  'conversation_created',
  'conversation_status_changed',
  'conversation_updated',
  /** Chatwoot dispatches these two internally only; Capstan lets a webhook subscribe to them. */
  'conversation_opened',
  'conversation_resolved',
  'message_created',
  /** A message's status reported by the API channel, or the message deleted (Chatwoot's `message_updated`). */
  'message_updated',
  'contact_created',
  'contact_updated',
] as const;
export type WebhookEvent = (typeof webhookEvents)[number];
