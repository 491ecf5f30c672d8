import { z } from '@hono/zod-openapi';
import { ProblemError } from './problem/index.ts';

/**
 * `?cursor=…&limit=…`. The cursor is the position (id or sequence number) of
 * the last row the client saw: a number, so any cursor the schema allows is one
 * the API can answer.
 */
export const pageQuery = z.object({
  cursor: z
    .string()
    .regex(/^[0-9]{1,15}$/, 'must be a next_cursor this API handed out')
    .optional()
    .openapi({ description: 'The `next_cursor` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export function encodeCursor(position: number): string {
  return String(position);
}

export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const position = Number(cursor);
  if (Number.isSafeInteger(position) && position >= 0) return position;
  throw new ProblemError('validation', 'cursor is not one this API handed out.', {
    errors: [{ field: 'cursor', message: 'invalid cursor' }],
  });
}

/** Rows fetched with limit+1: the extra row only says whether there is a next page. */
export function page<T>(rows: T[], limit: number, position: (row: T) => number) {
  const items = rows.slice(0, limit);
  const next = rows.length > limit ? encodeCursor(position(items[items.length - 1]!)) : null;
  return { payload: items, meta: { next_cursor: next } };
}
