import { z } from 'zod';
import { actor, isStorableInstant, storableInstantMessage } from './common.ts';
import { lazySchema } from './lazy.ts';

/** Who wrote in: at least one of these finds or creates the contact. */
export const contactKey = lazySchema('messages.contactKey', () =>
  z
    .object({
      identifier: z.string().trim().min(1).max(255).optional(),
      email: z.string().trim().toLowerCase().email().max(320).optional(),
      phone_number: z
        .string()
        .trim()
        .regex(/^\+?[0-9 ()-]{5,32}$/, 'must be a phone number')
        .optional(),
      name: z.string().trim().max(255).optional(),
    })
    .refine((c) => c.identifier || c.email || c.phone_number, {
      message: 'needs an identifier, email or phone_number',
    }),
);

export const ingestMessageInput = lazySchema('messages.ingestMessageInput', () =>
  z.object({
    accountId: z.number().int().positive(),
    inboxId: z.number().int().positive(),
    contact: contactKey,
    content: z.string().min(1).max(150_000),
    sourceId: z.string().min(1).max(255).optional(),
    /**
     * The conversation it joins, when the caller names one (Chatwoot's message create, by its URL); it must be
     * the contact's, in this inbox. Without it, the inbox's rules pick one (activities/messages.ts).
     */
    conversationDisplayId: z.number().int().positive().optional(),
    /** The token's owner that posted it. */
    actor,
  }),
);

export type IngestMessageInput = z.infer<typeof ingestMessageInput>;

export interface IngestedMessage {
  message: { id: number; seq: number; content: string; sourceId: string | null; createdAt: string };
  conversation: { id: number; displayId: number; created: boolean };
  contact: { id: number; created: boolean };
  /** False when this source_id had already been stored. */
  created: boolean;
}

export const changeStatusInput = lazySchema('messages.changeStatusInput', () =>
  z.object({
    accountId: z.number().int().positive(),
    displayId: z.number().int().positive(),
    status: z.enum(['open', 'resolved', 'pending', 'snoozed']),
    /** Only with `snoozed`: the time a durable timer reopens it. Without it, the next incoming message does. */
    snoozedUntil: z.iso.datetime({ offset: true }).refine(isStorableInstant, storableInstantMessage).optional(),
    actor,
  }),
);
export type ChangeStatusInput = z.infer<typeof changeStatusInput>;

export interface StatusChange {
  conversationId: number;
  displayId: number;
  previousStatus: string;
  status: string;
  changed: boolean;
  /** Set when the conversation is snoozed until a time: the wake-up to arm. Absent in runs before snoozes. */
  snoozedUntil?: string | null;
}

const messageRef = () => ({
  accountId: z.number().int().positive(),
  displayId: z.number().int().positive().max(2_147_483_647),
  messageId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/**
 * Chatwoot's message update: an API-channel inbox's own system reports a message's delivery status. A `read`
 * message does not go back to `delivered`; `externalError` is kept only with `failed`.
 */
export const updateMessageInput = lazySchema('messages.updateMessageInput', () =>
  z.object({
    ...messageRef(),
    status: z.enum(['sent', 'delivered', 'read', 'failed']),
    externalError: z.string().max(2048).optional(),
    actor,
  }),
);
export type UpdateMessageInput = z.infer<typeof updateMessageInput>;

/** Chatwoot's message delete: the row stays, its content says it was deleted, `content_attributes.deleted`. */
export const deleteMessageInput = lazySchema('messages.deleteMessageInput', () => z.object({ ...messageRef(), actor }));
export type DeleteMessageInput = z.infer<typeof deleteMessageInput>;

export interface MessageEdited {
  messageId: number;
  displayId: number;
  /** False when the message already was so (or the transition is one Chatwoot ignores). */
  changed: boolean;
  status: string;
  deleted: boolean;
}
