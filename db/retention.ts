import type { Sql } from './pool.ts';

/**
 * Each table a retention schedule prunes, and which of its rows are past retention at `before`. A row that
 * still deduplicates work is never one of them (docs/scale.md, "Retention"):
 * - a delivery is removed once finished, and never while an open dead letter names its workflow or the run
 *   that made it (a retry of either starts that workflow id again and presents the delivery id);
 * - an audit row with a once-per-run key is never removed while an open dead letter names its workflow id;
 * - the time floor (Temporal's namespace retention and a day) is the workflow's: see workflows/retention.ts.
 */
export const retentionTargets = {
  webhook_deliveries: {
    table: 'webhook_deliveries',
    past: `finished_at < $1 and not exists (
             select 1 from dead_letters l where l.status = 'open' and l.workflow_id in (t.workflow_id, t.source_key))`,
  },
  audit_log: {
    table: 'audit_log',
    past: `created_at < $1 and (workflow_id is null or not exists (
             select 1 from dead_letters l where l.status = 'open' and l.workflow_id = t.workflow_id))`,
  },
  dead_letters: { table: 'dead_letters', past: 'last_failure_at < $1' },
  licence_heartbeats: { table: 'licence_heartbeats', past: 'at < $1' },
} as const;

export type RetentionTarget = keyof typeof retentionTargets;
export const retentionTargetNames = Object.keys(retentionTargets) as RetentionTarget[];

/**
 * Deletes up to `batch` rows of `target` past retention at `before`, by their physical address: each batch is
 * one short statement (its own transaction), so no lock is held for longer than `batch` rows take. A delivery's
 * attempts go with it (on delete cascade). The target's running total grows in the same statement.
 */
export async function pruneBatch(sql: Sql, target: RetentionTarget, before: Date, batch: number): Promise<number> {
  const { table, past } = retentionTargets[target];
  const [row] = await sql.unsafe<[{ n: number }]>(
    `with gone as (
       delete from ${table} where ctid = any(array(select t.ctid from ${table} t where ${past} limit $2)) returning 1),
     counted as (
       insert into retention_totals as r (target, rows_deleted, last_pruned_at)
       select $3, count(*), now() from gone
       on conflict (target) do update set rows_deleted = r.rows_deleted + excluded.rows_deleted,
                                          last_pruned_at = excluded.last_pruned_at)
     select count(*)::int as n from gone`,
    [before.toISOString(), batch, target],
  );
  return row!.n;
}

/** Rows each target has removed since the installation began: the metric `capstan_retention_rows_deleted_total`. */
export async function retentionTotals(sql: Sql): Promise<Map<string, number>> {
  const rows = await sql<{ target: string; rows: number }[]>`select target, rows_deleted as rows from retention_totals`;
  return new Map(rows.map((r) => [r.target, r.rows]));
}
