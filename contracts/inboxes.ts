import { z } from 'zod';
import { actor } from './common.ts';
import { lazySchema } from './lazy.ts';

export const createInboxInput = lazySchema('inboxes.createInboxInput', () =>
  z.object({
    accountId: z.number().int().positive(),
    name: z.string().trim().min(1).max(255),
    webhookUrl: z.string().url().max(2048).optional(),
    /** Chatwoot's: every incoming message of a contact joins its latest conversation, even a resolved one. */
    lockToSingleConversation: z.boolean().optional(),
    actor,
  }),
);
export type CreateInboxInput = z.infer<typeof createInboxInput>;

export interface InboxRecord {
  id: number;
  accountId: number;
  name: string;
  channelType: string;
  webhookUrl: string | null;
  lockToSingleConversation: boolean;
}

/** Chatwoot's inbox update: what the create takes; `webhookUrl: null` removes the callback. */
export const updateInboxInput = lazySchema('inboxes.updateInboxInput', () =>
  z.object({
    accountId: z.number().int().positive(),
    inboxId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    name: createInboxInput.shape.name.optional(),
    webhookUrl: z.string().url().max(2048).nullable().optional(),
    lockToSingleConversation: z.boolean().optional(),
    actor,
  }),
);
export type UpdateInboxInput = z.infer<typeof updateInboxInput>;
