/**
 * One circuit breaker per external dependency, shared by every worker process.
 * `recent_failures` holds the failure instants inside the rolling window; the
 * trial lease (holder + expiry) lets exactly one caller probe a half-open breaker.
 */
export async function up(sql) {
  await sql`
    create table breakers (
      name text primary key,
      state text not null default 'closed' check (state in ('closed', 'open', 'half_open')),
      recent_failures timestamptz[] not null default '{}',
      opened_at timestamptz,
      half_open_at timestamptz,
      trial_holder text,
      trial_expires_at timestamptz,
      last_failure text,
      last_failure_at timestamptz,
      failures_total bigint not null default 0,
      opened_total bigint not null default 0,
      trials_total bigint not null default 0,
      refused_total bigint not null default 0,
      updated_at timestamptz not null default now()
    )`;
}

export async function down(sql) {
  await sql`drop table if exists breakers`;
}
