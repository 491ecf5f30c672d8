import { z } from '@hono/zod-openapi';

export const provisionAccountBody = z
  .object({
    name: z.string().trim().min(1).max(255).openapi({ example: 'Acme Support' }),
    locale: z.string().min(2).max(10).optional().openapi({ example: 'en' }),
    admin: z.object({
      name: z.string().trim().min(1).max(255).openapi({ example: 'Ada Lovelace' }),
      email: z.string().trim().toLowerCase().email().max(320).openapi({ example: 'ada@acme.test' }),
    }),
  })
  .strict()
  .openapi('ProvisionAccountRequest');

export const provisionedAccount = z
  .object({
    account: z.object({ id: z.number().int(), name: z.string() }),
    admin: z.object({ id: z.number().int(), email: z.string() }),
    accessToken: z
      .string()
      .nullable()
      .openapi({ description: 'The administrator\'s token, shown once: null when the request was a replay of an earlier one.' }),
  })
  .openapi('ProvisionedAccount');

export const account = z
  .object({
    id: z.number().int(),
    name: z.string(),
    locale: z.string(),
    status: z.enum(['active', 'suspended']),
    created_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Account');
