import { z } from '@hono/zod-openapi';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    missing_scope: z
      .string()
      .optional()
      .openapi({ description: "On a 403: the scope the token lacks (or may not grant), as in the token's `scopes`" }),
  })
  .openapi('Problem');

export const problemContent = { 'application/problem+json': { schema: problemSchema } } as const;

/** What a write through a workflow may answer besides its result. */
export const writeAnswers = {
  202: {
    description:
      "Still running after the API's wait: the problem names the workflow; repeat the request with the same Idempotency-Key for the result",
    content: problemContent,
  },
  409: { description: 'Conflicts with existing data', content: problemContent },
} as const;
