/**
 * Account labels as Chatwoot has them (title, description, color, show_on_sidebar), and labels on
 * contacts. Conversations and contacts keep the titles they carry (Chatwoot's tag list), so a label
 * deleted from the account stays on what it was applied to, as in Chatwoot.
 */
export async function up(sql) {
  await sql`
    create table labels (
      id bigint generated always as identity primary key,
      account_id bigint not null references accounts (id) on delete cascade,
      title text not null check (title ~ '^[[:alnum:]_-]{1,255}$' and title = lower(title)),
      description text check (length(description) <= 1000),
      color text not null default '#1f93ff' check (color ~ '^#[0-9A-Fa-f]{6}$'),
      show_on_sidebar boolean not null default true,
      workflow_id text unique,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (account_id, title)
    )`;
  await sql`alter table contacts add column label_list text[] not null default '{}'`;
}

export async function down(sql) {
  await sql`alter table contacts drop column if exists label_list`;
  await sql`drop table if exists labels`;
}
