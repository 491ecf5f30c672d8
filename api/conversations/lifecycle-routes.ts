import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { idempotencyHeader, jsonBody, jsonContent, security } from '../common-schemas.ts';
import { labelList, labelsAnswer } from '../labels/schemas.ts';
import { ProblemError } from '../problem/index.ts';
import { writeAnswers } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite, type WriteRouteDeps } from '../write.ts';
import { workflows } from '../../contracts/workflows.ts';
import { assignmentAnswer, assignmentBody, conversationParam, lastSeenAnswer } from './schemas.ts';

const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** Assignment, labels and last-seen of a conversation (Chatwoot's `assignments`, `labels`, `update_last_seen`). */
export function conversationLifecycleRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/conversations/{displayId}/assignments',
      operationId: 'assignConversation',
      summary: 'Assign a conversation to an agent, or unassign it',
      description: 'Emits `conversation_updated` with `assignee_id` in `changed_attributes` when it changed.',
      security,
      middleware: accountAccess({ sql, scope: 'conversations:write' }),
      request: { params: conversationParam, headers: idempotencyHeader, body: jsonBody(assignmentBody) },
      responses: {
        200: jsonContent(assignmentAnswer, 'Assigned'),
        ...writeAnswers,
        404: { description: 'No such conversation' },
      },
    }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      const { result } = await runWrite(temporal, {
        entry: workflows.assignConversation,
        key: { accountId: id, displayId, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: {
          accountId: id,
          displayId,
          assigneeId: c.req.valid('json').assignee_id,
          actor: actorOf(c.get('principal')),
        },
        waitMs: workflowWaitMs,
      });
      return c.json({ id: result.displayId, assignee_id: result.assigneeId }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/conversations/{displayId}/labels',
      operationId: 'listConversationLabels',
      summary: "A conversation's labels",
      security,
      middleware: accountAccess({ sql, scope: 'conversations:read' }),
      request: { params: conversationParam },
      responses: { 200: jsonContent(labelsAnswer, 'Its labels'), 404: { description: 'No such conversation' } },
    }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      const [row] = await sql<{ label_list: string[] }[]>`
        select label_list from conversations where account_id = ${id} and display_id = ${displayId}`;
      if (!row) throw new ProblemError('notFound', `Conversation ${displayId} does not exist in account ${id}.`);
      return c.json({ payload: row.label_list }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/conversations/{displayId}/labels',
      operationId: 'setConversationLabels',
      summary: "Replace a conversation's labels",
      description: 'Emits `conversation_updated` with `label_list` in `changed_attributes` when they changed.',
      security,
      middleware: accountAccess({ sql, scope: 'conversations:write' }),
      request: { params: conversationParam, headers: idempotencyHeader, body: jsonBody(labelList) },
      responses: {
        200: jsonContent(labelsAnswer, 'Its labels now'),
        ...writeAnswers,
        404: { description: 'No such conversation' },
      },
    }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      const { result } = await runWrite(temporal, {
        entry: workflows.setConversationLabels,
        key: { accountId: id, displayId, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { accountId: id, displayId, labels: c.req.valid('json').labels, actor: actorOf(c.get('principal')) },
        waitMs: workflowWaitMs,
      });
      return c.json({ payload: result.labels }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/conversations/{displayId}/update_last_seen',
      operationId: 'markConversationSeen',
      summary: 'The agent has read the conversation: its unread count starts again',
      security,
      middleware: accountAccess({ sql, scope: 'conversations:write' }),
      request: { params: conversationParam, headers: idempotencyHeader },
      responses: {
        200: jsonContent(lastSeenAnswer, 'Seen'),
        ...writeAnswers,
        404: { description: 'No such conversation' },
      },
    }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      const { result } = await runWrite(temporal, {
        entry: workflows.markConversationSeen,
        key: { accountId: id, displayId, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { accountId: id, displayId, actor: actorOf(c.get('principal')) },
        waitMs: workflowWaitMs,
      });
      return c.json({ id: displayId, agent_last_seen_at: unix(result.agentLastSeenAt) }, 200);
    },
  );

  return app;
}
