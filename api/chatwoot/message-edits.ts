import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { workflows } from '../../contracts/workflows.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { jsonBody } from '../common-schemas.ts';
import { validationHook } from '../validation.ts';
import { runWrite, type WriteRouteDeps } from '../write.ts';
import { found, idempotencyHeader, messageParam, ok, security } from './common.ts';
import { doorKey } from './idempotency.ts';
import { message } from './queries.ts';
import { createdMessageView } from './views.ts';

/** Chatwoot's `update-message-status`: what an API inbox's own system reports about a message it delivers. */
export const updateMessageBody = z
  .object({
    status: z.enum(['sent', 'delivered', 'read', 'failed']),
    external_error: z.string().max(2048).optional(),
  })
  .openapi('ChatwootMessageUpdate');

export function messageEditRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  /** The message in the conversation the path names, or 404 before any run holds a workflow id for it. */
  const inConversation = async (accountId: number, displayId: number, messageId: number) => {
    const row = await message(sql, accountId, messageId);
    return found(row?.display_id === displayId ? row : undefined);
  };

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/accounts/{id}/conversations/{displayId}/messages/{messageId}',
      operationId: 'update-a-message',
      tags: ['Messages'],
      summary: "Report a message's delivery status (API-channel inboxes); a read message does not go back to delivered",
      security,
      middleware: accountAccess({ sql, scope: 'conversations:write' }),
      request: { params: messageParam, headers: idempotencyHeader, body: jsonBody(updateMessageBody) },
      responses: { ...ok('The message'), 403: { description: 'The message is not in an API-channel inbox' } },
    }),
    async (c) => {
      const { id, displayId, messageId } = c.req.valid('param');
      const body = c.req.valid('json');
      await inConversation(id, displayId, messageId);
      const input = { accountId: id, displayId, messageId, status: body.status, externalError: body.external_error };
      const key = await doorKey(
        c,
        temporal,
        (k) => workflows.updateMessage.id({ accountId: id, messageId, key: k }),
        input,
      );
      await runWrite(temporal, {
        entry: workflows.updateMessage,
        key: { accountId: id, messageId, key },
        input: { ...input, actor: actorOf(c.get('principal')) },
        fingerprintOf: input,
        waitMs: workflowWaitMs,
      });
      return c.json(createdMessageView(await inConversation(id, displayId, messageId)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/accounts/{id}/conversations/{displayId}/messages/{messageId}',
      operationId: 'delete-a-message',
      tags: ['Messages'],
      summary: 'Delete a message: its content says so and `content_attributes.deleted` is true (`message_updated`)',
      security,
      middleware: accountAccess({ sql, scope: 'conversations:write' }),
      request: { params: messageParam },
      responses: ok('The deleted message'),
    }),
    async (c) => {
      const { id, displayId, messageId } = c.req.valid('param');
      await inConversation(id, displayId, messageId);
      const input = { accountId: id, displayId, messageId };
      const key = await doorKey(
        c,
        temporal,
        (k) => workflows.deleteMessage.id({ accountId: id, messageId, key: k }),
        input,
      );
      await runWrite(temporal, {
        entry: workflows.deleteMessage,
        key: { accountId: id, messageId, key },
        input: { ...input, actor: actorOf(c.get('principal')) },
        fingerprintOf: input,
        waitMs: workflowWaitMs,
      });
      return c.json(createdMessageView(await inConversation(id, displayId, messageId)), 200);
    },
  );

  return app;
}
