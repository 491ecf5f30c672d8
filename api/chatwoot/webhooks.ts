import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createWebhookInput } from '../../contracts/webhooks.ts';
import { workflows } from '../../contracts/workflows.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { jsonBody } from '../common-schemas.ts';
import { validationHook } from '../validation.ts';
import { findWebhook, listWebhooks } from '../webhooks/queries.ts';
import { createWebhookBody } from '../webhooks/schemas.ts';
import { runWrite, type WriteRouteDeps } from '../write.ts';
import { accountParam, done, found, idempotencyHeader, ok, security, webhookParam } from './common.ts';
import { doorKey } from './idempotency.ts';
import { webhookView } from './views.ts';

const admins = ['administrator'] as const;
/** Capstan's own URL and name rules; `inbox_id` is taken and ignored, as Chatwoot's listener ignores it too. */
const fields = createWebhookBody.omit({ subscriptions: true }).extend({
  subscriptions: createWebhookInput.shape.subscriptions,
  inbox_id: z.number().int().optional(),
});
/** Rails wraps top-level JSON as `webhook`: both `{ webhook: {…} }` and the bare fields are Chatwoot requests. */
const wrapped = <T extends z.ZodObject>(inner: T) =>
  z.preprocess((b) => (b && typeof b === 'object' && 'webhook' in b ? (b as { webhook: unknown }).webhook : b), inner);
const createBody = wrapped(fields.strict());
const updateBody = wrapped(fields.partial().strict());

export function webhookRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const access = accountAccess({ sql, roles: admins, scope: 'webhooks:manage' });
  const answer = async (accountId: number, webhookId: number) => ({
    payload: { webhook: webhookView(found(await findWebhook(sql, accountId, webhookId))) },
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{id}/webhooks',
      operationId: 'list-all-webhooks',
      tags: ['Webhooks'],
      summary: "The account's webhooks (administrators)",
      security,
      middleware: access,
      request: { params: accountParam },
      responses: ok('`{ payload: { webhooks: [webhook] } }`'),
    }),
    async (c) =>
      c.json({ payload: { webhooks: (await listWebhooks(sql, c.req.valid('param').id)).map(webhookView) } }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/accounts/{id}/webhooks',
      operationId: 'create-a-webhook',
      tags: ['Webhooks'],
      summary: 'Subscribe a URL (administrators)',
      security,
      middleware: access,
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(createBody) },
      responses: ok('`{ payload: { webhook } }`'),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { inbox_id: _ignored, ...body } = c.req.valid('json');
      const input = { accountId: id, ...body };
      const key = await doorKey(c, temporal, (k) => workflows.createWebhook.id({ accountId: id, key: k }), input);
      const { result } = await runWrite(temporal, {
        entry: workflows.createWebhook,
        key: { accountId: id, key },
        input: { ...input, actor: actorOf(c.get('principal')) },
        fingerprintOf: input,
        waitMs: workflowWaitMs,
      });
      return c.json(await answer(id, result.id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/accounts/{id}/webhooks/{webhookId}',
      operationId: 'update-a-webhook',
      tags: ['Webhooks'],
      summary: 'Change a webhook (administrators)',
      security,
      middleware: access,
      request: { params: webhookParam, headers: idempotencyHeader, body: jsonBody(updateBody) },
      responses: ok('`{ payload: { webhook } }`'),
    }),
    async (c) => {
      const { id, webhookId } = c.req.valid('param');
      const { inbox_id: _ignored, ...body } = c.req.valid('json');
      found(await findWebhook(sql, id, webhookId));
      const input = { accountId: id, webhookId, ...body };
      const key = await doorKey(
        c,
        temporal,
        (k) => workflows.updateWebhook.id({ accountId: id, webhookId, key: k }),
        input,
      );
      await runWrite(temporal, {
        entry: workflows.updateWebhook,
        key: { accountId: id, webhookId, key },
        input: { ...input, actor: actorOf(c.get('principal')) },
        fingerprintOf: input,
        waitMs: workflowWaitMs,
      });
      return c.json(await answer(id, webhookId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/accounts/{id}/webhooks/{webhookId}',
      operationId: 'delete-a-webhook',
      tags: ['Webhooks'],
      summary: 'Delete a webhook (administrators)',
      security,
      middleware: access,
      request: { params: webhookParam, headers: idempotencyHeader },
      responses: done,
    }),
    async (c) => {
      const { id, webhookId } = c.req.valid('param');
      found(await findWebhook(sql, id, webhookId));
      const key = await doorKey(
        c,
        temporal,
        (k) => workflows.deleteWebhook.id({ accountId: id, webhookId, key: k }),
        {},
      );
      await runWrite(temporal, {
        entry: workflows.deleteWebhook,
        key: { accountId: id, webhookId, key },
        input: { accountId: id, webhookId, actor: actorOf(c.get('principal')) },
        waitMs: workflowWaitMs,
      });
      return c.body(null, 200);
    },
  );

  return app;
}
