import type { Hook } from '@hono/zod-openapi';
import { fieldErrors, ProblemError } from './problem/index.ts';

/** Every request schema failure answers 422 with one entry per bad field. */
export const validationHook: Hook<unknown, any, any, unknown> = (result) => {
  if (!result.success) {
    throw new ProblemError('validation', 'Some fields are missing or invalid.', { errors: fieldErrors(result.error) });
  }
};
