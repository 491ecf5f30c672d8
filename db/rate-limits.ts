import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { Sql } from './pool.ts';

export interface RateLimitOptions {
  /** Requests allowed per window. */
  points: number;
  durationSeconds: number;
  keyPrefix: string;
}

/**
 * A limiter whose counters live in PostgreSQL, so every API replica draws on
 * the same budget. rate-limiter-flexible speaks node-postgres' `query({ text,
 * values })`; this adapts the pool to it. The table is made by a migration
 * (an unlogged one: counters need no crash safety), not at run time.
 */
export function postgresRateLimiter(sql: Sql, options: RateLimitOptions): RateLimiterPostgres {
  const storeClient = {
    query: async ({ text, values }: { text: string; values?: unknown[] }) => {
      // The limiter's few statements never change: prepared once per connection, not parsed on every request.
      const rows = await sql.unsafe(text, (values ?? []) as never[], { prepare: true });
      return { rows: [...rows], rowCount: rows.count };
    },
  };
  return new RateLimiterPostgres({
    storeClient,
    storeType: 'pool',
    tableName: 'rate_limits',
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix: options.keyPrefix,
    points: options.points,
    duration: options.durationSeconds,
  });
}

/** Deletes the counters whose window has ended (`expire` is in ms since the epoch); how many went. */
export async function deleteExpiredRateLimits(sql: Sql): Promise<number> {
  const deleted = await sql`
    delete from rate_limits where expire is not null and expire < (extract(epoch from now()) * 1000)::bigint`;
  return deleted.count;
}
