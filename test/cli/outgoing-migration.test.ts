import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.ts';

const stack = useStack({ ownDatabase: true, worker: false });
type Step = (sql: unknown) => Promise<void>;
// Migrations are plain JavaScript for ley: loaded by URL, typed here.
const migration = new URL('../../db/migrations/0020_outgoing_messages.js', import.meta.url).href;

const columns = async (table: string) =>
  (
    await stack.ownerSql<{ column_name: string }[]>`
      select column_name from information_schema.columns where table_name = ${table} order by column_name`
  ).map((r) => r.column_name);

describe('migration 0020 (outgoing messages)', () => {
  it('goes down and up again: callback deliveries go with it, every inbox gets a secret of its own', async () => {
    const [account] = await stack.ownerSql<{ id: number }[]>`insert into accounts (name) values ('m20') returning id`;
    const inboxes = await stack.ownerSql<{ id: number; webhook_secret: string }[]>`
      insert into inboxes (account_id, name, webhook_url) values (${account!.id}, 'a', 'http://127.0.0.1:1/x'), (${account!.id}, 'b', null)
      returning id, webhook_secret`;
    expect(new Set(inboxes.map((i) => i.webhook_secret)).size).toBe(2);

    const { up, down } = (await import(migration)) as { up: Step; down: Step };
    await stack.ownerSql.begin((tx) => down(tx));
    expect(await columns('messages')).not.toContain('status');
    expect(await columns('inboxes')).not.toContain('webhook_secret');
    expect(await columns('webhook_deliveries')).not.toContain('inbox_id');

    await stack.ownerSql.begin((tx) => up(tx));
    expect(await columns('messages')).toEqual(expect.arrayContaining(['status', 'external_error', 'private']));
    const secrets = await stack.ownerSql<{ webhook_secret: string }[]>`
      select webhook_secret from inboxes where account_id = ${account!.id}`;
    expect(secrets).toHaveLength(2);
    for (const { webhook_secret } of secrets) expect(webhook_secret).toMatch(/^[\w-]{43}$/);
    expect(secrets[0]!.webhook_secret).not.toBe(secrets[1]!.webhook_secret);
  });
});
