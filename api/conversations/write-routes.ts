import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { requireScope } from '../auth/scope.ts';
import {
  accountParam,
  anyObject,
  conversationStatus,
  idempotencyHeader,
  idParam,
  jsonBody,
  jsonContent,
  rowId,
  security,
} from '../common-schemas.ts';
import { ProblemError } from '../problem/index.ts';
import { writeAnswers } from '../problem/schema.ts';
import { apiText } from '../text-rules.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite, type WriteRouteDeps } from '../write.ts';
import { createConversationInput } from '../../contracts/conversations.ts';
import { workflows } from '../../contracts/workflows.ts';
import { findConversation } from './queries.ts';
import { conversationParam } from './schemas.ts';
import { isStorableInstant, storableInstantMessage } from '../../contracts/common.ts';

const attributes = z.record(z.string().max(255), z.unknown());

export const newConversationBody = z
  .object({
    inbox_id: rowId,
    contact_id: rowId.optional(),
    source_id: apiText(createConversationInput.shape.sourceId.unwrap())
      .optional()
      .openapi({ description: "Instead of contact_id: the contact's identifier (Chatwoot's contact_inbox source_id)" }),
    status: conversationStatus.optional(),
    assignee_id: rowId.optional(),
    snoozed_until: z.iso
      .datetime({ offset: true })
      .refine(isStorableInstant, storableInstantMessage)
      .optional()
      .openapi({ description: 'Only with status snoozed' }),
    additional_attributes: attributes.optional(),
    custom_attributes: attributes.optional(),
    message: z
      .object({ content: apiText(z.string().min(1).max(150_000)) })
      .strict()
      .optional()
      .openapi({ description: "A first reply, written by the token's user (needs conversations:reply)" }),
  })
  .strict()
  .openapi('NewConversationRequest');

const messageParam = conversationParam.extend({ messageId: idParam('messageId') });

/** Capstan's door to Chatwoot's create conversation and message delete: the same workflows as /api/v1. */
export function conversationWriteRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/conversations',
      operationId: 'createConversation',
      summary: 'Start a conversation with a contact in an inbox',
      description:
        "Needs `contact_id` or `source_id` (422 without either; 404 for one not in the account). In an inbox with `lock_to_single_conversation`, answers the contact's latest conversation (200) instead of a new one. `assignee_id` must be an agent of the account and `snoozed_until` goes only with status `snoozed` (422 otherwise). Emits `conversation_created`, and `message_created` for a first message.",
      security,
      middleware: accountAccess({ sql, scope: 'conversations:write' }),
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(newConversationBody) },
      responses: {
        201: jsonContent(anyObject, 'Created'),
        200: jsonContent(anyObject, "The contact's conversation in a locked inbox, or this key's earlier answer"),
        ...writeAnswers,
        404: { description: 'No such inbox, contact or source id in this account' },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      if (body.contact_id === undefined && body.source_id === undefined)
        throw new ProblemError('validation', 'Give a contact_id or a source_id.', {
          errors: [{ field: 'contact_id', message: 'needs a contact_id or a source_id' }],
        });
      if (body.message) requireScope(c.get('principal'), 'conversations:reply');
      const [inbox] = await sql`select 1 from inboxes where id = ${body.inbox_id} and account_id = ${id}`;
      if (!inbox) throw new ProblemError('notFound', `Inbox ${body.inbox_id} does not exist in account ${id}.`);
      const { result, replayed } = await runWrite(temporal, {
        entry: workflows.createConversation,
        key: { accountId: id, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: {
          accountId: id,
          inboxId: body.inbox_id,
          contactId: body.contact_id,
          sourceId: body.contact_id === undefined ? body.source_id : undefined,
          status: body.status,
          assigneeId: body.assignee_id,
          snoozedUntil: body.snoozed_until,
          additionalAttributes: body.additional_attributes,
          customAttributes: body.custom_attributes,
          message: body.message,
          actor: actorOf(c.get('principal')),
        },
        waitMs: workflowWaitMs,
      });
      const view = await findConversation(sql, id, result.displayId);
      return c.json(view ?? {}, result.created && !replayed ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/accounts/{id}/conversations/{displayId}/messages/{messageId}',
      operationId: 'deleteMessage',
      summary: 'Delete a message',
      description:
        'As Chatwoot does: the message stays in its place, its content says it was deleted and `content_attributes.deleted` is true; emits `message_updated`.',
      security,
      middleware: accountAccess({ sql, scope: 'conversations:write' }),
      request: { params: messageParam, headers: idempotencyHeader },
      responses: { 204: { description: 'Deleted' }, ...writeAnswers, 404: { description: 'No such message' } },
    }),
    async (c) => {
      const { id, displayId, messageId } = c.req.valid('param');
      const [found] = await sql`
        select 1 from messages m join conversations c on c.id = m.conversation_id
         where c.account_id = ${id} and c.display_id = ${displayId} and m.id = ${messageId}`;
      if (!found)
        throw new ProblemError('notFound', `Message ${messageId} does not exist in conversation ${displayId}.`);
      await runWrite(temporal, {
        entry: workflows.deleteMessage,
        key: { accountId: id, messageId, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { accountId: id, displayId, messageId, actor: actorOf(c.get('principal')) },
        waitMs: workflowWaitMs,
      });
      return c.body(null, 204);
    },
  );

  return app;
}
