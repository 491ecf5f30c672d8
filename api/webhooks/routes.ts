import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import {
  accountParam,
  anyObject,
  idempotencyHeader,
  jsonBody,
  jsonContent,
  listOf,
  pageOf,
  security,
} from '../common-schemas.ts';
import { decodeCursor, page } from '../pagination.ts';
import { ProblemError } from '../problem/index.ts';
import { writeAnswers } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite, type WriteRouteDeps } from '../write.ts';
import { workflows } from '../../contracts/workflows.ts';
import { findDelivery, findWebhook, listDeliveries, listWebhooks } from './queries.ts';
import {
  createWebhookBody,
  deliveriesQuery,
  deliveryLinks,
  deliveryParam,
  updateWebhookBody,
  webhook,
  webhookLinks,
  webhookParam,
} from './schemas.ts';

const admins = ['administrator'] as const;

export function webhookRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const load = async (accountId: number, webhookId: number) => {
    const found = await findWebhook(sql, accountId, webhookId);
    if (!found) throw new ProblemError('notFound', `Webhook ${webhookId} does not exist in account ${accountId}.`);
    return found;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/webhooks',
      operationId: 'listWebhooks',
      summary: 'List webhooks (administrators)',
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'webhooks:manage' }),
      request: { params: accountParam },
      responses: { 200: jsonContent(listOf(webhook), 'Webhooks') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json({ payload: await listWebhooks(sql, id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/webhooks',
      operationId: 'createWebhook',
      summary: 'Subscribe a URL to events (administrators)',
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'webhooks:manage' }),
      description:
        'Capstan generates the secret. URLs that resolve to loopback, private or link-local addresses are refused unless WEBHOOK_ALLOWED_RANGES allows them.',
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(createWebhookBody) },
      responses: {
        201: { ...jsonContent(webhook, 'Subscribed'), links: webhookLinks },
        ...writeAnswers,
        409: { description: 'This URL is already subscribed' },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      const { result } = await runWrite(temporal, {
        entry: workflows.createWebhook,
        key: { accountId: id, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { accountId: id, ...c.req.valid('json'), actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      return c.json(await load(id, result.id), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/webhooks/{webhookId}',
      operationId: 'getWebhook',
      summary: 'Read a webhook (administrators)',
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'webhooks:manage' }),
      request: { params: webhookParam },
      responses: { 200: jsonContent(webhook, 'The webhook'), 404: { description: 'No such webhook' } },
    }),
    async (c) => {
      const { id, webhookId } = c.req.valid('param');
      return c.json(await load(id, webhookId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/accounts/{id}/webhooks/{webhookId}',
      operationId: 'updateWebhook',
      summary: 'Change or re-enable a webhook (administrators)',
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'webhooks:manage' }),
      request: { params: webhookParam, body: jsonBody(updateWebhookBody) },
      responses: { 200: jsonContent(webhook, 'Changed'), ...writeAnswers, 404: { description: 'No such webhook' } },
    }),
    async (c) => {
      const { id, webhookId } = c.req.valid('param');
      const principal = c.get('principal');
      await runWrite(temporal, {
        entry: workflows.updateWebhook,
        key: { accountId: id, webhookId, key: keyOrFresh(undefined) },
        input: { accountId: id, webhookId, ...c.req.valid('json'), actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      return c.json(await load(id, webhookId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/accounts/{id}/webhooks/{webhookId}',
      operationId: 'deleteWebhook',
      summary: 'Delete a webhook (administrators)',
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'webhooks:manage' }),
      request: { params: webhookParam },
      responses: { 204: { description: 'Deleted' }, ...writeAnswers, 404: { description: 'No such webhook' } },
    }),
    async (c) => {
      const { id, webhookId } = c.req.valid('param');
      const principal = c.get('principal');
      await load(id, webhookId);
      await runWrite(temporal, {
        entry: workflows.deleteWebhook,
        key: { accountId: id, webhookId, key: keyOrFresh(undefined) },
        input: { accountId: id, webhookId, actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/webhooks/{webhookId}/deliveries',
      operationId: 'listDeliveries',
      summary: 'List deliveries, newest first (administrators)',
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'webhooks:manage' }),
      request: { params: webhookParam, query: deliveriesQuery },
      responses: {
        200: { ...jsonContent(pageOf(anyObject), 'A page'), links: deliveryLinks },
        404: { description: 'No such webhook' },
      },
    }),
    async (c) => {
      const { id, webhookId } = c.req.valid('param');
      await load(id, webhookId);
      const q = c.req.valid('query');
      const rows = await listDeliveries(sql, {
        webhookId,
        status: q.status,
        before: decodeCursor(q.cursor),
        limit: q.limit + 1,
      });
      return c.json(
        page(rows, q.limit, (r) => r.seq),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/webhooks/{webhookId}/deliveries/{deliveryId}',
      operationId: 'getDelivery',
      summary: 'A delivery with every attempt (administrators)',
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'webhooks:manage' }),
      request: { params: deliveryParam },
      responses: { 200: jsonContent(anyObject, 'The delivery'), 404: { description: 'No such delivery' } },
    }),
    async (c) => {
      const { id, webhookId, deliveryId } = c.req.valid('param');
      const found = await findDelivery(sql, id, webhookId, deliveryId);
      if (!found) throw new ProblemError('notFound', `Delivery ${deliveryId} does not exist.`);
      return c.json(found, 200);
    },
  );

  return app;
}
