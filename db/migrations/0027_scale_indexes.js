/**
 * Indexes the data-volume benchmark (bench/scale) showed the reads need, each in the order its query pages
 * (test/api/query-plans.test.ts asserts the plans use them):
 * - a status filter walks only its status, newest display id first;
 * - an account's audit log and a webhook's deliveries page by id and seq: the created_at indexes they replace
 *   served no query, yet every write paid for them.
 */
export async function up(sql) {
  await sql`create index conversations_account_status on conversations (account_id, status, display_id desc)`;
  await sql`create index audit_log_account_id on audit_log (account_id, id desc)`;
  await sql`drop index audit_log_account`;
  await sql`create index webhook_deliveries_webhook_seq on webhook_deliveries (webhook_id, seq desc)`;
  await sql`drop index webhook_deliveries_webhook`;
}

export async function down(sql) {
  await sql`create index if not exists webhook_deliveries_webhook on webhook_deliveries (webhook_id, created_at desc)`;
  await sql`drop index if exists webhook_deliveries_webhook_seq`;
  await sql`create index if not exists audit_log_account on audit_log (account_id, created_at desc)`;
  await sql`drop index if exists audit_log_account_id`;
  await sql`drop index if exists conversations_account_status`;
}
