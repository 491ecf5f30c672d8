import { z } from '@hono/zod-openapi';
import { webhookEvents } from '../config/webhooks.ts';
import { addMemberInput } from '../contracts/members.ts';
import { changeStatusInput } from '../contracts/messages.ts';

export const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { apiAccessToken: [] }];

/** A row id as PostgreSQL (bigint) and JavaScript (safe integers) can both hold it. */
export const rowId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** A query parameter holding a row id: its OpenAPI type is `integer`, as the value it accepts. */
export const queryRowId = () => z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** A path parameter holding a row id. */
export const idParam = (name: string) => queryRowId().openapi({ param: { name, in: 'path' }, example: 1 });

export const accountParam = z.object({ id: idParam('id') });

export const idempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255, { abort: true })
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional()
    .openapi({ description: 'Makes the request safe to retry: the same key always answers with the first result.' }),
});

/** Free-form JSON objects (deploy progress, licence state, deliveries): documented by example, not field by field. */
export const anyObject = z.record(z.string(), z.unknown());

export const role = addMemberInput.shape.role;
export const conversationStatus = changeStatusInput.shape.status;
export const webhookEvent = z.enum(webhookEvents);
export const webhookStatus = z.enum(['enabled', 'disabled']);
export const deliveryStatus = z.enum(['pending', 'delivered', 'dead', 'skipped']);
export const accountStatus = z.enum(['active', 'suspended']);

export const listOf = <T extends z.ZodType>(item: T) => z.object({ payload: z.array(item) });
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    payload: z.array(item),
    meta: z.object({
      next_cursor: z
        .string()
        .nullable()
        .openapi({ description: 'Pass as `cursor` for the next page; null on the last page' }),
    }),
  });

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** The `scopes` a request for a new token names (domain/scopes.ts), each once. */
export const scopesField = <S extends string>(names: readonly [S, ...S[]], description: string) =>
  z
    .array(z.enum(names))
    .min(1)
    .max(names.length)
    .refine((list) => new Set(list).size === list.length, 'must not repeat a scope')
    .optional()
    .openapi({ description });
