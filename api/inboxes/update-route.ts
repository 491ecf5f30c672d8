import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createInboxInput } from '../../contracts/inboxes.ts';
import { workflows } from '../../contracts/workflows.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { idempotencyHeader, jsonBody, jsonContent, security } from '../common-schemas.ts';
import { inboxParam } from '../conversations/schemas.ts';
import { ProblemError } from '../problem/index.ts';
import { writeAnswers } from '../problem/schema.ts';
import { apiText } from '../text-rules.ts';
import { validationHook } from '../validation.ts';
import { webhookUrl } from '../webhooks/schemas.ts';
import { keyOrFresh, runWrite, type WriteRouteDeps } from '../write.ts';
import { inbox, view } from './routes.ts';

const updateInboxBody = z
  .object({
    name: apiText(createInboxInput.shape.name).optional(),
    webhook_url: webhookUrl(createInboxInput.shape.webhookUrl.unwrap())
      .nullable()
      .optional()
      .openapi({ description: "The API channel's callback; null removes it. Checked against the SSRF rules" }),
    lock_to_single_conversation: z.boolean().optional(),
  })
  .strict()
  .openapi('UpdateInboxRequest');

/** The same `updateInbox` workflow as Chatwoot's PATCH …/inboxes/{id}. */
export function inboxUpdateRoute({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/accounts/{id}/inboxes/{inboxId}',
      operationId: 'updateInbox',
      summary: 'Rename an inbox, change or remove its callback, or its lock_to_single_conversation (administrators)',
      security,
      middleware: accountAccess({ sql, roles: ['administrator'], scope: 'inboxes:manage' }),
      request: { params: inboxParam, headers: idempotencyHeader, body: jsonBody(updateInboxBody) },
      responses: {
        200: jsonContent(inbox, 'Updated'),
        ...writeAnswers,
        404: { description: 'No such inbox in this account' },
      },
    }),
    async (c) => {
      const { id, inboxId } = c.req.valid('param');
      const body = c.req.valid('json');
      const [found] = await sql`select 1 from inboxes where id = ${inboxId} and account_id = ${id}`;
      if (!found) throw new ProblemError('notFound', `Inbox ${inboxId} does not exist in account ${id}.`);
      const { result } = await runWrite(temporal, {
        entry: workflows.updateInbox,
        key: { accountId: id, inboxId, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: {
          accountId: id,
          inboxId,
          name: body.name,
          webhookUrl: body.webhook_url,
          lockToSingleConversation: body.lock_to_single_conversation,
          actor: actorOf(c.get('principal')),
        },
        waitMs: workflowWaitMs,
      });
      return c.json(view(result), 200);
    },
  );
  return app;
}
