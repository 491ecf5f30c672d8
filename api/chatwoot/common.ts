import { z } from '@hono/zod-openapi';
import { accountParam, idParam, idempotencyHeader } from '../common-schemas.ts';
import { ProblemError } from '../problem/index.ts';

/** The door takes Chatwoot's header only; `Authorization: Bearer` is Capstan's door. */
export const security: Record<string, string[]>[] = [{ api_access_token: [] }];

export { accountParam, idempotencyHeader };
export const userParam = accountParam.extend({ userId: idParam('userId') });
export const inboxParam = accountParam.extend({ inboxId: idParam('inboxId') });
export const webhookParam = accountParam.extend({ webhookId: idParam('webhookId') });
export const contactParam = accountParam.extend({ contactId: idParam('contactId') });
export const conversationParam = accountParam.extend({
  displayId: z.coerce
    .number()
    .int()
    .positive()
    .max(2_147_483_647)
    .openapi({ param: { name: 'displayId', in: 'path' }, example: 1 }),
});
export const messageParam = conversationParam.extend({ messageId: idParam('messageId') });

/** Chatwoot's answers are documented by their fixture (test/fixtures/chatwoot); here, by status. */
export const ok = (description: string) => ({
  200: { description, content: { 'application/json': { schema: z.unknown() } } },
});
export const done = { 200: { description: 'Done (no body)' } };

/** Chatwoot answers 404 `{"error":"Resource could not be found"}` for anything not in the account. */
export function found<T>(row: T | undefined): T {
  if (row === undefined) throw new ProblemError('notFound');
  return row;
}
