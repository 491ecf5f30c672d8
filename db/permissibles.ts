import type { Sql, TransactionSql } from './pool.ts';

/** What a platform app may act on besides what it makes next: Chatwoot's permissibles. */
export type PermissibleType = 'Account' | 'User';

/** Whether the platform app made this account or user (the operator's app is not asked: it acts on all). */
export async function permits(
  sql: Sql | TransactionSql,
  appId: number,
  type: PermissibleType,
  id: number,
): Promise<boolean> {
  const rows = await sql`
    select 1 from platform_app_permissibles
     where platform_app_id = ${appId} and permissible_type = ${type} and permissible_id = ${id}`;
  return rows.length > 0;
}

/** The ids of everything of this type the platform app made. */
export async function permittedIds(sql: Sql, appId: number, type: PermissibleType): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    select permissible_id::int as id from platform_app_permissibles
     where platform_app_id = ${appId} and permissible_type = ${type}`;
  return rows.map((r) => r.id);
}

/** Records that the platform app made this, in the transaction that made it. */
export async function permit(tx: TransactionSql, appId: number, type: PermissibleType, id: number): Promise<void> {
  await tx`
    insert into platform_app_permissibles (platform_app_id, permissible_type, permissible_id)
    values (${appId}, ${type}, ${id}) on conflict do nothing`;
}

/** The platform app a write acts for, if any, and whether it is the operator's (which acts on everything). */
export async function actingApp(
  sql: Sql | TransactionSql,
  actor: { type: string; id: string },
): Promise<{ id: number; operator: boolean } | undefined> {
  if (actor.type !== 'PlatformApp') return undefined;
  if (!/^\d{1,18}$/.test(actor.id)) return { id: 0, operator: false }; // names no app: it made nothing
  const id = Number(actor.id);
  const [row] = await sql<{ operator: boolean }[]>`select operator from platform_apps where id = ${id}`;
  return { id, operator: row?.operator === true };
}

/** Whether the write's platform app may act on this: no app (a user, the operator's CLI), the operator's, or what it made. */
export async function appMay(
  sql: Sql | TransactionSql,
  app: { id: number; operator: boolean } | undefined,
  type: PermissibleType,
  id: number,
): Promise<boolean> {
  return !app || app.operator || (await permits(sql, app.id, type, id));
}
