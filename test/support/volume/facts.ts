import type { Sql } from '../../../db/pool.ts';
import { DEPTH } from './shape.ts';

/** Where the measured queries look after a fill: the largest account's things, and cursors DEPTH into each list. */
export interface Facts {
  accountId: number;
  inboxId: number;
  webhookId: number;
  /** The longest conversation: its row id, its display id, and the identifier of its contact (who writes into it). */
  conversationId: number;
  conversation: number;
  contactIdentifier: string;
  /** A contact search that matches one contact (its email), at every size. */
  contactSearch: string;
  /** A dead-letter search whose matches stay few at every size: one deploy app's failures. */
  search: string;
  cursors: { snoozed: number; messages: number; audit: number; deliveries: number; accounts: number };
}

const at = async (sql: Sql, list: string): Promise<number> => {
  const [row] = await sql.unsafe<[{ v: number }]>(
    `select v::int as v from (${list}) l(v) offset (select floor(count(*) * ${DEPTH}) from (${list}) c) limit 1`,
  );
  return row!.v;
};

export async function factsOf(sql: Sql): Promise<Facts> {
  const [c] = await sql<
    [{ id: number; display_id: number; last_message_seq: number; identifier: string; account_id: number }]
  >`
    select c.id, c.display_id, c.last_message_seq, ct.identifier, c.account_id
      from conversations c join contacts ct on ct.id = c.contact_id order by c.last_message_seq desc limit 1`;
  const account = c!.account_id;
  const [w] = await sql<[{ id: number }]>`
    select webhook_id as id from webhook_deliveries where account_id = ${account} group by webhook_id order by count(*) desc limit 1`;
  return {
    accountId: account,
    inboxId: account,
    webhookId: w!.id,
    conversationId: c!.id,
    conversation: c!.display_id,
    contactIdentifier: c!.identifier,
    contactSearch: `${c!.identifier}@example`,
    search: 'app7',
    cursors: {
      snoozed: await at(
        sql,
        `select display_id from conversations where account_id = ${account} and status = 'snoozed' order by display_id desc`,
      ),
      messages: Math.floor(c!.last_message_seq * DEPTH),
      audit: await at(sql, `select id from audit_log where account_id = ${account} order by id desc`),
      deliveries: await at(sql, `select seq from webhook_deliveries where webhook_id = ${w!.id} order by seq desc`),
      accounts: await at(sql, `select id from accounts order by id desc`),
    },
  };
}
