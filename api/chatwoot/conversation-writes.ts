import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { priority } from '../../contracts/conversations.ts';
import { workflows } from '../../contracts/workflows.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { requireScope } from '../auth/scope.ts';
import { jsonBody } from '../common-schemas.ts';
import { validationHook } from '../validation.ts';
import { runWrite, type WriteRouteDeps } from '../write.ts';
import { accountParam, conversationParam, found, idempotencyHeader, ok, security } from './common.ts';
import { snoozeTime } from './conversations.ts';
import { doorKey } from './idempotency.ts';
import { conversation, inboxes } from './queries.ts';
import { conversationView } from './views.ts';

const rowId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const attributes = z.record(z.string().max(255), z.unknown());

/** Chatwoot's create conversation; `team_id` is taken and ignored (Capstan has no teams). */
export const createConversationBody = z
  .object({
    inbox_id: rowId,
    source_id: z.string().trim().min(1).max(255).optional(),
    contact_id: rowId.optional(),
    status: z.enum(['open', 'resolved', 'pending', 'snoozed']).optional(),
    assignee_id: rowId.optional(),
    team_id: z.number().optional(),
    snoozed_until: z.union([z.number(), z.string().max(64)]).optional(),
    additional_attributes: attributes.optional(),
    custom_attributes: attributes.optional(),
    message: z.object({ content: z.string().min(1).max(150_000) }).optional(),
  })
  .openapi('ChatwootConversationCreate');

/** Chatwoot's update conversation (`permitted_update_params`): the priority; `sla_policy_id` is Enterprise's. */
export const updateConversationBody = z
  .object({ priority: priority.nullable().optional(), sla_policy_id: z.number().optional() })
  .openapi('ChatwootConversationUpdate');

export function conversationWriteRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/accounts/{id}/conversations',
      operationId: 'newConversation',
      tags: ['Conversations'],
      summary:
        "Start a conversation with a contact (`contact_id` or `source_id`) in an inbox; in an inbox with lock_to_single_conversation, the contact's latest one",
      security,
      middleware: accountAccess({ sql, scope: 'conversations:write' }),
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(createConversationBody) },
      responses: ok('The conversation'),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      // A first message is a reply written by the token's user: it needs the scope a reply needs.
      if (body.message) requireScope(c.get('principal'), 'conversations:reply');
      found((await inboxes(sql, id, body.inbox_id))[0]);
      const input = {
        accountId: id,
        inboxId: body.inbox_id,
        contactId: body.contact_id,
        sourceId: body.contact_id === undefined ? body.source_id : undefined,
        status: body.status,
        assigneeId: body.assignee_id,
        snoozedUntil: snoozeTime(body.snoozed_until),
        additionalAttributes: body.additional_attributes,
        customAttributes: body.custom_attributes,
        message: body.message,
      };
      const key = await doorKey(c, temporal, (k) => workflows.createConversation.id({ accountId: id, key: k }), input);
      const { result } = await runWrite(temporal, {
        entry: workflows.createConversation,
        key: { accountId: id, key },
        input: { ...input, actor: actorOf(c.get('principal')) },
        fingerprintOf: input,
        waitMs: workflowWaitMs,
      });
      return c.json(conversationView(found(await conversation(sql, id, result.displayId))), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/accounts/{id}/conversations/{displayId}',
      operationId: 'update-conversation',
      tags: ['Conversations'],
      summary: "Set or clear (`null`) the conversation's priority",
      security,
      middleware: accountAccess({ sql, scope: 'conversations:write' }),
      request: { params: conversationParam, headers: idempotencyHeader, body: jsonBody(updateConversationBody) },
      responses: ok('The conversation'),
    }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      const body = c.req.valid('json');
      found(await conversation(sql, id, displayId));
      const input = { accountId: id, displayId, priority: body.priority };
      const key = await doorKey(
        c,
        temporal,
        (k) => workflows.updateConversation.id({ accountId: id, displayId, key: k }),
        input,
      );
      await runWrite(temporal, {
        entry: workflows.updateConversation,
        key: { accountId: id, displayId, key },
        input: { ...input, actor: actorOf(c.get('principal')) },
        fingerprintOf: input,
        waitMs: workflowWaitMs,
      });
      return c.json(conversationView(found(await conversation(sql, id, displayId))), 200);
    },
  );

  return app;
}
