import { beforeAll, describe, expect, it } from 'vitest';
import { auditLogQuery } from '../../api/accounts/audit-log.ts';
import { conversationByDisplayId, conversationsQuery, messagesQuery } from '../../api/conversations/queries.ts';
import { deliveriesQuery } from '../../api/webhooks/queries.ts';
import { listAccounts } from '../../db/accounts.ts';
import { contactByKeysQuery, contactsQuery } from '../../db/contacts.ts';
import { listDeadLetters } from '../../db/dead-letters.ts';
import { factsOf, type Facts } from '../support/volume/facts.ts';
import { fill } from '../support/volume/fill.ts';
import { scaled, sizeS } from '../support/volume/shape.ts';
import { useStack } from '../support/stack.ts';

// A database of its own, filled as bench:scale fills size S, at a quarter of it but for the accounts and dead
// letters (cheap to fill): below a few thousand rows reading a table whole is cheaper, and the planner rightly does.
const stack = useStack({ ownDatabase: true, worker: false });
let facts: Facts;

beforeAll(async () => {
  await fill(stack.ownerSql, { ...scaled(0.25), accounts: sizeS.accounts, deadLetters: sizeS.deadLetters });
  await stack.ownerSql`analyze`;
  facts = await factsOf(stack.sql);
  large = new Set(
    (
      await stack.ownerSql<{ relname: string }[]>`
      select relname from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace and reltuples >= ${LARGE}`
    ).map((r) => r.relname),
  );
});

/** A table this size is never read whole; a smaller one (users, inboxes) the planner may rightly scan. */
const LARGE = 2_000;
let large: Set<string>;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
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
    // Today the planner takes the account's page index and filters every contact of the account (docs/scale.md,
    // "What remains"): no whole-table read, but a cost that grows with the account.
    ['contacts_account_page', 'contacts_name_trgm', 'contacts_email_trgm', 'contacts_identifier_trgm'],
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
