import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { workflows } from '../../contracts/workflows.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { jsonBody, queryRowId } from '../common-schemas.ts';
import { ProblemError } from '../problem/index.ts';
import { validationHook } from '../validation.ts';
import { runWrite, type WriteRouteDeps } from '../write.ts';
import { accountParam, conversationParam, found, idempotencyHeader, ok, security } from './common.ts';
import { doorKey } from './idempotency.ts';
import { conversation, conversations, members } from './queries.ts';
import { agentView, conversationView } from './views.ts';

/** Chatwoot pages conversations 25 at a time. */
const PER_PAGE = 25;

const listQuery = z.object({
  status: z.enum(['all', 'open', 'resolved', 'pending', 'snoozed']).default('open'),
  assignee_type: z.enum(['me', 'unassigned', 'all', 'assigned']).default('all'),
  inbox_id: queryRowId().optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

export const toggleStatusBody = z
  .object({
    status: z.enum(['open', 'resolved', 'pending', 'snoozed']).optional(),
    snoozed_until: z.union([z.number(), z.string()]).optional(),
  })
  .openapi('ChatwootToggleStatus');

const assignBody = z.object({
  assignee_id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable().optional(),
  team_id: z.number().optional(),
});
const labelsBody = z.object({ labels: z.array(z.string().trim().min(1).max(255)).max(100) });

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
      const principal = c.get('principal');
      const { rows, counts } = await conversations(sql, {
        accountId: id,
        status: q.status,
        assigneeType: q.assignee_type,
        userId: principal.kind === 'user' || principal.kind === 'breakGlass' ? principal.userId : undefined,
        inboxId: q.inbox_id,
        page: q.page,
        perPage: PER_PAGE,
      });
      return c.json({ data: { meta: counts, payload: rows.map(conversationView) } }, 200);
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
      const status = body.status ?? (current.status === 'open' ? 'resolved' : 'open');
      const snoozedUntil = snoozeTime(body.snoozed_until);
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
        input: { accountId: id, displayId, status, snoozedUntil, actor: actorOf(c.get('principal')) },
        fingerprintOf: body,
        waitMs: workflowWaitMs,
      });
      return c.json(
        { meta: {}, payload: { success: true, current_status: result.status, conversation_id: result.displayId } },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/accounts/{id}/conversations/{displayId}/assignments',
      operationId: 'assign-a-conversation',
      tags: ['Conversations'],
      summary: 'Assign the conversation to an agent of the account, or unassign it (`assignee_id: null`)',
      security,
      middleware: accountAccess({ sql, scope: 'conversations:write' }),
      request: { params: conversationParam, headers: idempotencyHeader, body: jsonBody(assignBody) },
      responses: ok('The assignee (the agent partial), or null'),
    }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      const body = c.req.valid('json');
      found(await conversation(sql, id, displayId));
      const assigneeId = body.assignee_id ?? null;
      const key = await doorKey(
        c,
        temporal,
        (k) => workflows.assignConversation.id({ accountId: id, displayId, key: k }),
        body,
      );
      const { result } = await runWrite(temporal, {
        entry: workflows.assignConversation,
        key: { accountId: id, displayId, key },
        input: { accountId: id, displayId, assigneeId, actor: actorOf(c.get('principal')) },
        fingerprintOf: body,
        waitMs: workflowWaitMs,
      });
      if (result.assigneeId === null) return c.json(null, 200);
      return c.json(agentView(found((await members(sql, id, result.assigneeId))[0])), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{id}/conversations/{displayId}/labels',
      operationId: 'list-all-labels-of-a-conversation',
      tags: ['Conversations'],
      summary: "The conversation's labels",
      security,
      middleware: accountAccess({ sql, scope: 'conversations:read' }),
      request: { params: conversationParam },
      responses: ok('`{ payload: [label title] }`'),
    }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      const [row] = await sql<{ label_list: string[] }[]>`
        select label_list from conversations where account_id = ${id} and display_id = ${displayId}`;
      return c.json({ payload: found(row).label_list }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/accounts/{id}/conversations/{displayId}/labels',
      operationId: 'conversation-add-labels',
      tags: ['Conversations'],
      summary: "Replace the conversation's labels (Chatwoot's add-labels sets the list it is given)",
      security,
      middleware: accountAccess({ sql, scope: 'conversations:write' }),
      request: { params: conversationParam, headers: idempotencyHeader, body: jsonBody(labelsBody) },
      responses: ok('`{ payload: [label title] }`'),
    }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      const body = c.req.valid('json');
      found(await conversation(sql, id, displayId));
      const key = await doorKey(
        c,
        temporal,
        (k) => workflows.setConversationLabels.id({ accountId: id, displayId, key: k }),
        body,
      );
      const { result } = await runWrite(temporal, {
        entry: workflows.setConversationLabels,
        key: { accountId: id, displayId, key },
        input: { accountId: id, displayId, labels: body.labels, actor: actorOf(c.get('principal')) },
        fingerprintOf: body,
        waitMs: workflowWaitMs,
      });
      return c.json({ payload: result.labels }, 200);
    },
  );

  return app;
}

/**
 * Chatwoot's `snoozed_until` is Unix seconds (`DateTime.strptime(value.to_s, '%s')`), as a number or a string of
 * digits; an ISO 8601 time is taken too. Anything else is 422.
 */
export function snoozeTime(value: number | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' || /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (!Number.isFinite(ms) || ms <= 0 || ms >= Date.UTC(10_000, 0, 1))
    throw new ProblemError('validation', 'snoozed_until must be Unix seconds or an ISO 8601 time.', {
      errors: [{ field: 'snoozed_until', message: 'must be Unix seconds or an ISO 8601 time' }],
    });
  return new Date(ms).toISOString();
}
