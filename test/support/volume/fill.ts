import type { Sql } from '../../../db/pool.ts';
import { skew, type Shape } from './shape.ts';

/**
 * Fills a freshly migrated database with `shape`'s rows in a few set-based statements (generate_series), as
 * the schema's owner. Each table is a map of column → SQL expression over the series: a column added by a
 * migration is one more entry (a column with a default needs none). Ids are the series' numbers, so the
 * skew is arithmetic: `accountOf(i, n)` spreads n rows over the accounts as `skew` says.
 */
export async function fill(sql: Sql, s: Shape): Promise<void> {
  const [{ n }] = await sql<[{ n: number }]>`select count(*)::int as n from accounts`;
  if (n > 0) throw new Error('fill expects a database without accounts');
  const C = s.conversations;
  const longest = Math.round(s.messages * skew.longestConversation);
  const rest = s.messages - longest;
  const webhooks = Math.ceil(s.accounts / skew.webhookEvery);
  // Interleaved, as real traffic is: the largest account's rows are spread over the whole table, not one block of it.
  const quarter = Math.round(1 / skew.largest);
  const accountOf = (i: string) =>
    `(case when ${i} % ${quarter} = 0 then 1
           when ${i} % ${quarter} = 1 then 2 + (${i} / ${quarter}) % ${skew.nextAccounts}
           else ${2 + skew.nextAccounts} + ${i} % ${s.accounts - 1 - skew.nextAccounts} end)`;
  const ago = (i: string, total: number, span: string) =>
    `now() - (${total} - ${i})::float8 / ${total} * interval '${span}'`;
  // The longest conversation is the largest account's first (id `quarter`); the other messages go round the others.
  const otherIndex = (c: string) => `(case when ${c} < ${quarter} then ${c} - 1 else ${c} - 2 end)`;
  const messagesOf = (c: string) =>
    `(case when ${c} = ${quarter} then ${longest} when ${otherIndex(c)} < ${rest} then (${rest} - 1 - ${otherIndex(c)}) / ${C - 1} + 1 else 0 end)`;

  const insert = (table: string, cols: Record<string, string>, from: string, ids = true) =>
    sql.unsafe(`insert into ${table} (${Object.keys(cols).join(', ')}) ${ids ? 'overriding system value' : ''}
                select ${Object.values(cols).join(', ')} from ${from}`);

  await insert(
    'accounts',
    {
      id: 'a',
      name: `'Account ' || a`,
      premium_features: `'{audit_logs}'`,
      created_at: ago('a', s.accounts, '400 days'),
    },
    `generate_series(1, ${s.accounts}) a`,
  );
  await insert('inboxes', { id: 'a', account_id: 'a', name: `'Inbox ' || a` }, `generate_series(1, ${s.accounts}) a`);
  await insert(
    'contacts',
    {
      id: 'i',
      account_id: accountOf('i'),
      name: `'Contact ' || i`,
      email: `'c' || i || '@example.test'`,
      identifier: `'c' || i`,
    },
    `generate_series(1, ${C}) i`,
  );
  await insert(
    'conversations',
    {
      id: 'i',
      account_id: 'a',
      inbox_id: 'a',
      contact_id: 'i',
      display_id: 'row_number() over (partition by a order by i)',
      // The longest conversation stays open: the append benchmark writes into it.
      status: `case when i = ${quarter} then 'open' else (array['snoozed','pending','resolved','resolved','resolved','resolved','open','open','open','open'])[i % 10 + 1] end`,
      last_message_seq: messagesOf('i'),
      created_at: ago('i', C, '400 days'),
      last_activity_at: ago('i', C, '400 days'),
    },
    `(select i, ${accountOf('i')} as a from generate_series(1, ${C}) i) g`,
  );
  await sql`update accounts a set last_conversation_display_id = c.top
              from (select account_id, max(display_id) as top from conversations group by account_id) c where c.account_id = a.id`;
  const message = (conversation: string, seq: string) => ({
    account_id: `${accountOf(conversation)}`,
    inbox_id: `${accountOf(conversation)}`,
    conversation_id: conversation,
    seq,
    content: `'Message ' || ${seq} || ' of conversation ' || ${conversation} || ': the order has not arrived yet, could you check?'`,
    sender_type: `'Contact'`,
    sender_id: conversation,
  });
  await insert('messages', message(`${quarter}`, 's'), `generate_series(1, ${longest}) s`, false);
  await insert(
    'messages',
    message(
      `(case when j % ${C - 1} + 1 < ${quarter} then j % ${C - 1} + 1 else j % ${C - 1} + 2 end)`,
      `(j / ${C - 1} + 1)`,
    ),
    `generate_series(0, ${rest - 1}) j`,
    false,
  );
  const webhookAccount = (w: string) => `((${w} - 1) * ${skew.webhookEvery} + 1)`;
  await insert(
    'webhooks',
    {
      id: 'w',
      account_id: webhookAccount('w'),
      url: `'http://127.0.0.1:9/hook'`,
      subscriptions: `'{message_created}'`,
      secret: `'bench'`,
      // Disabled: the append benchmark's messages fan out to nothing.
      status: `'disabled'`,
      disabled_reason: `'bench fill'`,
    },
    `generate_series(1, ${webhooks}) w`,
  );
  const D = s.deliveries;
  const webhookOf = `(case when k % ${quarter} = 0 then 1 else 2 + k % ${webhooks - 1} end)`;
  await insert(
    'webhook_deliveries',
    {
      id: `md5('delivery' || k)::uuid`,
      webhook_id: 'w',
      account_id: webhookAccount('w'),
      event: `'message_created'`,
      payload: `jsonb_build_object('event', 'message_created', 'id', k)`,
      status: `case when k > ${D - 5} then 'pending' when k % 20 = 0 then 'dead' when k % 20 = 1 then 'skipped' else 'delivered' end`,
      attempts: `case when k % 20 = 0 then 3 else 1 end`,
      workflow_id: `'delivery:' || md5('delivery' || k)::uuid`,
      source_key: `'ingestMessage:bench:' || k`,
      created_at: ago('k', D, '60 days'),
      finished_at: `case when k > ${D - 5} then null else ${ago('k', D, '60 days')} + interval '1 second' end`,
    },
    `(select k, ${webhookOf} as w from generate_series(1, ${D}) k) g`,
    false,
  );
  await sql`
    insert into webhook_attempts (delivery_id, attempt, status_code, duration_ms, started_at)
    select d.id, n, case when d.status = 'dead' then 503 else 200 end, 40, d.created_at
      from webhook_deliveries d, generate_series(1, d.attempts) n where d.status <> 'pending'`;
  const L = s.deadLetters;
  await insert(
    'dead_letters',
    {
      kind: `case when k % 2 = 0 then 'webhook' else 'deploy' end`,
      workflow_type: `case when k % 2 = 0 then 'deliverWebhook' else 'deployApplication' end`,
      task_queue: `'capstan-core'`,
      workflow_id: `case when k % 2 = 0 then 'delivery:' || md5('dl' || k)::uuid else 'deploy:orga_bench/app' || k % ${Math.max(1, Math.floor(L / 20))} end`,
      run_id: `md5('run' || k)`,
      account_id: accountOf('k'),
      input_redacted: `'[{}]'`,
      input_sealed: `'\\x00'::bytea`,
      failure_type: `case when k % 2 = 0 then 'WebhookAttemptFailed' else 'DeployFailed' end`,
      failure_message: `case when k % 2 = 0 then 'receiver answered 503' else 'deployment ended in FAIL' end`,
      first_failure_at: ago('k', L, '60 days'),
      last_failure_at: ago('k', L, '60 days'),
      web_ui_path: `'/namespaces/default/workflows/bench'`,
      status: `case when k % 10 = 0 then 'discarded' else 'open' end`,
    },
    `generate_series(1, ${L}) k`,
    false,
  );
  await insert(
    'audit_log',
    {
      account_id: accountOf('k'),
      actor_type: `'User'`,
      actor_id: `'1'`,
      action: `'conversation.status_changed'`,
      subject_type: `'Conversation'`,
      subject_id: `(k % 1000)::text`,
      details: `'{"from":"open","to":"resolved"}'`,
      workflow_id: `case when k % 2 = 0 then 'bench:' || k end`,
      created_at: ago('k', s.audit, '400 days'),
    },
    `generate_series(1, ${s.audit}) k`,
    false,
  );
  // One heartbeat an hour for a year and more, for the retention's rate.
  const beats = Math.round(s.audit / 20);
  await insert(
    'licence_heartbeats',
    {
      at: ago('k', beats, '400 days'),
      idempotency_key: `'hb-' || k`,
      attempt: '1',
      outcome: `'confirmed'`,
      latency_ms: '20',
    },
    `generate_series(1, ${beats}) k`,
    false,
  );
  for (const table of ['accounts', 'inboxes', 'contacts', 'conversations', 'webhooks'])
    await sql.unsafe(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`);
}

/**
 * Every table `fill` wrote, emptied for the next size. The cascade empties every table that names an account,
 * access tokens too: the caller issues its token again.
 */
export async function unfill(sql: Sql): Promise<void> {
  await sql`truncate accounts, dead_letters, audit_log, licence_heartbeats, retention_totals restart identity cascade`;
}
