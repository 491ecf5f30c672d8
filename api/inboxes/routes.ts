import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import type { Sql } from '../../db/pool.ts';
import { createInboxInput, type InboxRecord } from '../../contracts/inboxes.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { accountParam, idempotencyHeader, jsonBody, jsonContent, listOf, security } from '../common-schemas.ts';
import { writeAnswers } from '../problem/schema.ts';
import { apiText } from '../text-rules.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite } from '../write.ts';
import { workflows } from '../../contracts/workflows.ts';

const inbox = z
  .object({
    id: z.number().int(),
    account_id: z.number().int(),
    name: z.string(),
    channel_type: z.string(),
    webhook_url: z.string().nullable(),
    lock_to_single_conversation: z.boolean(),
  })
  .openapi('Inbox');
const createInboxBody = z
  .object({
    name: apiText(createInboxInput.shape.name),
    webhook_url: apiText(createInboxInput.shape.webhookUrl.unwrap(), { blank: true }).optional(),
    lock_to_single_conversation: z.boolean().optional().openapi({
      description:
        "Chatwoot's: a contact's incoming messages always join its latest conversation, reopening it when resolved (default false: a resolved conversation stays closed and a new one starts)",
    }),
  })
  .strict()
  .openapi('CreateInboxRequest');
const inboxLinks = {
  PostMessage: {
    operationId: 'postInboundMessage',
    parameters: { id: '$request.path.id', inboxId: '$response.body#/id' },
  },
  ListConversations: {
    operationId: 'listConversations',
    parameters: { id: '$request.path.id', inbox_id: '$response.body#/id' },
  },
};
const view = (i: InboxRecord) => ({
  id: i.id,
  account_id: i.accountId,
  name: i.name,
  channel_type: i.channelType,
  webhook_url: i.webhookUrl,
  lock_to_single_conversation: i.lockToSingleConversation,
});

export function inboxRoutes({ sql, temporal, workflowWaitMs }: { sql: Sql; temporal: Client; workflowWaitMs: number }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/inboxes',
      operationId: 'listInboxes',
      summary: 'List inboxes',
      security,
      middleware: accountAccess({ sql, scope: 'inboxes:read' }),
      request: { params: accountParam },
      responses: { 200: jsonContent(listOf(inbox), 'Inboxes') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const rows = await sql<
        {
          id: number;
          account_id: number;
          name: string;
          channel_type: string;
          webhook_url: string | null;
          lock_to_single_conversation: boolean;
        }[]
      >`
        select id, account_id, name, channel_type, webhook_url, lock_to_single_conversation
          from inboxes where account_id = ${id} order by id`;
      return c.json({ payload: rows }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/inboxes',
      operationId: 'createInbox',
      summary: 'Create an API-channel inbox (administrators)',
      security,
      middleware: accountAccess({ sql, roles: ['administrator'], scope: 'inboxes:manage' }),
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(createInboxBody) },
      responses: { 201: { ...jsonContent(inbox, 'Created'), links: inboxLinks }, ...writeAnswers },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      const body = c.req.valid('json');
      const { result } = await runWrite(temporal, {
        entry: workflows.createInbox,
        key: { accountId: id, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: {
          accountId: id,
          name: body.name,
          webhookUrl: body.webhook_url,
          lockToSingleConversation: body.lock_to_single_conversation,
          actor: actorOf(principal),
        },
        waitMs: workflowWaitMs,
      });
      return c.json(view(result), 201);
    },
  );

  return app;
}
