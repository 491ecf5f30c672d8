import { beforeAll, describe, expect, it } from 'vitest';
import { auditLogQuery } from '../../api/accounts/audit-log.ts';
import { conversationByDisplayId, conversationsQuery, messagesQuery } from '../../api/conversations/queries.ts';
import { deliveriesQuery } from '../../api/webhooks/queries.ts';
import { listAccounts } from '../../db/accounts.ts';
import { contactByKeysQuery, contactsQuery } from '../../db/contacts.ts';
import { listDeadLetters } from '../../db/dead-letters.ts';
import { factsOf, type Facts } from '../support/volume/facts.ts';
import { fill } from '../support/volume/fill.ts';
import { largeTableRows, planShape } from '../support/volume/shape.ts';
import { useStack } from '../support/stack.ts';

// A database of its own, filled as bench:scale fills size S (shape.ts, planShape, says how and why).
const stack = useStack({ ownDatabase: true, worker: false });
let facts: Facts;

beforeAll(async () => {
  await fill(stack.ownerSql, planShape);
  await stack.ownerSql`analyze`;
  facts = await factsOf(stack.sql);
  large = new Set(
    (
      await stack.ownerSql<{ relname: string }[]>`
      select relname from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace and reltuples >= ${largeTableRows}`
    ).map((r) => r.relname),
  );
});

let large: Set<string>;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}
const nodesOf = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodesOf)];

/** The plan PostgreSQL picks for the exact statement the API runs, with the same parameters. */
async function planOf(query: PromiseLike<unknown>): Promise<PlanNode[]> {
  const [row] = await stack.sql<[{ 'QUERY PLAN': [{ Plan: PlanNode }] }]>`explain (format json) ${query as never}`;
  return nodesOf(row!['QUERY PLAN'][0].Plan);
}

// The largest account holds a quarter of the rows, spread over the table: walking the primary key backwards finds
// its page as fast as its own index does, and the planner may take either.
const auditIndexes = ['audit_log_account_id', 'audit_log_pkey'];
const deliveryIndexes = ['webhook_deliveries_webhook_seq', 'webhook_deliveries_seq_key'];
const page = 26; // the routes ask for limit + 1
const cases: Array<[string, () => PromiseLike<unknown>, string[]]> = [
  [
    'conversations by status, first page',
    () => conversationsQuery(stack.sql, { accountId: facts.accountId, status: 'snoozed', limit: page }),
    ['conversations_account_status'],
  ],
  [
    'conversations by status, deep cursor',
    () =>
      conversationsQuery(stack.sql, {
        accountId: facts.accountId,
        status: 'snoozed',
        before: facts.cursors.snoozed,
        limit: page,
      }),
    ['conversations_account_status'],
  ],
  [
    'the conversation a message page names',
    () => conversationByDisplayId(stack.sql, facts.accountId, facts.conversation),
    ['conversations_account_id_display_id_key'],
  ],
  [
    'messages of the longest conversation, deep cursor',
    () =>
      messagesQuery(stack.sql, { conversationId: facts.conversationId, after: facts.cursors.messages, limit: page }),
    ['messages_conversation_id_seq_key'],
  ],
  [
    "the message path's contact lookup",
    () => contactByKeysQuery(stack.sql, facts.accountId, { identifier: facts.contactIdentifier }),
    ['uniq_identifier_per_account_contact'],
  ],
  [
    'contact search',
    () => contactsQuery(stack.sql, { accountId: facts.accountId, q: facts.contactSearch, limit: page }),
    ['contacts_name_trgm', 'contacts_email_trgm', 'contacts_identifier_trgm'],
  ],
  [
    'dead-letter text search',
    () => listDeadLetters(stack.sql, { q: facts.search, limit: page }),
    ['dead_letters_search'],
  ],
  ['audit log, first page', () => auditLogQuery(stack.sql, { accountId: facts.accountId, limit: page }), auditIndexes],
  [
    'audit log, deep cursor',
    () => auditLogQuery(stack.sql, { accountId: facts.accountId, before: facts.cursors.audit, limit: page }),
    auditIndexes,
  ],
  [
    "a webhook's deliveries, deep cursor",
    () => deliveriesQuery(stack.sql, { webhookId: facts.webhookId, before: facts.cursors.deliveries, limit: page }),
    deliveryIndexes,
  ],
  [
    "the platform's account list, deep cursor",
    () => listAccounts(stack.sql, { before: facts.cursors.accounts, limit: page }),
    ['accounts_pkey'],
  ],
];

describe('the plans of the reads bench:scale measures, on a database shaped like size S', () => {
  it.each(cases)('%s reads through an index, never a whole table', async (_, query, indexes) => {
    const nodes = await planOf(query());
    const scanned = nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']!);
    expect(scanned.filter((table) => large.has(table))).toEqual([]);
    expect(large.has('conversations') && large.has('messages'), [...large].join(' ')).toBe(true);
    const used = nodes.map((n) => n['Index Name']).filter(Boolean);
    expect(used.filter((i) => indexes.includes(i!))).not.toEqual([]);
  });
});

describe('the contact search, a union of one page per column', () => {
  it('reads a rare term from each column’s trigram index, not by walking the account’s contacts', async () => {
    const nodes = await planOf(
      contactsQuery(stack.sql, { accountId: facts.accountId, q: facts.contactSearch, limit: page }),
    );
    const used = nodes.map((n) => n['Index Name']);
    expect(used).toEqual(
      expect.arrayContaining(['contacts_name_trgm', 'contacts_email_trgm', 'contacts_identifier_trgm']),
    );
    // The account's page index only fetches the matched ids' rows; it is never walked.
    const walks = nodes.filter(
      (n) => n['Index Name'] === 'contacts_account_page' && !/\bid = /.test(n['Index Cond'] ?? ''),
    );
    expect(walks).toEqual([]);
  });

  it('finds the rows the or of the four patterns finds, in the same order, with and without a cursor', async () => {
    const orOfFour = (q: string, before?: number) => stack.sql<{ id: number }[]>`
      select id from contacts where account_id = ${facts.accountId} ${before ? stack.sql`and id < ${before}` : stack.sql``}
         and (name ilike ${`%${q}%`} or email ilike ${`%${q}%`} or phone_number ilike ${`%${q}%`} or identifier ilike ${`%${q}%`})
       order by id desc limit ${page}`;
    const ids = (rows: { id: number }[]) => rows.map((r) => Number(r.id));
    const common = await orOfFour('example');
    expect(common).toHaveLength(page);
    const middle = Number(common[page - 1]!.id);
    for (const [q, before] of [
      [facts.contactSearch, undefined],
      ['EXAMPLE', undefined],
      ['example', middle],
      ['Contact 1', undefined],
      ['c1', middle],
      ['no such contact', undefined],
    ] as const) {
      const union = await contactsQuery(stack.sql, { accountId: facts.accountId, q, before, limit: page });
      expect(ids(union), `${q} before ${before}`).toEqual(ids(await orOfFour(q, before)));
    }
    expect(
      ids(await contactsQuery(stack.sql, { accountId: facts.accountId, q: facts.contactSearch, limit: page })),
    ).toHaveLength(1);
  });
});
