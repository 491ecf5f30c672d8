import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createInboxInput } from '../../contracts/inboxes.ts';
import { workflows } from '../../contracts/workflows.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { jsonBody } from '../common-schemas.ts';
import { apiText } from '../text-rules.ts';
import { validationHook } from '../validation.ts';
import { runWrite, type WriteRouteDeps } from '../write.ts';
import { accountParam, found, idempotencyHeader, inboxParam, ok, security } from './common.ts';
import { doorKey } from './idempotency.ts';
import { inboxes } from './queries.ts';
import { inboxView } from './views.ts';

/** Chatwoot's inbox create: Capstan makes API-channel inboxes only, so `channel.type` must be `api`. */
export const createInboxBody = z
  .object({
    name: apiText(createInboxInput.shape.name),
    /** Chatwoot's: an incoming message joins the contact's latest conversation in the inbox, whatever its status. */
    lock_to_single_conversation: z.boolean().optional(),
    channel: z
      .object({
        type: z.literal('api'),
        webhook_url: apiText(createInboxInput.shape.webhookUrl.unwrap(), { blank: true }).optional(),
      })
      .optional(),
  })
  .openapi('ChatwootInboxCreate');

/** Chatwoot's inbox update: the settings the create takes; `channel.webhook_url: null` removes the callback. */
export const updateInboxBody = z
  .object({
    name: apiText(createInboxInput.shape.name).optional(),
    lock_to_single_conversation: z.boolean().optional(),
    channel: z
      .object({
        webhook_url: apiText(createInboxInput.shape.webhookUrl.unwrap(), { blank: true }).nullable().optional(),
      })
      .optional(),
  })
  .openapi('ChatwootInboxUpdate');

export function inboxRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{id}/inboxes',
      operationId: 'listAllInboxes',
      tags: ['Inboxes'],
      summary: "The account's inboxes",
      security,
      middleware: accountAccess({ sql, scope: 'inboxes:read' }),
      request: { params: accountParam },
      responses: ok('`{ payload: [inbox] }`'),
    }),
    async (c) => c.json({ payload: (await inboxes(sql, c.req.valid('param').id)).map(inboxView) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{id}/inboxes/{inboxId}',
      operationId: 'GetInbox',
      tags: ['Inboxes'],
      summary: 'An inbox',
      security,
      middleware: accountAccess({ sql, scope: 'inboxes:read' }),
      request: { params: inboxParam },
      responses: ok('The inbox'),
    }),
    async (c) => {
      const { id, inboxId } = c.req.valid('param');
      return c.json(inboxView(found((await inboxes(sql, id, inboxId))[0])), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/accounts/{id}/inboxes',
      operationId: 'inboxCreation',
      tags: ['Inboxes'],
      summary: 'Create an API-channel inbox (administrators)',
      security,
      middleware: accountAccess({ sql, roles: ['administrator'], scope: 'inboxes:manage' }),
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(createInboxBody) },
      responses: ok('The inbox'),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const input = {
        accountId: id,
        name: body.name,
        webhookUrl: body.channel?.webhook_url || undefined,
        lockToSingleConversation: body.lock_to_single_conversation,
      };
      const key = await doorKey(c, temporal, (k) => workflows.createInbox.id({ accountId: id, key: k }), input);
      const { result } = await runWrite(temporal, {
        entry: workflows.createInbox,
        key: { accountId: id, key },
        input: { ...input, actor: actorOf(c.get('principal')) },
        fingerprintOf: input,
        waitMs: workflowWaitMs,
      });
      // The API channel's signing secret, shown once here as Channel::Api's `secret` (docs/chatwoot-api.md).
      const [{ webhook_secret: secret }] = await sql<[{ webhook_secret: string }]>`
        select webhook_secret from inboxes where id = ${result.id}`;
      return c.json({ ...inboxView(found((await inboxes(sql, id, result.id))[0])), secret }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/accounts/{id}/inboxes/{inboxId}',
      operationId: 'updateInbox',
      tags: ['Inboxes'],
      summary: 'Rename an inbox, change its callback `webhook_url` or its lock_to_single_conversation (administrators)',
      security,
      middleware: accountAccess({ sql, roles: ['administrator'], scope: 'inboxes:manage' }),
      request: { params: inboxParam, headers: idempotencyHeader, body: jsonBody(updateInboxBody) },
      responses: ok('The inbox'),
    }),
    async (c) => {
      const { id, inboxId } = c.req.valid('param');
      const body = c.req.valid('json');
      found((await inboxes(sql, id, inboxId))[0]);
      const url = body.channel?.webhook_url;
      const input = {
        accountId: id,
        inboxId,
        name: body.name,
        webhookUrl: url === undefined ? undefined : url || null,
        lockToSingleConversation: body.lock_to_single_conversation,
      };
      const key = await doorKey(
        c,
        temporal,
        (k) => workflows.updateInbox.id({ accountId: id, inboxId, key: k }),
        input,
      );
      await runWrite(temporal, {
        entry: workflows.updateInbox,
        key: { accountId: id, inboxId, key },
        input: { ...input, actor: actorOf(c.get('principal')) },
        fingerprintOf: input,
        waitMs: workflowWaitMs,
      });
      return c.json(inboxView(found((await inboxes(sql, id, inboxId))[0])), 200);
    },
  );

  return app;
}
