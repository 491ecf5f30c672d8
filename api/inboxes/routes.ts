import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import type { Sql } from '../../db/pool.ts';
import { createInboxInput, type InboxRecord } from '../../contracts/inboxes.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { accountParam, idempotencyHeader, jsonBody, jsonContent, listOf, security } from '../common-schemas.ts';
import { writeAnswers } from '../problem/schema.ts';
import { apiText } from '../text-rules.ts';
import { webhookUrl } from '../webhooks/schemas.ts';
import { inboxParam } from '../conversations/schemas.ts';
import { ProblemError } from '../problem/index.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite } from '../write.ts';
import { workflows } from '../../contracts/workflows.ts';

export const inbox = z
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
    webhook_url: webhookUrl(createInboxInput.shape.webhookUrl.unwrap()).optional().openapi({
      description:
        "The API channel's callback: every public outgoing message is POSTed there, signed with the inbox's secret",
    }),
    lock_to_single_conversation: z.boolean().optional().openapi({
      description:
        "Chatwoot's: a contact's incoming messages always join its latest conversation, reopening it when resolved (default false: a resolved conversation stays closed and a new one starts)",
    }),
  })
  .strict()
  .openapi('CreateInboxRequest');
const secret = z.string().openapi({
  description:
    "HMAC key of the callback's X-Capstan-Signature. Shown here only: keep it, or rotate it (`rotateInboxSecret`).",
});
const createdInbox = inbox.extend({ webhook_secret: secret }).openapi('CreatedInbox');
const rotatedSecret = z
  .object({ id: z.number().int(), webhook_secret: secret, rotated_at: z.string() })
  .openapi('InboxSecret');
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
export const view = (i: InboxRecord) => ({
  id: i.id,
  account_id: i.accountId,
  name: i.name,
  channel_type: i.channelType,
  webhook_url: i.webhookUrl,
  lock_to_single_conversation: i.lockToSingleConversation,
});

export function inboxRoutes({ sql, temporal, workflowWaitMs }: { sql: Sql; temporal: Client; workflowWaitMs: number }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const secretOf = async (inboxId: number) => {
    const [row] = await sql<{ webhook_secret: string }[]>`select webhook_secret from inboxes where id = ${inboxId}`;
    return row!.webhook_secret;
  };

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
      responses: { 201: { ...jsonContent(createdInbox, 'Created'), links: inboxLinks }, ...writeAnswers },
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
      return c.json({ ...view(result), webhook_secret: await secretOf(result.id) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/inboxes/{inboxId}/rotate_secret',
      operationId: 'rotateInboxSecret',
      summary: "Replace an inbox's callback secret (administrators)",
      description: 'The new secret signs every callback attempt from now on, retries of older deliveries included.',
      security,
      middleware: accountAccess({ sql, roles: ['administrator'], scope: 'inboxes:manage' }),
      request: { params: inboxParam, headers: idempotencyHeader },
      responses: {
        200: jsonContent(rotatedSecret, 'The new secret'),
        ...writeAnswers,
        404: { description: 'No such inbox in this account' },
      },
    }),
    async (c) => {
      const { id, inboxId } = c.req.valid('param');
      const [found] = await sql`select 1 from inboxes where id = ${inboxId} and account_id = ${id}`;
      if (!found) throw new ProblemError('notFound', `Inbox ${inboxId} does not exist in account ${id}.`);
      const { result } = await runWrite(temporal, {
        entry: workflows.rotateInboxSecret,
        key: { accountId: id, inboxId, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { accountId: id, inboxId, actor: actorOf(c.get('principal')) },
        waitMs: workflowWaitMs,
      });
      return c.json({ id: inboxId, webhook_secret: await secretOf(inboxId), rotated_at: result.rotatedAt }, 200);
    },
  );

  return app;
}
