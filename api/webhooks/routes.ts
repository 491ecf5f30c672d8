import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import { webhookEvents } from '../../config/webhooks.ts';
import type { Sql } from '../../db/pool.ts';
import { actorOf } from '../actor.ts';
import { requireAccountAccess } from '../auth/index.ts';
import { accountParam, idempotencyHeader, jsonBody, jsonContent, security } from '../common-schemas.ts';
import { decodeCursor, page, pageQuery } from '../pagination.ts';
import { ProblemError } from '../problem/index.ts';
import { commonProblems } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite } from '../write.ts';
import { workflows } from '../../contracts/workflows.ts';
import { findDelivery, findWebhook, listDeliveries, listWebhooks } from './queries.ts';

const event = z.enum(webhookEvents);
const webhook = z
  .object({
    id: z.number().int(), account_id: z.number().int(), name: z.string().nullable(), url: z.string(), subscriptions: z.array(z.string()),
    status: z.enum(['enabled', 'disabled']), disabled_reason: z.string().nullable(),
    secret: z.string().openapi({ description: 'HMAC key of X-Capstan-Signature' }),
  })
  .openapi('Webhook');
const webhookParam = accountParam.extend({ webhookId: z.coerce.number().int().positive().openapi({ param: { name: 'webhookId', in: 'path' } }) });
const deliveryParam = webhookParam.extend({ deliveryId: z.string().uuid().openapi({ param: { name: 'deliveryId', in: 'path' } }) });
const admins = ['administrator'] as const;
const anyObject = z.record(z.string(), z.unknown());

export function webhookRoutes({ sql, temporal, workflowWaitMs }: { sql: Sql; temporal: Client; workflowWaitMs: number }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const load = async (accountId: number, webhookId: number) => {
    const found = await findWebhook(sql, accountId, webhookId);
    if (!found) throw new ProblemError('notFound', `Webhook ${webhookId} does not exist in account ${accountId}.`);
    return found;
  };

  app.openapi(
    createRoute({ method: 'get', path: '/v1/accounts/{id}/webhooks', summary: 'List webhooks (administrators)', security, request: { params: accountParam }, responses: { 200: jsonContent(z.object({ payload: z.array(webhook) }), 'Webhooks'), ...commonProblems } }),
    async (c) => {
      const { id } = c.req.valid('param');
      requireAccountAccess(c.get('principal'), id, admins);
      return c.json({ payload: await listWebhooks(sql, id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/accounts/{id}/webhooks', summary: 'Subscribe a URL to events (administrators)', security,
      description: 'Capstan generates the secret. URLs that resolve to loopback, private or link-local addresses are refused unless WEBHOOK_ALLOWED_RANGES allows them.',
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(z.object({ url: z.string().url().max(2048), name: z.string().trim().max(255).optional(), subscriptions: z.array(event).min(1) }).strict()) },
      responses: { 201: jsonContent(webhook, 'Subscribed'), ...commonProblems, 409: { description: 'This URL is already subscribed' } },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      requireAccountAccess(principal, id, admins);
      const { result } = await runWrite(temporal, {
        entry: workflows.createWebhook, key: { accountId: id, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { accountId: id, ...c.req.valid('json'), actor: actorOf(principal) }, waitMs: workflowWaitMs,
      });
      return c.json(await load(id, result.id), 201);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/accounts/{id}/webhooks/{webhookId}', summary: 'Read a webhook (administrators)', security, request: { params: webhookParam }, responses: { 200: jsonContent(webhook, 'The webhook'), ...commonProblems, 404: { description: 'No such webhook' } } }),
    async (c) => {
      const { id, webhookId } = c.req.valid('param');
      requireAccountAccess(c.get('principal'), id, admins);
      return c.json(await load(id, webhookId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch', path: '/v1/accounts/{id}/webhooks/{webhookId}', summary: 'Change or re-enable a webhook (administrators)', security,
      request: { params: webhookParam, body: jsonBody(z.object({ url: z.string().url().max(2048).optional(), name: z.string().trim().max(255).optional(), subscriptions: z.array(event).min(1).optional(), enabled: z.boolean().optional() }).strict()) },
      responses: { 200: jsonContent(webhook, 'Changed'), ...commonProblems, 404: { description: 'No such webhook' } },
    }),
    async (c) => {
      const { id, webhookId } = c.req.valid('param');
      const principal = c.get('principal');
      requireAccountAccess(principal, id, admins);
      await runWrite(temporal, { entry: workflows.updateWebhook, key: { accountId: id, webhookId, key: keyOrFresh(undefined) }, input: { accountId: id, webhookId, ...c.req.valid('json'), actor: actorOf(principal) }, waitMs: workflowWaitMs });
      return c.json(await load(id, webhookId), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'delete', path: '/v1/accounts/{id}/webhooks/{webhookId}', summary: 'Delete a webhook (administrators)', security, request: { params: webhookParam }, responses: { 204: { description: 'Deleted' }, ...commonProblems, 404: { description: 'No such webhook' } } }),
    async (c) => {
      const { id, webhookId } = c.req.valid('param');
      const principal = c.get('principal');
      requireAccountAccess(principal, id, admins);
      await load(id, webhookId);
      await runWrite(temporal, { entry: workflows.deleteWebhook, key: { accountId: id, webhookId, key: keyOrFresh(undefined) }, input: { accountId: id, webhookId, actor: actorOf(principal) }, waitMs: workflowWaitMs });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/accounts/{id}/webhooks/{webhookId}/deliveries', summary: 'List deliveries, newest first (administrators)', security,
      request: { params: webhookParam, query: pageQuery.extend({ status: z.enum(['pending', 'delivered', 'dead', 'skipped']).optional() }) },
      responses: { 200: jsonContent(z.object({ payload: z.array(anyObject), meta: z.object({ next_cursor: z.string().nullable() }) }), 'A page'), ...commonProblems },
    }),
    async (c) => {
      const { id, webhookId } = c.req.valid('param');
      requireAccountAccess(c.get('principal'), id, admins);
      await load(id, webhookId);
      const q = c.req.valid('query');
      const rows = await listDeliveries(sql, { webhookId, status: q.status, before: decodeCursor(q.cursor), limit: q.limit + 1 });
      return c.json(page(rows, q.limit, (r) => r.seq), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/accounts/{id}/webhooks/{webhookId}/deliveries/{deliveryId}', summary: 'A delivery with every attempt (administrators)', security, request: { params: deliveryParam }, responses: { 200: jsonContent(anyObject, 'The delivery'), ...commonProblems, 404: { description: 'No such delivery' } } }),
    async (c) => {
      const { id, webhookId, deliveryId } = c.req.valid('param');
      requireAccountAccess(c.get('principal'), id, admins);
      const found = await findDelivery(sql, id, webhookId, deliveryId);
      if (!found) throw new ProblemError('notFound', `Delivery ${deliveryId} does not exist.`);
      return c.json(found, 200);
    },
  );

  return app;
}
