import { z } from 'zod';
import { actor } from './common.ts';
import { webhookEvents, type DeliveryPolicy } from '../config/webhooks.ts';
import { lazySchema } from './lazy.ts';

export const createWebhookInput = lazySchema('webhooks.createWebhookInput', () =>
  z.object({
    accountId: z.number().int().positive(),
    url: z.string().url().max(2048),
    name: z.string().trim().max(255).optional(),
    subscriptions: z.array(z.enum(webhookEvents)).min(1),
    actor,
  }),
);
export const updateWebhookInput = lazySchema('webhooks.updateWebhookInput', () =>
  z.object({
    accountId: z.number().int().positive(),
    webhookId: z.number().int().positive(),
    url: z.string().url().max(2048).optional(),
    name: z.string().trim().max(255).optional(),
    subscriptions: z.array(z.enum(webhookEvents)).min(1).optional(),
    enabled: z.boolean().optional(),
    actor,
  }),
);
export const deleteWebhookInput = lazySchema('webhooks.deleteWebhookInput', () =>
  z.object({
    accountId: z.number().int().positive(),
    webhookId: z.number().int().positive(),
    actor,
  }),
);

export type CreateWebhookInput = z.infer<typeof createWebhookInput>;
export type UpdateWebhookInput = z.infer<typeof updateWebhookInput>;
export type DeleteWebhookInput = z.infer<typeof deleteWebhookInput>;

/** A subscription as workflows see it: never with its secret, which stays in PostgreSQL. */
export interface WebhookRecord {
  id: number;
  accountId: number;
  url: string;
  name: string | null;
  subscriptions: string[];
  status: 'enabled' | 'disabled';
}

const ms = lazySchema('webhooks.ms', () => z.number().int().positive());
export const deliveryInput = lazySchema('webhooks.deliveryInput', () =>
  z.object({
    deliveryId: z.string().min(1).max(64),
    /** For search only: the account whose event this is. */
    accountId: z.number().int().positive().optional(),
    policy: z.object({
      attemptTimeoutMs: ms,
      initialIntervalMs: ms,
      maxIntervalMs: ms,
      deadlineMs: ms,
    }) satisfies z.ZodType<DeliveryPolicy>,
  }),
);
export type DeliveryInput = z.infer<typeof deliveryInput>;

export type DeliveryOutcome = { status: 'delivered' | 'skipped' | 'dead'; attempts: number; error?: string };

/** What a transaction left in the outbox for its workflow to deliver. */
export interface Outbox {
  deliveries: string[];
  policy: DeliveryPolicy;
}
