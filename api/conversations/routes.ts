import { createRoute, OpenAPIHono, type z } from '@hono/zod-openapi';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import {
  accountParam,
  anyObject,
  type conversationStatus as status,
  idempotencyHeader,
  jsonBody,
  jsonContent,
  pageOf,
  security,
} from '../common-schemas.ts';
import { decodeCursor, page } from '../pagination.ts';
import { ProblemError } from '../problem/index.ts';
import { writeAnswers } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite, type WriteRouteDeps } from '../write.ts';
import { workflows } from '../../contracts/workflows.ts';
import { listConversations, listMessages, findConversation } from './queries.ts';
import {
  conversationParam,
  conversationQuery,
  inboundMessage,
  inboxParam,
  ingested,
  messagesQuery,
  ingestedLinks,
  message,
  outgoingMessage,
  outgoingMessageBody,
  statusChange,
  toggleStatusBody,
} from './schemas.ts';

export function conversationRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/inboxes/{inboxId}/messages',
      operationId: 'postInboundMessage',
      summary: 'Post an inbound message',
      security,
      middleware: accountAccess({ sql, scope: 'conversations:write' }),
      description:
        'Finds or creates the contact and its open conversation, appends the message with the next sequence number, and emits `contact_created`, `conversation_created` and `message_created` webhooks.',
      request: { params: inboxParam, headers: idempotencyHeader, body: jsonBody(inboundMessage) },
      responses: {
        201: { ...jsonContent(ingested, 'Stored'), links: ingestedLinks },
        200: { ...jsonContent(ingested, 'This source_id was already stored'), links: ingestedLinks },
        ...writeAnswers,
        404: { description: 'No such inbox in this account' },
      },
    }),
    async (c) => {
      const { id, inboxId } = c.req.valid('param');
      // Checked before starting: a run for another account's inbox would hold its workflow id for nothing.
      const [inbox] = await sql`select 1 from inboxes where id = ${inboxId} and account_id = ${id}`;
      if (!inbox) throw new ProblemError('notFound', `Inbox ${inboxId} does not exist in account ${id}.`);
      const body = c.req.valid('json');
      const key = body.source_id ? `source:${body.source_id}` : c.req.valid('header')['idempotency-key'];
      const { result, replayed } = await runWrite(temporal, {
        entry: workflows.ingestMessage,
        key: { accountId: id, inboxId, key: keyOrFresh(key) },
        input: {
          accountId: id,
          inboxId,
          contact: body.contact,
          content: body.content,
          sourceId: body.source_id,
          actor: actorOf(c.get('principal')),
        },
        waitMs: workflowWaitMs,
      });
      const m = result.message;
      const view = {
        id: m.id,
        seq: m.seq,
        content: m.content,
        source_id: m.sourceId,
        created_at: m.createdAt,
        conversation_id: result.conversation.displayId,
        contact_id: result.contact.id,
      };
      return c.json(view, result.created && !replayed ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/conversations',
      operationId: 'listConversations',
      summary: 'List conversations, newest first',
      security,
      middleware: accountAccess({ sql, scope: 'conversations:read' }),
      request: { params: accountParam, query: conversationQuery },
      responses: { 200: jsonContent(pageOf(anyObject), 'A page') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const rows = await listConversations(sql, {
        accountId: id,
        status: q.status,
        inboxId: q.inbox_id,
        assigneeId: q.assignee_id,
        label: q.label,
        before: decodeCursor(q.cursor),
        limit: q.limit + 1,
      });
      return c.json(
        page(rows, q.limit, (r) => r.id),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/conversations/{displayId}',
      operationId: 'getConversation',
      summary: 'Read a conversation',
      security,
      middleware: accountAccess({ sql, scope: 'conversations:read' }),
      request: { params: conversationParam },
      responses: { 200: jsonContent(anyObject, 'The conversation'), 404: { description: 'No such conversation' } },
    }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      const found = await findConversation(sql, id, displayId);
      if (!found) throw new ProblemError('notFound', `Conversation ${displayId} does not exist in account ${id}.`);
      return c.json(found, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/conversations/{displayId}/messages',
      operationId: 'listConversationMessages',
      summary: "List a conversation's messages in order",
      security,
      middleware: accountAccess({ sql, scope: 'conversations:read' }),
      request: { params: conversationParam, query: messagesQuery },
      responses: {
        200: jsonContent(pageOf(message), 'A page, by seq (`order=desc`: newest first)'),
        404: { description: 'No such conversation' },
      },
    }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      const q = c.req.valid('query');
      const rows = await listMessages(sql, {
        accountId: id,
        displayId,
        after: decodeCursor(q.cursor) ?? 0,
        limit: q.limit + 1,
        order: q.order,
      });
      if (!rows) throw new ProblemError('notFound', `Conversation ${displayId} does not exist in account ${id}.`);
      return c.json(
        page(rows, q.limit, (r) => r.seq),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/conversations/{displayId}/messages',
      operationId: 'postOutgoingMessage',
      summary: 'Reply, or write a private note',
      description:
        "Appends an outgoing message from the token's user or bot, in the conversation's sequence, and emits `message_created` (`message_type: outgoing`). In an API-channel inbox with a `webhook_url`, a public reply is POSTed there, signed with the inbox's secret; its `status` becomes `failed` (with `external_error`) if that delivery fails for good, `sent` again once a retry delivers it.",
      security,
      middleware: accountAccess({ sql, scope: 'conversations:reply' }),
      request: { params: conversationParam, headers: idempotencyHeader, body: jsonBody(outgoingMessageBody) },
      responses: {
        201: jsonContent(outgoingMessage, 'Stored'),
        ...writeAnswers,
        403: { description: 'A platform token: a reply is written by a user or bot of the account' },
        404: { description: 'No such conversation' },
      },
    }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      const body = c.req.valid('json');
      const [found] = await sql`select 1 from conversations where account_id = ${id} and display_id = ${displayId}`;
      if (!found) throw new ProblemError('notFound', `Conversation ${displayId} does not exist in account ${id}.`);
      const { result } = await runWrite(temporal, {
        entry: workflows.postOutgoingMessage,
        key: { accountId: id, displayId, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: {
          accountId: id,
          displayId,
          content: body.content,
          private: body.private,
          actor: actorOf(c.get('principal')),
        },
        waitMs: workflowWaitMs,
      });
      const m = result.message;
      return c.json(
        {
          id: m.id,
          seq: m.seq,
          content: m.content,
          message_type: 'outgoing' as const,
          private: m.private,
          status: m.status,
          sender_type: m.senderType,
          sender_id: m.senderId,
          created_at: m.createdAt,
          conversation_id: result.conversation.displayId,
          to_callback: result.toCallback,
        },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/conversations/{displayId}/toggle_status',
      operationId: 'toggleConversationStatus',
      summary: "Set a conversation's status",
      security,
      middleware: accountAccess({ sql, scope: 'conversations:write' }),
      request: { params: conversationParam, headers: idempotencyHeader, body: jsonBody(toggleStatusBody) },
      responses: {
        200: jsonContent(
          statusChange,
          'Done; emits conversation_status_changed, conversation_updated and conversation_opened or conversation_resolved when it changed',
        ),
        ...writeAnswers,
        404: { description: 'No such conversation' },
      },
    }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      const principal = c.get('principal');
      const body = c.req.valid('json');
      if (body.snoozed_until && body.status !== 'snoozed')
        throw new ProblemError('validation', '`snoozed_until` goes only with the status `snoozed`.', {
          errors: [{ field: 'snoozed_until', message: 'goes only with the status snoozed' }],
        });
      const { result } = await runWrite(temporal, {
        entry: workflows.changeConversationStatus,
        key: { accountId: id, displayId, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: {
          accountId: id,
          displayId,
          status: body.status,
          snoozedUntil: body.snoozed_until,
          actor: actorOf(principal),
        },
        waitMs: workflowWaitMs,
      });
      return c.json(
        {
          id: result.displayId,
          status: result.status as z.infer<typeof status>,
          previous_status: result.previousStatus as z.infer<typeof status>,
          snoozed_until: result.snoozedUntil ?? null,
        },
        200,
      );
    },
  );

  return app;
}
