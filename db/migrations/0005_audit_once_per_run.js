/** A workflow run records each action once, however often its activity is retried. */
export async function up(sql) {
  await sql`create unique index audit_log_once_per_run on audit_log (workflow_id, action) where workflow_id is not null`;
}

export async function down(sql) {
  await sql`drop index if exists audit_log_once_per_run`;
}
