import { z } from '@hono/zod-openapi';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export const problemContent = { 'application/problem+json': { schema: problemSchema } } as const;

/** The error answers every authenticated route can give. */
export const commonProblems = {
  401: { description: 'Missing, unknown or revoked token', content: problemContent },
  403: { description: 'The token may not do this', content: problemContent },
  422: { description: 'Invalid fields', content: problemContent },
} as const;
