import { z } from '@hono/zod-openapi';
import { changeStatusInput, contactKey, ingestMessageInput } from '../../contracts/messages.ts';
import { postOutgoingMessageInput } from '../../contracts/outgoing.ts';
import { accountParam, conversationStatus, idParam, queryRowId } from '../common-schemas.ts';
import { pageQuery } from '../pagination.ts';
import { apiEmail, apiText, phonePattern, withPattern } from '../text-rules.ts';
import { isStorableInstant, storableInstantMessage } from '../../contracts/common.ts';

export const inboxParam = accountParam.extend({ inboxId: idParam('inboxId') });
/** Display ids are per-account counters stored as PostgreSQL integers. */
export const conversationParam = accountParam.extend({
  displayId: z.coerce
    .number()
    .int()
    .positive()
    .max(2_147_483_647)
    .openapi({ param: { name: 'displayId', in: 'path' }, example: 1 }),
});
export const messagesQuery = pageQuery.extend({
  order: z
    .enum(['asc', 'desc'])
    .default('asc')
    .openapi({ description: '`desc`: newest first, the cursor pages towards older messages' }),
});

export const conversationQuery = pageQuery.extend({
  status: conversationStatus.optional(),
  inbox_id: queryRowId().optional(),
  assignee_id: z
    .union([z.literal('none'), queryRowId()])
    .optional()
    .openapi({ description: 'A user id, or `none` for unassigned conversations' }),
  label: z.string().min(1).max(255).optional().openapi({ description: 'Only conversations carrying this label' }),
});

/** The workflow's contact key with its text rules stated, and its "at least one of" as anyOf. */
const contact = contactKey
  .safeExtend({
    identifier: apiText(contactKey.shape.identifier.unwrap()).optional(),
    email: apiEmail(contactKey.shape.email.unwrap()).optional(),
    phone_number: withPattern(
      contactKey.shape.phone_number.unwrap(),
      phonePattern,
      'must be a phone number',
    ).optional(),
    name: apiText(contactKey.shape.name.unwrap(), { blank: true }).optional(),
  })
  .strict()
  .openapi({
    description:
      'Finds or creates the contact: identifier first, then email, then phone number; at least one of the three',
    anyOf: [{ required: ['identifier'] }, { required: ['email'] }, { required: ['phone_number'] }],
  });

export const inboundMessage = z
  .object({
    contact,
    content: apiText(ingestMessageInput.shape.content, { blank: true }),
    source_id: apiText(ingestMessageInput.shape.sourceId.unwrap(), { blank: true })
      .optional()
      .openapi({ description: 'Your id for the message: a repeated source_id never makes a second message' }),
  })
  .strict()
  .openapi('InboundMessage');

export const ingested = z
  .object({
    id: z.number().int(),
    seq: z.number().int().openapi({ description: 'Position in the conversation: 1, 2, 3… with no gaps' }),
    content: z.string(),
    source_id: z.string().nullable(),
    created_at: z.string(),
    conversation_id: z.number().int().openapi({ description: "The conversation's display id" }),
    contact_id: z.number().int(),
  })
  .openapi('IngestedMessage');

export const toggleStatusBody = changeStatusInput
  .pick({ status: true })
  .extend({
    snoozed_until: z.iso
      .datetime({ offset: true })
      .refine(isStorableInstant, storableInstantMessage)
      .optional()
      .openapi({
        description:
          'Only with `snoozed`: a durable timer reopens the conversation then. Without it, the next incoming message reopens it',
      }),
  })
  .strict()
  .openapi('ToggleStatusRequest');
export const statusChange = z.object({
  id: z.number().int(),
  status: conversationStatus,
  previous_status: conversationStatus,
  snoozed_until: z.string().nullable(),
});

export const assignmentBody = z
  .object({
    assignee_id: z
      .number()
      .int()
      .positive()
      .max(Number.MAX_SAFE_INTEGER)
      .nullable()
      .openapi({ description: 'An agent or administrator of the account; null unassigns' }),
  })
  .strict()
  .openapi('AssignmentRequest');
export const assignmentAnswer = z.object({ id: z.number().int(), assignee_id: z.number().int().nullable() });
export const lastSeenAnswer = z.object({ id: z.number().int(), agent_last_seen_at: z.number().int() });

const conversationTarget = { id: '$request.path.id', displayId: '$response.body#/conversation_id' };
export const ingestedLinks = {
  GetConversation: { operationId: 'getConversation', parameters: conversationTarget },
  ListMessages: { operationId: 'listConversationMessages', parameters: conversationTarget },
  ToggleStatus: { operationId: 'toggleConversationStatus', parameters: conversationTarget },
};

export const outgoingMessageBody = z
  .object({
    content: apiText(postOutgoingMessageInput.shape.content),
    private: z
      .boolean()
      .default(false)
      .openapi({ description: "A note for the account's agents: never sent to the inbox's callback" }),
  })
  .strict()
  .openapi('OutgoingMessageRequest');

export const messageStatus = z.enum(['sent', 'delivered', 'read', 'failed']).openapi('MessageStatus');

export const outgoingMessage = z
  .object({
    id: z.number().int(),
    seq: z
      .number()
      .int()
      .openapi({ description: 'Position in the conversation, in the same sequence as incoming ones' }),
    content: z.string(),
    message_type: z.literal('outgoing'),
    private: z.boolean(),
    status: messageStatus,
    sender_type: z.enum(['User', 'AgentBot']),
    sender_id: z.number().int(),
    created_at: z.string(),
    conversation_id: z.number().int().openapi({ description: "The conversation's display id" }),
    to_callback: z
      .boolean()
      .openapi({ description: "True when the inbox's callback (an API channel's webhook_url) is sent this message" }),
  })
  .openapi('OutgoingMessage');

export const message = z
  .object({
    id: z.number().int(),
    seq: z.number().int(),
    content: z.string(),
    message_type: z.enum(['incoming', 'outgoing', 'activity', 'template']),
    content_type: z.string(),
    private: z.boolean(),
    status: messageStatus,
    external_error: z.string().nullable().openapi({ description: 'Why the callback failed, when `status` is failed' }),
    source_id: z.string().nullable(),
    sender_type: z.string(),
    sender_id: z.number().int().nullable(),
    created_at: z.number().int().openapi({ description: 'Unix seconds' }),
    conversation_id: z.number().int(),
    workflow_id: z.string().nullable(),
  })
  .openapi('Message');
