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

/** Every account (`only` undefined: a platform token or a super admin), or just the accounts in `only`. */
export function listAccounts(sql: Sql, q: { only?: readonly number[]; before?: number; limit: number }) {
  return sql<AccountView[]>`
    select id, name, locale, status, created_at from accounts
     where ${q.only === undefined ? sql`true` : sql`id = any(${q.only as number[]}::bigint[])`}
       ${q.before ? sql`and id < ${q.before}::bigint` : sql``}
     order by id desc limit ${q.limit}`;
}
