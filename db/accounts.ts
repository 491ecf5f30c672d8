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
