/**
 * `capstan_app`, the role the API and workers connect as: it reads and writes rows
 * and nothing more — no superuser, no CREATE anywhere, no DDL on Capstan's tables,
 * which stay the owner's (migrations run as the owner). Created without LOGIN: the
 * migration step (db/migrate.ts) gives it its password, which lives with the
 * installation's secrets, never in a migration. A role belongs to the whole
 * cluster, so databases of one cluster (the tests') share it and each grants its own.
 */
export async function up(sql) {
  await sql`
    do $$ begin
      create role capstan_app nologin nosuperuser nocreatedb nocreaterole noreplication nobypassrls;
    exception when duplicate_object or unique_violation then
      null; -- made by another database of this cluster (or by its administrator beforehand)
    end $$`;
  await sql`do $$ begin execute format('grant connect on database %I to capstan_app', current_database()); end $$`;
  // PostgreSQL 14 and older let everyone create in `public`; 15 and later already do not.
  await sql`revoke create on schema public from public`;
  await sql`grant usage on schema public to capstan_app`;
  await sql`grant select, insert, update, delete on all tables in schema public to capstan_app`;
  await sql`grant usage, select on all sequences in schema public to capstan_app`;
  // ley's ledger of applied migrations is the owner's business.
  await sql`revoke all on table migrations from capstan_app`;
  // Tables and sequences later migrations create (as this same owner) are the role's to use too.
  await sql`alter default privileges in schema public grant select, insert, update, delete on tables to capstan_app`;
  await sql`alter default privileges in schema public grant usage, select on sequences to capstan_app`;
}

export async function down(sql) {
  await sql`alter default privileges in schema public revoke all on sequences from capstan_app`;
  await sql`alter default privileges in schema public revoke all on tables from capstan_app`;
  await sql`revoke all on all sequences in schema public from capstan_app`;
  await sql`revoke all on all tables in schema public from capstan_app`;
  await sql`revoke usage on schema public from capstan_app`;
  await sql`do $$ begin execute format('revoke connect on database %I from capstan_app', current_database()); end $$`;
  // Another database of the cluster may still grant it something: then it stays, for that database.
  await sql`
    do $$ begin
      drop role if exists capstan_app;
    exception when dependent_objects_still_exist then
      raise notice 'capstan_app is still granted rights in another database: kept';
    end $$`;
}
