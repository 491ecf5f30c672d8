import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ingestMessageInput } from '../../contracts/messages.ts';
import { workflows } from '../../contracts/workflows.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { requireScope } from '../auth/scope.ts';
import { jsonBody, queryRowId } from '../common-schemas.ts';
import { apiText } from '../text-rules.ts';
import { validationHook } from '../validation.ts';
import { runWrite, type WriteRouteDeps } from '../write.ts';
import { conversationParam, found, idempotencyHeader, ok, security } from './common.ts';
import { doorKey } from './idempotency.ts';
import { conversation, message, messages } from './queries.ts';
import { createdMessageView, messageView, senderView } from './views.ts';

/** Chatwoot answers 20 messages a page. */
const PAGE = 20;

export const createMessageBody = z
  .object({
    content: apiText(ingestMessageInput.shape.content, { blank: true }),
    /** Chatwoot's default is `outgoing`. */
    message_type: z.enum(['outgoing', 'incoming']).default('outgoing'),
    private: z.boolean().default(false),
    content_type: z.literal('text').default('text'),
    content_attributes: z.record(z.string(), z.unknown()).optional(),
    source_id: apiText(ingestMessageInput.shape.sourceId.unwrap(), { blank: true }).optional(),
    echo_id: z.string().min(1).max(255).optional(),
  })
  .openapi('ChatwootMessageCreate');

const listQuery = z.object({ before: queryRowId().optional() });

export function messageRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{id}/conversations/{displayId}/messages',
      operationId: 'list-all-messages',
      tags: ['Messages'],
      summary: 'The last 20 messages (before `before`, a message id), oldest first',
      security,
      middleware: accountAccess({ sql, scope: 'conversations:read' }),
      request: { params: conversationParam, query: listQuery },
      responses: ok('`{ meta, payload: [message] }`'),
    }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      const convo = found(await conversation(sql, id, displayId));
      const rows = await messages(sql, { accountId: id, displayId, before: c.req.valid('query').before, limit: PAGE });
      const meta = {
        labels: [],
        additional_attributes: {},
        contact: senderView(convo),
        assignee: null,
        agent_last_seen_at: null,
        assignee_last_seen_at: null,
      };
      return c.json({ meta, payload: rows.map(messageView) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/accounts/{id}/conversations/{displayId}/messages',
      operationId: 'create-a-new-message-in-a-conversation',
      tags: ['Messages'],
      summary:
        "Post a message: incoming (the contact's), outgoing (a reply, sent to the API inbox's callback) or a private note",
      security,
      middleware: accountAccess({ sql, scope: 'conversations:write' }),
      request: { params: conversationParam, headers: idempotencyHeader, body: jsonBody(createMessageBody) },
      responses: ok('The message'),
    }),
    async (c) => {
      const { id, displayId } = c.req.valid('param');
      const body = c.req.valid('json');
      const convo = found(await conversation(sql, id, displayId));
      if (body.message_type === 'outgoing' || body.private) {
        // A reply or a note is written by the token's user or bot: it needs the reply scope /v1's route needs.
        requireScope(c.get('principal'), 'conversations:reply');
        const input = { accountId: id, displayId, content: body.content, private: body.private };
        const key = await doorKey(
          c,
          temporal,
          (k) => workflows.postOutgoingMessage.id({ accountId: id, displayId, key: k }),
          input,
          body.echo_id && `echo:${body.echo_id}`,
        );
        const { result } = await runWrite(temporal, {
          entry: workflows.postOutgoingMessage,
          key: { accountId: id, displayId, key },
          input: { ...input, actor: actorOf(c.get('principal')) },
          fingerprintOf: input,
          waitMs: workflowWaitMs,
        });
        const stored = found(await message(sql, id, result.message.id));
        return c.json({ ...createdMessageView(stored), ...(body.echo_id && { echo_id: body.echo_id }) }, 200);
      }
      const contact = convo.identifier
        ? { identifier: convo.identifier }
        : convo.email
          ? { email: convo.email }
          : { phone_number: convo.phone_number ?? undefined };
      const input = {
        accountId: id,
        inboxId: convo.inbox_id,
        contact,
        content: body.content,
        sourceId: body.source_id,
        // The conversation of the URL, reopened if resolved or snoozed, as Chatwoot posts into it.
        conversationDisplayId: displayId,
      };
      const natural = body.source_id ? undefined : body.echo_id && `echo:${body.echo_id}`;
      const key = body.source_id
        ? `source:${body.source_id}`
        : await doorKey(
            c,
            temporal,
            (k) => workflows.ingestMessage.id({ accountId: id, inboxId: convo.inbox_id, key: k }),
            input,
            natural,
          );
      const { result } = await runWrite(temporal, {
        entry: workflows.ingestMessage,
        key: { accountId: id, inboxId: convo.inbox_id, key },
        input: { ...input, actor: actorOf(c.get('principal')) },
        fingerprintOf: input,
        waitMs: workflowWaitMs,
      });
      const stored = found(await message(sql, id, result.message.id));
      return c.json({ ...createdMessageView(stored), ...(body.echo_id && { echo_id: body.echo_id }) }, 200);
    },
  );

  return app;
}
