/** The conversation lifecycle: assignment, snooze wake-ups, labels (docs/conversation-lifecycle.md). */
import { z } from 'zod';
import { actor, isStorableInstant, storableInstantMessage } from './common.ts';
import { attributes } from './contacts.ts';
import { lazySchema } from './lazy.ts';

const id = lazySchema('conversations.id', () => z.number().int().positive().max(Number.MAX_SAFE_INTEGER));
const displayId = lazySchema('conversations.displayId', () => z.number().int().positive().max(2_147_483_647));

/** Chatwoot's label rule: letters, digits, `_` and `-`, stored lower-case. */
export const labelTitle = lazySchema('conversations.labelTitle', () =>
  z
    .string()
    .trim()
    .min(1)
    .max(255)
    .regex(/^[\p{L}\p{N}_-]+$/u, 'letters, digits, _ and - only')
    .transform((t) => t.toLowerCase()),
);
export const labelColor = lazySchema('conversations.labelColor', () =>
  z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'a colour like #1f93ff'),
);

export const assignConversationInput = lazySchema('conversations.assignConversationInput', () =>
  z.object({
    accountId: id,
    displayId,
    /** A user who is a member of the account; null unassigns. */
    assigneeId: id.nullable(),
    actor,
  }),
);
export type AssignConversationInput = z.infer<typeof assignConversationInput>;

export const setConversationLabelsInput = lazySchema('conversations.setConversationLabelsInput', () =>
  z.object({ accountId: id, displayId, labels: z.array(labelTitle).max(100), actor }),
);
export type SetConversationLabelsInput = z.infer<typeof setConversationLabelsInput>;

export const setContactLabelsInput = lazySchema('conversations.setContactLabelsInput', () =>
  z.object({ accountId: id, contactId: id, labels: z.array(labelTitle).max(100), actor }),
);
export type SetContactLabelsInput = z.infer<typeof setContactLabelsInput>;

export const markSeenInput = lazySchema('conversations.markSeenInput', () =>
  z.object({ accountId: id, displayId, actor }),
);
export type MarkSeenInput = z.infer<typeof markSeenInput>;

/** A snooze's wake-up: it reopens the conversation only if it is still snoozed until this very time. */
export const wakeConversationInput = lazySchema('conversations.wakeConversationInput', () =>
  z.object({
    accountId: id,
    conversationId: id,
    displayId,
    snoozedUntil: z.iso.datetime({ offset: true }).refine(isStorableInstant, storableInstantMessage),
  }),
);
export type WakeConversationInput = z.infer<typeof wakeConversationInput>;
export interface Wakened {
  outcome: 'reopened' | 'stale';
  status: string;
}

export interface ConversationChange {
  conversationId: number;
  displayId: number;
  changed: boolean;
  assigneeId: number | null;
  labels: string[];
}
export interface ContactLabels {
  contactId: number;
  labels: string[];
}

export const createLabelInput = lazySchema('conversations.createLabelInput', () =>
  z.object({
    accountId: id,
    title: labelTitle,
    description: z.string().trim().max(1000).optional(),
    color: labelColor.optional(),
    showOnSidebar: z.boolean().optional(),
    actor,
  }),
);
export type CreateLabelInput = z.infer<typeof createLabelInput>;
export const updateLabelInput = lazySchema('conversations.updateLabelInput', () =>
  z.object({
    accountId: id,
    labelId: id,
    title: labelTitle.optional(),
    description: z.string().trim().max(1000).nullable().optional(),
    color: labelColor.optional(),
    showOnSidebar: z.boolean().optional(),
    actor,
  }),
);
export type UpdateLabelInput = z.infer<typeof updateLabelInput>;
export const deleteLabelInput = lazySchema('conversations.deleteLabelInput', () =>
  z.object({ accountId: id, labelId: id, actor }),
);
export type DeleteLabelInput = z.infer<typeof deleteLabelInput>;

export interface LabelRecord {
  id: number;
  title: string;
  description: string | null;
  color: string;
  showOnSidebar: boolean;
}

export const conversationStatus = lazySchema('conversations.conversationStatus', () =>
  z.enum(['open', 'resolved', 'pending', 'snoozed']),
);
export const priority = lazySchema('conversations.priority', () => z.enum(['urgent', 'high', 'medium', 'low']));

/**
 * Chatwoot's create conversation: the contact by its id or by the source id Capstan shows for it in an inbox
 * (its identifier, else its id), optional status, assignee, attributes and a first message, written as a reply
 * of the actor. With the inbox's `lock_to_single_conversation`, the contact's latest conversation is answered.
 */
export const createConversationInput = lazySchema('conversations.createConversationInput', () =>
  z
    .object({
      accountId: id,
      inboxId: id,
      contactId: id.optional(),
      sourceId: z.string().trim().min(1).max(255).optional(),
      status: conversationStatus.optional(),
      assigneeId: id.optional(),
      snoozedUntil: z.iso.datetime({ offset: true }).refine(isStorableInstant, storableInstantMessage).optional(),
      additionalAttributes: attributes.optional(),
      customAttributes: attributes.optional(),
      message: z.object({ content: z.string().min(1).max(150_000) }).optional(),
      actor,
    })
    .refine((i) => i.contactId !== undefined || i.sourceId !== undefined, {
      message: 'needs a contact_id or a source_id',
      path: ['contact_id'],
    })
    .refine((i) => i.snoozedUntil === undefined || i.status === 'snoozed', {
      message: 'goes only with the status snoozed',
      path: ['snoozed_until'],
    }),
);
export type CreateConversationInput = z.infer<typeof createConversationInput>;

export interface ConversationCreated {
  conversationId: number;
  displayId: number;
  /** False when the inbox's lock answered the contact's existing conversation (or a retry found this run's). */
  created: boolean;
  status: string;
  snoozedUntil: string | null;
  messageId: number | null;
}

/** Chatwoot's update conversation: its priority (`null` clears it), what `permitted_update_params` takes. */
export const updateConversationInput = lazySchema('conversations.updateConversationInput', () =>
  z.object({ accountId: id, displayId, priority: priority.nullable().optional(), actor }),
);
export type UpdateConversationInput = z.infer<typeof updateConversationInput>;
export interface ConversationUpdated {
  conversationId: number;
  displayId: number;
  changed: boolean;
  priority: string | null;
}
