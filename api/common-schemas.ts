import { z } from '@hono/zod-openapi';

export const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { apiAccessToken: [] }];

export const accountParam = z.object({
  id: z.coerce.number().int().positive().max(2 ** 53 - 1).openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});

export const idempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional()
    .openapi({ description: 'Makes the request safe to retry: the same key always answers with the first result.' }),
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
