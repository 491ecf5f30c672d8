import { createRoute, OpenAPIHono, z, type RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Sql } from '../../db/pool.ts';
import type { UserScope } from '../../domain/scopes.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { jsonBody } from '../common-schemas.ts';
import { ProblemError } from '../problem/index.ts';
import { validationHook } from '../validation.ts';
import {
  accountParam,
  conversationParam,
  found,
  idempotencyHeader,
  inboxParam,
  messageParam,
  ok,
  security,
} from './common.ts';
import type * as In from './pending-inputs.ts';

type Actor = ReturnType<typeof actorOf>;
interface Request {
  params: Record<string, number>;
  body: Record<string, any>;
  query: Record<string, any>;
  actor: Actor;
}

/**
 * A door operation whose behaviour is not on this branch yet: it authorizes, validates, checks the objects in its
 * path exist (404 otherwise), builds its workflow's input, and answers 501 naming `wiresTo`. Wiring it is one
 * line: a `start` that runs `wiresTo` with that input (api/write.ts `runWrite`) and answers Chatwoot's shape.
 */
interface Pending<I> {
  operationId: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  tag: string;
  scope: UserScope;
  admin?: true;
  params: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The workflow (or, for a read, the query) the operation will run. */
  wiresTo: string;
  input: (r: Request) => I;
}
const row = <I>(p: Pending<I>) => p as Pending<unknown>;

const text = z.string().trim().max(255);
const statuses = z.enum(['open', 'resolved', 'pending', 'snoozed']);
const base = (r: Request) => ({ accountId: r.params.id!, actor: r.actor });

export const pending = [
  row<In.UpdateInboxInput>({
    operationId: 'updateInbox',
    method: 'patch',
    path: '/api/v1/accounts/{id}/inboxes/{inboxId}',
    tag: 'Inboxes',
    scope: 'inboxes:manage',
    admin: true,
    params: inboxParam,
    body: z.object({
      name: text.min(1).optional(),
      lock_to_single_conversation: z.boolean().optional(),
      channel: z.object({ webhook_url: z.string().max(2048).optional() }).optional(),
    }),
    wiresTo: 'updateInbox',
    input: (r) => ({
      ...base(r),
      inboxId: r.params.inboxId!,
      name: r.body.name,
      webhookUrl: r.body.channel?.webhook_url,
      lockToSingleConversation: r.body.lock_to_single_conversation,
    }),
  }),
  row<In.CreateConversationInput>({
    operationId: 'newConversation',
    method: 'post',
    path: '/api/v1/accounts/{id}/conversations',
    tag: 'Conversations',
    scope: 'conversations:write',
    params: accountParam,
    body: z.object({
      inbox_id: z.number().int().positive(),
      source_id: text.min(1).optional(),
      contact_id: z.number().int().positive().optional(),
      status: statuses.optional(),
      assignee_id: z.number().int().positive().optional(),
      snoozed_until: z.string().max(64).optional(),
      additional_attributes: z.record(z.string(), z.unknown()).optional(),
      custom_attributes: z.record(z.string(), z.unknown()).optional(),
      message: z.object({ content: z.string().min(1).max(150_000) }).optional(),
    }),
    wiresTo: 'createConversation',
    input: (r) => ({
      ...base(r),
      inboxId: r.body.inbox_id,
      sourceId: r.body.source_id,
      contactId: r.body.contact_id,
      status: r.body.status,
      assigneeId: r.body.assignee_id,
      snoozedUntil: r.body.snoozed_until,
      message: r.body.message,
    }),
  }),
  row<In.UpdateConversationInput>({
    operationId: 'update-conversation',
    method: 'patch',
    path: '/api/v1/accounts/{id}/conversations/{displayId}',
    tag: 'Conversations',
    scope: 'conversations:write',
    params: conversationParam,
    body: z.object({
      priority: z.enum(['urgent', 'high', 'medium', 'low', 'none']).optional(),
      sla_policy_id: z.number().optional(),
    }),
    wiresTo: 'updateConversation',
    input: (r) => ({ ...base(r), displayId: r.params.displayId!, priority: r.body.priority }),
  }),
  row<In.UpdateMessageInput>({
    operationId: 'update-a-message',
    method: 'patch',
    path: '/api/v1/accounts/{id}/conversations/{displayId}/messages/{messageId}',
    tag: 'Messages',
    scope: 'conversations:write',
    params: messageParam,
    body: z.object({
      status: z.enum(['sent', 'delivered', 'read', 'failed']).optional(),
      external_error: z.string().max(2048).optional(),
    }),
    wiresTo: 'updateMessageStatus',
    input: (r) => ({
      ...base(r),
      displayId: r.params.displayId!,
      messageId: r.params.messageId!,
      status: r.body.status,
      externalError: r.body.external_error,
    }),
  }),
  row<In.DeleteMessageInput>({
    operationId: 'delete-a-message',
    method: 'delete',
    path: '/api/v1/accounts/{id}/conversations/{displayId}/messages/{messageId}',
    tag: 'Messages',
    scope: 'conversations:write',
    params: messageParam,
    wiresTo: 'deleteMessage',
    input: (r) => ({ ...base(r), displayId: r.params.displayId!, messageId: r.params.messageId! }),
  }),
];

/** Each object a path names must exist in the account: otherwise 404, as Chatwoot answers. */
async function requireObjects(sql: Sql, p: Record<string, number>) {
  const account = p.id!;
  const checks: Array<PromiseLike<readonly unknown[]>> = [];
  if (p.inboxId) checks.push(sql`select 1 from inboxes where account_id = ${account} and id = ${p.inboxId}`);
  if (p.contactId) checks.push(sql`select 1 from contacts where account_id = ${account} and id = ${p.contactId}`);
  if (p.displayId && !p.messageId)
    checks.push(sql`select 1 from conversations where account_id = ${account} and display_id = ${p.displayId}`);
  if (p.messageId)
    checks.push(sql`
      select 1 from messages m join conversations c on c.id = m.conversation_id
       where c.account_id = ${account} and c.display_id = ${p.displayId ?? 0} and m.id = ${p.messageId}`);
  for (const rows of await Promise.all(checks)) found(rows[0]);
}

export function pendingRoutes({ sql }: { sql: Sql }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  for (const p of pending) {
    const config = createRoute({
      method: p.method,
      path: p.path,
      operationId: p.operationId,
      tags: [p.tag],
      summary: `Not implemented yet (501): will run ${p.wiresTo}`,
      security,
      middleware: accountAccess({ sql, scope: p.scope, ...(p.admin && { roles: ['administrator'] as const }) }),
      request: {
        params: p.params,
        ...(p.query && { query: p.query }),
        ...(p.body && { headers: idempotencyHeader, body: jsonBody(p.body) }),
      },
      responses: { ...ok('Chatwoot’s answer, once wired'), 501: { description: 'Not implemented yet' } },
    } as RouteConfig);
    app.openapi(config, async (c: Context) => {
      const valid = c.req as unknown as { valid(target: string): any };
      const params = valid.valid('param') as Record<string, number>;
      await requireObjects(sql, params);
      const request: Request = {
        params,
        body: p.body ? valid.valid('json') : {},
        query: p.query ? valid.valid('query') : {},
        actor: actorOf(c.get('principal')),
      };
      p.input(request);
      throw new ProblemError('notImplemented', `not implemented yet: ${p.wiresTo}.`, { wires_to: p.wiresTo });
    });
  }
  return app;
}
