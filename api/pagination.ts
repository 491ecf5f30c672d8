import { z } from '@hono/zod-openapi';
import { ProblemError } from './problem/index.ts';

/** `?cursor=…&limit=…`; the cursor is opaque to clients and names the last row they saw. */
export const pageQuery = z.object({
  cursor: z.string().max(200).optional().openapi({ description: 'The `next_cursor` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export function encodeCursor(position: number): string {
  return Buffer.from(JSON.stringify({ p: position })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  try {
    const { p } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { p: unknown };
    if (typeof p === 'number' && Number.isSafeInteger(p) && p >= 0) return p;
  } catch {
    // fall through
  }
  throw new ProblemError('validation', 'cursor is not one this API handed out.', { errors: [{ field: 'cursor', message: 'invalid cursor' }] });
}

/** Rows fetched with limit+1: the extra row only says whether there is a next page. */
export function page<T>(rows: T[], limit: number, position: (row: T) => number) {
  const items = rows.slice(0, limit);
  const next = rows.length > limit ? encodeCursor(position(items[items.length - 1]!)) : null;
  return { payload: items, meta: { next_cursor: next } };
}
