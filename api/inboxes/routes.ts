import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import type { Sql } from '../../db/pool.ts';
import type { InboxRecord } from '../../contracts/inboxes.ts';
import { actorOf } from '../actor.ts';
import { requireAccountAccess } from '../auth/index.ts';
import { accountParam, idempotencyHeader, jsonBody, jsonContent, security } from '../common-schemas.ts';
import { commonProblems } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite } from '../write.ts';
import { workflows } from '../../contracts/workflows.ts';

const inbox = z
  .object({ id: z.number().int(), account_id: z.number().int(), name: z.string(), channel_type: z.string(), webhook_url: z.string().nullable() })
  .openapi('Inbox');
const view = (i: InboxRecord) => ({ id: i.id, account_id: i.accountId, name: i.name, channel_type: i.channelType, webhook_url: i.webhookUrl });

export function inboxRoutes({ sql, temporal, workflowWaitMs }: { sql: Sql; temporal: Client; workflowWaitMs: number }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({ method: 'get', path: '/v1/accounts/{id}/inboxes', summary: 'List inboxes', security, request: { params: accountParam }, responses: { 200: jsonContent(z.object({ payload: z.array(inbox) }), 'Inboxes'), ...commonProblems } }),
    async (c) => {
      const { id } = c.req.valid('param');
      requireAccountAccess(c.get('principal'), id);
      const rows = await sql<{ id: number; account_id: number; name: string; channel_type: string; webhook_url: string | null }[]>`
        select id, account_id, name, channel_type, webhook_url from inboxes where account_id = ${id} order by id`;
      return c.json({ payload: rows }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/accounts/{id}/inboxes', summary: 'Create an API-channel inbox (administrators)', security,
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(z.object({ name: z.string().trim().min(1).max(255), webhook_url: z.string().url().max(2048).optional() }).strict()) },
      responses: { 201: jsonContent(inbox, 'Created'), ...commonProblems },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      requireAccountAccess(principal, id, ['administrator']);
      const body = c.req.valid('json');
      const { result } = await runWrite(temporal, {
        entry: workflows.createInbox, key: { accountId: id, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { accountId: id, name: body.name, webhookUrl: body.webhook_url, actor: actorOf(principal) }, waitMs: workflowWaitMs,
      });
      return c.json(view(result), 201);
    },
  );

  return app;
}
