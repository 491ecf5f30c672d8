/**
 * Front-end asset builds: one row per source hash, the one live build (a
 * single-row pointer switched in a transaction) and every switch made.
 */
export async function up(sql) {
  await sql`
    create table asset_builds (
      id serial primary key,
      source_hash text not null unique,
      entries text[] not null,
      status text not null default 'building' check (status in ('building', 'ready', 'deleted')),
      files jsonb not null default '[]',
      manifest jsonb,
      total_bytes bigint not null default 0,
      uploaded_files integer not null default 0,
      uploaded_bytes bigint not null default 0,
      phase_ms jsonb not null default '{}',
      workflow_id text,
      created_at timestamptz not null default now(),
      ready_at timestamptz,
      deleted_at timestamptz,
      -- set once the files only a deleted build used are gone from the origin
      purged_at timestamptz
    )`;
  await sql`
    create table asset_live (
      singleton boolean primary key default true check (singleton),
      build_id integer not null references asset_builds (id),
      switched_at timestamptz not null default now()
    )`;
  await sql`
    create table asset_switches (
      id serial primary key,
      from_build_id integer references asset_builds (id),
      to_build_id integer not null references asset_builds (id),
      reason text not null check (reason in ('build', 'rollback')),
      actor text,
      workflow_id text not null unique,
      switched_at timestamptz not null default now()
    )`;
}

export async function down(sql) {
  await sql`drop table if exists asset_switches`;
  await sql`drop table if exists asset_live`;
  await sql`drop table if exists asset_builds`;
}
