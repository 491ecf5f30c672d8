/**
 * Outgoing messages and the API channel's callback:
 * - messages get Chatwoot's `status` (sent, delivered, read, failed), `external_error` and `private`;
 * - an inbox gets the secret its callback deliveries are signed with (kept readable, as webhook secrets
 *   are: an HMAC key must be); inboxes made before get one now;
 * - a delivery goes to an account webhook or to an inbox's `webhook_url`, and may name the message whose
 *   status it decides.
 */
const randomSecret = `translate(encode(decode(replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''), 'hex'), 'base64'), '+/=', '-_')`;

export async function up(sql) {
  await sql`
    alter table messages
      add column status text not null default 'sent' check (status in ('sent', 'delivered', 'read', 'failed')),
      add column external_error text,
      add column private boolean not null default false`;
  // A volatile default: every existing row gets its own value, and so does every inbox made later.
  await sql.unsafe(`alter table inboxes add column webhook_secret text not null default ${randomSecret}`);
  await sql`
    alter table webhook_deliveries
      alter column webhook_id drop not null,
      add column inbox_id bigint references inboxes (id) on delete cascade,
      add column message_id bigint references messages (id) on delete cascade,
      add constraint webhook_deliveries_one_target check ((webhook_id is null) <> (inbox_id is null))`;
  await sql`create index webhook_deliveries_inbox on webhook_deliveries (inbox_id, created_at desc) where inbox_id is not null`;
}

export async function down(sql) {
  await sql`delete from webhook_deliveries where inbox_id is not null`;
  await sql`drop index if exists webhook_deliveries_inbox`;
  await sql`
    alter table webhook_deliveries
      drop constraint if exists webhook_deliveries_one_target,
      drop column if exists message_id,
      drop column if exists inbox_id,
      alter column webhook_id set not null`;
  await sql`alter table inboxes drop column if exists webhook_secret`;
  await sql`alter table messages drop column if exists private, drop column if exists external_error, drop column if exists status`;
}
