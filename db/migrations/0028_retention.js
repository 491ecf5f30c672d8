/**
 * What the retention schedules (workers/schedules.ts, db/retention.ts) need: each table's age index, so a
 * batch finds its oldest rows without reading the table; the open dead letters by workflow id, which a row
 * guarding that id is kept for; and a running total of the rows each target removed (the metric
 * `capstan_retention_rows_deleted_total`), bumped in the statement that deletes them.
 */
export async function up(sql) {
  await sql`create index webhook_deliveries_finished on webhook_deliveries (finished_at) where finished_at is not null`;
  await sql`create index audit_log_created on audit_log (created_at)`;
  await sql`create index dead_letters_open_workflow on dead_letters (workflow_id) where status = 'open'`;
  await sql`
    create table retention_totals (
      target text primary key,
      rows_deleted bigint not null default 0,
      last_pruned_at timestamptz
    )`;
}

export async function down(sql) {
  await sql`drop table if exists retention_totals`;
  await sql`drop index if exists dead_letters_open_workflow`;
  await sql`drop index if exists audit_log_created`;
  await sql`drop index if exists webhook_deliveries_finished`;
}
