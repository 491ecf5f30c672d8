import type { Sql, TransactionSql } from './pool.ts';

type Db = Sql | TransactionSql;

import type { ContactRecord } from '../domain/contact.ts';

export type { ContactRecord };

interface ContactRow {
  id: number;
  account_id: number;
  name: string;
  email: string | null;
  phone_number: string | null;
  identifier: string | null;
  avatar_url: string | null;
  blocked: boolean;
  additional_attributes: Record<string, unknown>;
  custom_attributes: Record<string, unknown>;
  last_activity_at: Date | null;
  created_at: Date;
}

const record = (r: ContactRow): ContactRecord => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  email: r.email,
  phoneNumber: r.phone_number,
  identifier: r.identifier,
  avatarUrl: r.avatar_url,
  blocked: r.blocked,
  additionalAttributes: r.additional_attributes,
  customAttributes: r.custom_attributes,
  lastActivityAt: r.last_activity_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

/** Every column a contact is shown with; its last activity is its conversations' latest (conversations_contact index). */
const columns = (sql: Db) => sql`
  ct.id, ct.account_id, ct.name, ct.email, ct.phone_number, ct.identifier, ct.avatar_url, ct.blocked,
  ct.additional_attributes, ct.custom_attributes, ct.created_at,
  (select max(c.last_activity_at) from conversations c where c.contact_id = ct.id) as last_activity_at`;

export async function findContact(sql: Db, accountId: number, contactId: number): Promise<ContactRecord | undefined> {
  const [row] = await sql<ContactRow[]>`
    select ${columns(sql)} from contacts ct where ct.account_id = ${accountId} and ct.id = ${contactId}`;
  return row && record(row);
}

/** `%`, `_` and `\` taken literally by `like`. */
const literal = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

const searched = ['name', 'email', 'phone_number', 'identifier'] as const;

/**
 * A page of an account's contacts, newest first, before the id `before`; with `q`, those whose name, email,
 * phone number or identifier contains it, case-insensitive. The search is a union of one page per column: the
 * planner serves each from that column's trigram index when the term is rare and walks the account's page
 * index when it is common, where an `or` of the four made it walk every contact of the account (docs/scale.md).
 * The page of the union of per-column pages is the page of the union: the same rows in the same order.
 * Unawaited: test/api/query-plans.test.ts explains it.
 */
export function contactsQuery(sql: Db, q: { accountId: number; q?: string; before?: number; limit: number }) {
  const before = q.before ? sql`and id < ${q.before}::bigint` : sql``;
  if (q.q === undefined)
    return sql<ContactRow[]>`
      select ${columns(sql)} from contacts ct
       where ct.account_id = ${q.accountId} ${before}
       order by ct.id desc limit ${q.limit}`;
  return sql<ContactRow[]>`
    select ${columns(sql)} from contacts ct
     where ct.account_id = ${q.accountId} and ct.id in (${matchingIds(sql, q.accountId, q.q, { before: q.before, limit: q.limit })})
     order by ct.id desc limit ${q.limit}`;
}

/** The union of each searched column's matches (its first `limit`, when given): one trigram index read each. */
function matchingIds(sql: Db, accountId: number, term: string, page?: { before?: number; limit: number }) {
  const pattern = `%${literal(term)}%`;
  const before = page?.before ? sql`and id < ${page.before}::bigint` : sql``;
  return searched
    .map(
      (column) => sql`(select id from contacts where account_id = ${accountId} ${before}
                          and ${sql(column)} ilike ${pattern} ${page ? sql`order by id desc limit ${page.limit}` : sql``})`,
    )
    .reduce((all, one) => sql`${all} union ${one}`);
}

/** How many of the account's contacts a search matches (Chatwoot's `meta.count`), by the same union. */
export async function countContacts(sql: Sql, q: { accountId: number; q?: string }): Promise<number> {
  if (q.q === undefined) {
    const [row] = await sql<{ count: number }[]>`
      select count(*)::int as count from contacts where account_id = ${q.accountId}`;
    return row!.count;
  }
  const term = q.q;
  return sql.begin(async (tx) => {
    await tx`set local plan_cache_mode = force_custom_plan`;
    const [row] = await tx<{ count: number }[]>`
      select count(*)::int as count from (${matchingIds(tx, q.accountId, term)}) matched`;
    return row!.count;
  });
}

export async function listContacts(
  sql: Sql,
  q: { accountId: number; q?: string; before?: number; limit: number },
): Promise<ContactRecord[]> {
  if (q.q === undefined) return (await contactsQuery(sql, q)).map(record);
  // Planned for its term every time: the generic plan PostgreSQL moves a prepared statement to after five runs
  // cannot see how rare the term is and walks the account's contacts (at 10×S: 9 ms a search instead of 0.3).
  return sql.begin(async (tx) => {
    await tx`set local plan_cache_mode = force_custom_plan`;
    return (await contactsQuery(tx, q)).map(record);
  });
}

/**
 * The contact an inbound message names, by any of its keys, the identifier first. Unawaited, so
 * test/api/query-plans.test.ts explains the exact statement the message path runs.
 */
export function contactByKeysQuery(
  sql: Db,
  accountId: number,
  k: { identifier?: string | null; email?: string | null; phone_number?: string | null },
) {
  return sql<{ id: number }[]>`
    select id from contacts
     where account_id = ${accountId}
       and (identifier = ${k.identifier ?? null} or lower(email) = ${k.email ?? null} or phone_number = ${k.phone_number ?? null})
     order by (identifier = ${k.identifier ?? null}) desc nulls last, id
     limit 1`;
}
