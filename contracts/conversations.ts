/** The conversation lifecycle: assignment, snooze wake-ups, labels (docs/conversation-lifecycle.md). */
import { z } from 'zod';
import { actor } from './common.ts';
import { lazySchema } from './lazy.ts';

const id = lazySchema(() => z.number().int().positive().max(Number.MAX_SAFE_INTEGER));
const displayId = lazySchema(() => z.number().int().positive().max(2_147_483_647));

/** Chatwoot's label rule: letters, digits, `_` and `-`, stored lower-case. */
export const labelTitle = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1)
    .max(255)
    .regex(/^[\p{L}\p{N}_-]+$/u, 'letters, digits, _ and - only')
    .transform((t) => t.toLowerCase()),
);
export const labelColor = lazySchema(() => z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'a colour like #1f93ff'));

export const assignConversationInput = lazySchema(() =>
  z.object({
    accountId: id,
    displayId,
    /** A user who is a member of the account; null unassigns. */
    assigneeId: id.nullable(),
    actor,
  }),
);
export type AssignConversationInput = z.infer<typeof assignConversationInput>;

export const setConversationLabelsInput = lazySchema(() =>
  z.object({ accountId: id, displayId, labels: z.array(labelTitle).max(100), actor }),
);
export type SetConversationLabelsInput = z.infer<typeof setConversationLabelsInput>;

export const setContactLabelsInput = lazySchema(() =>
  z.object({ accountId: id, contactId: id, labels: z.array(labelTitle).max(100), actor }),
);
export type SetContactLabelsInput = z.infer<typeof setContactLabelsInput>;

export const markSeenInput = lazySchema(() => z.object({ accountId: id, displayId, actor }));
export type MarkSeenInput = z.infer<typeof markSeenInput>;

/** A snooze's wake-up: it reopens the conversation only if it is still snoozed until this very time. */
export const wakeConversationInput = lazySchema(() =>
  z.object({ accountId: id, conversationId: id, displayId, snoozedUntil: z.iso.datetime({ offset: true }) }),
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

export const createLabelInput = lazySchema(() =>
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
export const updateLabelInput = lazySchema(() =>
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
export const deleteLabelInput = lazySchema(() => z.object({ accountId: id, labelId: id, actor }));
export type DeleteLabelInput = z.infer<typeof deleteLabelInput>;

export interface LabelRecord {
  id: number;
  title: string;
  description: string | null;
  color: string;
  showOnSidebar: boolean;
}
