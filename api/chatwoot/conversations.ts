import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { workflows } from '../../contracts/workflows.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { jsonBody } from '../common-schemas.ts';
import { ProblemError } from '../problem/index.ts';
import { validationHook } from '../validation.ts';
import { runWrite, type WriteRouteDeps } from '../write.ts';
import { accountParam, conversationParam, found, idempotencyHeader, ok, security } from './common.ts';
import { doorKey } from './idempotency.ts';
import { conversation, conversations } from './queries.ts';
import { conversationView } from './views.ts';

/** Chatwoot pages conversations 25 at a time. */
const PER_PAGE = 25;

const listQuery = z.object({
  status: z.enum(['all', 'open', 'resolved', 'pending', 'snoozed']).default('open'),
  assignee_type: z.enum(['me', 'unassigned', 'all', 'assigned']).default('all'),
  inbox_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

export const toggleStatusBody = z
  .object({
    status: z.enum(['open', 'resolved', 'pending', 'snoozed']).optional(),
    snoozed_until: z.union([z.number(), z.string()]).optional(),
  })
  .openapi('ChatwootToggleStatus');

export function conversationRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{id}/conversations',
      operationId: 'conversationList',
      tags: ['Conversations'],
      summary: 'A page of conversations with the counts of mine, unassigned, assigned and all',
      security,
      middleware: accountAccess({ sql, scope: 'conversations:read' }),
      request: { params: accountParam, query: listQuery },
      responses: ok('`{ data: { meta, payload } }`'),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const { rows, count } = await conversations(sql, {
        accountId: id,
        status: q.status,
        inboxId: q.inbox_id,
        page: q.page,
        perPage: PER_PAGE,
      });
      // Nothing is assigned yet on this branch: every matching conversation is unassigned, none is mine.
      const meta = { mine_count: 0, assigned_count: 0, unassigned_count: count, all_count: count };
      const assignedOnly = q.assignee_type === 'me' || q.assignee_type === 'assigned';
      return c.json({ data: { meta, payload: assignedOnly ? [] : rows.map(conversationView) } }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{id}/conversations/{displayId}',
      operationId: 'get-details-of-a-conversation',
      tags: ['Conversations'],
      summary: 'A conversation, by its display id',
      security,
      middleware: accountAccess({ sql, scope: 'conversations:read' }),
      request: { params: conversationParam },
      responses: ok('The conversation'),
    }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      return c.json(conversationView(found(await conversation(sql, id, displayId))), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/accounts/{id}/conversations/{displayId}/toggle_status',
      operationId: 'toggle-status-of-a-conversation',
      tags: ['Conversations'],
      summary: 'Set the status, or without one toggle open and resolved',
      security,
      middleware: accountAccess({ sql, scope: 'conversations:write' }),
      request: { params: conversationParam, headers: idempotencyHeader, body: jsonBody(toggleStatusBody) },
      responses: ok('`{ meta, payload: { success, current_status, conversation_id } }`'),
    }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      const body = c.req.valid('json');
      const current = found(await conversation(sql, id, displayId));
      if (body.snoozed_until !== undefined)
        throw new ProblemError('notImplemented', 'not implemented yet: snoozed_until (the conversation lifecycle).');
      const status = body.status ?? (current.status === 'open' ? 'resolved' : 'open');
      // Keyed by the request as sent: a retried toggle must not toggle back because the first one landed.
      const key = await doorKey(
        c,
        temporal,
        (k) => workflows.changeConversationStatus.id({ accountId: id, displayId, key: k }),
        body,
      );
      const { result } = await runWrite(temporal, {
        entry: workflows.changeConversationStatus,
        key: { accountId: id, displayId, key },
        input: { accountId: id, displayId, status, actor: actorOf(c.get('principal')) },
        fingerprintOf: body,
        waitMs: workflowWaitMs,
      });
      return c.json(
        { meta: {}, payload: { success: true, current_status: result.status, conversation_id: result.displayId } },
        200,
      );
    },
  );

  return app;
}
