import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import type { Sql } from '../../db/pool.ts';
import { contactKey } from '../../contracts/messages.ts';
import { actorOf } from '../actor.ts';
import { requireAccountAccess } from '../auth/index.ts';
import { accountParam, idempotencyHeader, jsonBody, jsonContent, security } from '../common-schemas.ts';
import { decodeCursor, page, pageQuery } from '../pagination.ts';
import { ProblemError } from '../problem/index.ts';
import { commonProblems } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite } from '../write.ts';
import { workflows } from '../../contracts/workflows.ts';
import { listConversations, listMessages, findConversation } from './queries.ts';

const status = z.enum(['open', 'resolved', 'pending', 'snoozed']);
const inboxParam = accountParam.extend({ inboxId: z.coerce.number().int().positive().max(2 ** 53 - 1).openapi({ param: { name: 'inboxId', in: 'path' } }) });
const conversationParam = accountParam.extend({ displayId: z.coerce.number().int().positive().max(2_147_483_647).openapi({ param: { name: 'displayId', in: 'path' } }) });

const inboundMessage = z
  .object({
    contact: contactKey.describe('Finds or creates the contact: identifier first, then email, then phone number'),
    content: z.string().min(1).max(150_000),
    source_id: z.string().min(1).max(255).optional().openapi({ description: 'Your id for the message: a repeated source_id never makes a second message' }),
  })
  .strict()
  .openapi('InboundMessage');
const ingested = z
  .object({
    id: z.number().int(),
    seq: z.number().int().openapi({ description: 'Position in the conversation: 1, 2, 3… with no gaps' }),
    content: z.string(),
    source_id: z.string().nullable(),
    created_at: z.string(),
    conversation_id: z.number().int().openapi({ description: 'The conversation\'s display id' }),
    contact_id: z.number().int(),
  })
  .openapi('IngestedMessage');
const anyObject = z.record(z.string(), z.unknown());

export function conversationRoutes({ sql, temporal, workflowWaitMs }: { sql: Sql; temporal: Client; workflowWaitMs: number }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/accounts/{id}/inboxes/{inboxId}/messages', summary: 'Post an inbound message', security,
      description: 'Finds or creates the contact and its open conversation, appends the message with the next sequence number, and emits `contact_created`, `conversation_created` and `message_created` webhooks.',
      request: { params: inboxParam, headers: idempotencyHeader, body: jsonBody(inboundMessage) },
      responses: { 201: jsonContent(ingested, 'Stored'), 200: jsonContent(ingested, 'This source_id was already stored'), ...commonProblems, 404: { description: 'No such inbox' } },
    }),
    async (c) => {
      const { id, inboxId } = c.req.valid('param');
      requireAccountAccess(c.get('principal'), id);
      // Checked before starting: a run for another account's inbox would hold its workflow id for nothing.
      const [inbox] = await sql`select 1 from inboxes where id = ${inboxId} and account_id = ${id}`;
      if (!inbox) throw new ProblemError('notFound', `Inbox ${inboxId} does not exist in account ${id}.`);
      const body = c.req.valid('json');
      const key = body.source_id ? `source:${body.source_id}` : c.req.valid('header')['idempotency-key'];
      const { result, replayed } = await runWrite(temporal, {
        entry: workflows.ingestMessage, key: { accountId: id, inboxId, key: keyOrFresh(key) },
        input: { accountId: id, inboxId, contact: body.contact, content: body.content, sourceId: body.source_id, actor: actorOf(c.get('principal')) }, waitMs: workflowWaitMs,
      });
      const m = result.message;
      const view = { id: m.id, seq: m.seq, content: m.content, source_id: m.sourceId, created_at: m.createdAt, conversation_id: result.conversation.displayId, contact_id: result.contact.id };
      return c.json(view, result.created && !replayed ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/accounts/{id}/conversations', summary: 'List conversations, newest first', security,
      request: { params: accountParam, query: pageQuery.extend({ status: status.optional(), inbox_id: z.coerce.number().int().positive().optional() }) },
      responses: { 200: jsonContent(z.object({ payload: z.array(anyObject), meta: z.object({ next_cursor: z.string().nullable() }) }), 'A page'), ...commonProblems },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      requireAccountAccess(c.get('principal'), id);
      const q = c.req.valid('query');
      const rows = await listConversations(sql, { accountId: id, status: q.status, inboxId: q.inbox_id, before: decodeCursor(q.cursor), limit: q.limit + 1 });
      return c.json(page(rows, q.limit, (r) => r.id), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/accounts/{id}/conversations/{displayId}', summary: 'Read a conversation', security, request: { params: conversationParam }, responses: { 200: jsonContent(anyObject, 'The conversation'), ...commonProblems, 404: { description: 'No such conversation' } } }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      requireAccountAccess(c.get('principal'), id);
      const found = await findConversation(sql, id, displayId);
      if (!found) throw new ProblemError('notFound', `Conversation ${displayId} does not exist in account ${id}.`);
      return c.json(found, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/accounts/{id}/conversations/{displayId}/messages', summary: 'List a conversation\'s messages in order', security,
      request: { params: conversationParam, query: pageQuery },
      responses: { 200: jsonContent(z.object({ payload: z.array(anyObject), meta: z.object({ next_cursor: z.string().nullable() }) }), 'A page, by seq'), ...commonProblems, 404: { description: 'No such conversation' } },
    }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      requireAccountAccess(c.get('principal'), id);
      const q = c.req.valid('query');
      const rows = await listMessages(sql, { accountId: id, displayId, after: decodeCursor(q.cursor) ?? 0, limit: q.limit + 1 });
      if (!rows) throw new ProblemError('notFound', `Conversation ${displayId} does not exist in account ${id}.`);
      return c.json(page(rows, q.limit, (r) => r.seq), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/accounts/{id}/conversations/{displayId}/toggle_status', summary: 'Set a conversation\'s status', security,
      request: { params: conversationParam, body: jsonBody(z.object({ status }).strict()) },
      responses: { 200: jsonContent(z.object({ id: z.number().int(), status, previous_status: status }), 'Done; emits conversation_status_changed when it changed'), ...commonProblems, 404: { description: 'No such conversation' } },
    }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      const principal = c.get('principal');
      requireAccountAccess(principal, id);
      const { result } = await runWrite(temporal, {
        entry: workflows.changeConversationStatus, key: { accountId: id, displayId, key: keyOrFresh(undefined) },
        input: { accountId: id, displayId, status: c.req.valid('json').status, actor: actorOf(principal) }, waitMs: workflowWaitMs,
      });
      return c.json({ id: result.displayId, status: result.status as z.infer<typeof status>, previous_status: result.previousStatus as z.infer<typeof status> }, 200);
    },
  );

  return app;
}
