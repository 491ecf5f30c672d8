/** The installation's identity, its licence, every heartbeat, and the premium features each account has. */
export async function up(sql) {
  await sql`
    create table installation (
      singleton boolean primary key default true check (singleton),
      id uuid not null default gen_random_uuid(),
      created_at timestamptz not null default now()
    )`;
  await sql`
    create table licences (
      id bigint generated always as identity primary key,
      key text not null,
      kid text not null,
      claims jsonb not null,
      installed_by text not null,
      installed_at timestamptz not null default now(),
      superseded_at timestamptz
    )`;
  await sql`create unique index one_current_licence on licences ((superseded_at is null)) where superseded_at is null`;
  await sql`
    create table licence_heartbeats (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      idempotency_key text not null,
      attempt integer not null,
      outcome text not null check (outcome in ('confirmed', 'failed')),
      server_status text check (server_status in ('active', 'suspended', 'revoked')),
      http_status integer,
      latency_ms integer not null,
      error text,
      server_time timestamptz
    )`;
  await sql`create index licence_heartbeats_at on licence_heartbeats (at desc)`;
  await sql`alter table accounts add column premium_features text[] not null default '{}'`;
}

export async function down(sql) {
  await sql`alter table accounts drop column if exists premium_features`;
  await sql`drop table if exists licence_heartbeats, licences, installation`;
}
