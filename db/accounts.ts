import type { Sql } from './pool.ts';

export interface AccountView {
  id: number;
  name: string;
  locale: string;
  status: 'active' | 'suspended';
  created_at: Date;
}

export async function findAccount(sql: Sql, id: number): Promise<AccountView | undefined> {
  const [row] = await sql<AccountView[]>`
    select id, name, locale, status, created_at from accounts where id = ${id}`;
  return row;
}

/** Every account for a platform token or super admin (`userId` undefined); else the user's memberships. */
export function listAccounts(sql: Sql, q: { userId?: number; before?: number; limit: number }) {
  return sql<AccountView[]>`
    select a.id, a.name, a.locale, a.status, a.created_at from accounts a
     where ${q.userId === undefined ? sql`true` : sql`a.id in (select account_id from account_users where user_id = ${q.userId})`}
       ${q.before ? sql`and a.id < ${q.before}::bigint` : sql``}
     order by a.id desc limit ${q.limit}`;
}
