import type { Sql, TransactionSql } from './pool.ts';

export interface ContactKeys {
  identifier?: string | null;
  email?: string | null;
  phone_number?: string | null;
}

/**
 * The contact an inbound message names, by any of its keys, the identifier first. Unawaited, so
 * test/api/query-plans.test.ts explains the exact statement the message path runs.
 */
export function contactByKeysQuery(sql: Sql | TransactionSql, accountId: number, k: ContactKeys) {
  return sql<{ id: number }[]>`
    select id from contacts
     where account_id = ${accountId}
       and (identifier = ${k.identifier ?? null} or lower(email) = ${k.email ?? null} or phone_number = ${k.phone_number ?? null})
     order by (identifier = ${k.identifier ?? null}) desc nulls last, id
     limit 1`;
}
