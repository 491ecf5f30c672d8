/** Every deploy attempt (and rollback) to Clever Cloud: the source of "last good commit" and of history. */
export async function up(sql) {
  await sql`
    create table deployments (
      id bigint generated always as identity primary key,
      attempt_key text not null unique,
      workflow_id text not null,
      owner_id text not null,
      app_id text not null,
      commit text not null,
      requested_by text not null,
      clever_deployment_id text,
      post_sent_at timestamptz,
      post_error_status integer,
      states jsonb not null default '[]',
      env_changes jsonb not null default '{}',
      env_before jsonb not null default '{}',
      outcome text not null default 'running' check (outcome in ('running', 'OK', 'FAIL', 'CANCELLED', 'TIMED_OUT')),
      rollback_of bigint references deployments (id),
      requested_at timestamptz not null default now(),
      finished_at timestamptz
    )`;
  await sql`create index deployments_app on deployments (owner_id, app_id, requested_at desc)`;
}

export async function down(sql) {
  await sql`drop table if exists deployments`;
}
