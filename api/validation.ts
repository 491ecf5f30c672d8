import type { Hook } from '@hono/zod-openapi';
import { fieldErrors, ProblemError } from './problem/index.ts';

/**
 * Every request schema failure answers 422 with one entry per bad field. A
 * missing body does too: the JSON validator reads it as `{}`, which a schema
 * of optional fields (a PATCH) would otherwise accept.
 */
export const validationHook: Hook<unknown, any, any, unknown> = (result, c) => {
  if (result.target === 'json' && !c.req.header('content-type')) {
    throw new ProblemError('validation', 'Send the request body as JSON.', {
      errors: [{ field: '(body)', message: 'required' }],
    });
  }
  if (!result.success) {
    throw new ProblemError('validation', 'Some fields are missing or invalid.', { errors: fieldErrors(result.error) });
  }
};
