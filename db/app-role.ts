import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';

/** The role the API and workers connect as (db/migrations/0018_app_role.js): rows only, no DDL, no superuser. */
export const APP_ROLE = 'capstan_app';

/** A password for the app role: URL-safe, so it sits in a connection string as it is. */
export function newAppRolePassword(): string {
  return randomBytes(24).toString('base64url');
}

/** The owner's connection string with the app role and its password in place of the owner's credentials. */
export function appRoleUrl(ownerUrl: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = encodeURIComponent(password);
  return url.toString();
}

/** The app role's password in a connection string that names it; anything else is a configuration mistake. */
export function appRolePasswordIn(appUrl: string): string {
  const url = new URL(appUrl);
  if (decodeURIComponent(url.username) !== APP_ROLE || !url.password)
    throw new Error(`the application's DATABASE_URL must connect as ${APP_ROLE} with a password`);
  return decodeURIComponent(url.password);
}

/** Lets the app role sign in with this password; run by the owner, after the migration that made the role. */
export async function enableAppRole(sql: postgres.Sql, password: string): Promise<void> {
  const [row] = await sql<{ statement: string }[]>`
    select format('alter role %I with login password %L', ${APP_ROLE}::text, ${password}::text) as statement`;
  await sql.unsafe(row!.statement);
}

/** What the connected role may do beyond rows: each is a right the application must not hold. */
export async function excessRights(sql: postgres.Sql): Promise<string[]> {
  const [row] = await sql<
    {
      user: string;
      rolsuper: boolean;
      rolcreatedb: boolean;
      rolcreaterole: boolean;
      create_in_public: boolean;
      owns_tables: boolean;
    }[]
  >`
    select current_user as user, rolsuper, rolcreatedb, rolcreaterole,
           has_schema_privilege('public', 'CREATE') as create_in_public,
           exists (select 1 from pg_tables where schemaname = 'public' and tableowner = current_user) as owns_tables
      from pg_roles where rolname = current_user`;
  const rights = {
    superuser: row!.rolsuper,
    'CREATE DATABASE': row!.rolcreatedb,
    'CREATE ROLE': row!.rolcreaterole,
    'CREATE in schema public': row!.create_in_public,
    'the ownership of tables (DDL on them)': row!.owns_tables,
  };
  return Object.entries(rights)
    .filter(([, held]) => held)
    .map(([right]) => `${row!.user} holds ${right}`);
}
