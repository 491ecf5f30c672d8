import type { Sql } from './pool.ts';

/** Every status a webhook delivery can have (the check constraint of webhook_deliveries). */
export const deliveryStatuses = ['pending', 'delivered', 'dead', 'skipped'] as const;
/** Every outcome a deploy can have (the check constraint of deployments). */
export const deployOutcomes = ['running', 'OK', 'FAIL', 'CANCELLED', 'TIMED_OUT'] as const;

export async function deliveriesByStatus(sql: Sql): Promise<Map<string, number>> {
  const rows = await sql<{ status: string; count: number }[]>`
    select status, count(*)::int as count from webhook_deliveries group by status`;
  return new Map(rows.map((r) => [r.status, r.count]));
}

export async function deploysByOutcome(sql: Sql): Promise<Map<string, number>> {
  const rows = await sql<{ outcome: string; count: number }[]>`
    select outcome, count(*)::int as count from deployments group by outcome`;
  return new Map(rows.map((r) => [r.outcome, r.count]));
}

/**
 * Connections PostgreSQL holds for this pool's application_name, by state (active, idle, ...).
 * The `postgres` library exposes no pool statistics, so this is the server's view: it counts
 * every process sharing the application name (all API replicas), not this process alone.
 */
export async function connectionsByState(sql: Sql): Promise<Map<string, number>> {
  const rows = await sql<{ state: string | null; count: number }[]>`
    select state, count(*)::int as count from pg_stat_activity
    where application_name = current_setting('application_name') group by state`;
  return new Map(rows.map((r) => [r.state ?? 'unknown', r.count]));
}

/** Webhook attempts by outcome (`succeeded` for a 2xx, else `failed`) and attempt number, capped at `10+`. */
export async function webhookAttemptsByOutcome(
  sql: Sql,
): Promise<{ outcome: string; attempt: string; count: number }[]> {
  return sql<{ outcome: string; attempt: string; count: number }[]>`
    select case when status_code between 200 and 299 then 'succeeded' else 'failed' end as outcome,
           case when attempt >= 10 then '10+' else attempt::text end as attempt,
           count(*)::int as count
    from webhook_attempts group by 1, 2`;
}

/** Finished deploy attempts' durations by outcome, over the last day: count and sum, as a summary. */
export async function deployDurations(sql: Sql): Promise<{ outcome: string; count: number; seconds: number }[]> {
  return sql<{ outcome: string; count: number; seconds: number }[]>`
    select outcome, count(*)::int as count,
           coalesce(sum(extract(epoch from finished_at - requested_at)), 0)::float8 as seconds
    from deployments
    where finished_at is not null and finished_at > now() - interval '1 day'
    group by outcome`;
}
