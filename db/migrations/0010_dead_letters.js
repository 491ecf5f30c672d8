/**
 * Work that ended for good: one row per failed run, written by the dead-letter
 * interceptor (workflows/dead-letters.ts). The input is kept twice: redacted for
 * people to read, and sealed by the payload codec (what a retry starts with).
 */
export async function up(sql) {
  await sql`
    create table dead_letters (
      id bigint generated always as identity primary key,
      kind text not null,
      workflow_type text not null,
      task_queue text not null,
      workflow_id text not null,
      run_id text not null,
      account_id bigint,
      app_id text,
      business_ids jsonb not null default '{}',
      input_redacted jsonb not null,
      input_sealed bytea not null,
      failure_type text not null,
      failure_message text not null,
      attempts integer not null default 1,
      first_failure_at timestamptz not null default now(),
      last_failure_at timestamptz not null default now(),
      web_ui_path text not null,
      status text not null default 'open' check (status in ('open', 'retried', 'discarded')),
      retried_by text,
      retried_at timestamptz,
      retry_claimed_by text,
      retry_workflow_id text,
      retry_run_id text,
      discard_reason text,
      discarded_by text,
      discarded_at timestamptz,
      -- Ids split into words (deploy:orga/app-1 → deploy orga app 1); queries are split the same way (db/dead-letters.ts).
      search tsvector generated always as (
        to_tsvector('simple', translate(failure_type || ' ' || failure_message || ' ' || workflow_id || ' ' || kind, ':/_-.', '     '))
      ) stored,
      unique (run_id)
    )`;
  await sql`create index dead_letters_search on dead_letters using gin (search)`;
  await sql`create index dead_letters_open on dead_letters (kind, last_failure_at desc) where status = 'open'`;
  await sql`create index dead_letters_account on dead_letters (account_id, id)`;
  await sql`create index dead_letters_age on dead_letters (last_failure_at)`;
}

export async function down(sql) {
  await sql`drop table if exists dead_letters`;
}
