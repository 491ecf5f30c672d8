import { describe, expect, it } from 'vitest';
import { newAccount, newInbox } from '../support/fixtures.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });

describe('inbound messages', () => {
  it('the first message creates the contact and conversation; later ones join it', async () => {
    const account = await newAccount(stack, 'msg');
    const inboxId = await newInbox(account);
    const path = `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`;
    const contact = { email: `${unique('ana')}@example.test`, name: 'Ana Lima' };

    const first = await account.api('POST', path, { body: { contact, content: 'Where is my order?' } });
    const second = await account.api('POST', path, {
      body: { contact: { email: contact.email.toUpperCase() }, content: 'Any news?' },
    });

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ seq: 1, conversation_id: 1, content: 'Where is my order?' });
    expect(second.body).toMatchObject({ seq: 2, conversation_id: 1, contact_id: first.body.contact_id });
    const conversation = await account.api('GET', `/v1/accounts/${account.accountId}/conversations/1`);
    expect(conversation.body).toMatchObject({
      id: 1,
      status: 'open',
      messages_count: 2,
      meta: { sender: { name: 'Ana Lima', type: 'contact' } },
    });
  });

  it("numbers conversations per account, as Chatwoot's display_id", async () => {
    const account = await newAccount(stack, 'display');
    const inboxId = await newInbox(account);
    const path = `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`;
    const ids = [];
    for (const who of ['a', 'b', 'c']) {
      const res = await account.api('POST', path, { body: { contact: { identifier: unique(who) }, content: 'hello' } });
      ids.push(res.body.conversation_id);
    }
    expect(ids).toEqual([1, 2, 3]);
  });

  it('50 concurrent messages get distinct gap-free numbers while a sequential poster keeps its order', async () => {
    const account = await newAccount(stack, 'burst');
    const inboxId = await newInbox(account);
    const path = `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`;
    const contact = { identifier: unique('burst') };
    await account.api('POST', path, { body: { contact, content: 'opening' } });

    const sequential: number[] = [];
    const poster = (async () => {
      for (let i = 0; i < 10; i++) {
        const res = await account.api('POST', path, { body: { contact, content: `in order ${i}` } });
        expect(res.status).toBe(201);
        sequential.push(res.body.seq);
      }
    })();
    const burst = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        account.api('POST', path, { body: { contact, content: `burst ${i}`, source_id: unique(`b${i}`) } }),
      ),
    );
    await poster;

    expect(burst.every((r) => r.status === 201)).toBe(true);
    expect(sequential).toEqual([...sequential].sort((a, b) => a - b));
    const all = [1, ...sequential, ...burst.map((r) => r.body.seq)].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 61 }, (_, i) => i + 1));

    const rows = await stack.sql`
      select m.seq, m.content from messages m join conversations c on c.id = m.conversation_id
       where c.account_id = ${account.accountId} order by m.seq`;
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 61 }, (_, i) => i + 1));
    const inOrder = rows.filter((r) => r.content.startsWith('in order')).map((r) => r.content);
    expect(inOrder).toEqual(Array.from({ length: 10 }, (_, i) => `in order ${i}`));
  });

  it('a repeated source_id yields one message, even when the repeats race', async () => {
    const account = await newAccount(stack, 'dedupe');
    const inboxId = await newInbox(account);
    const path = `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`;
    const body = { contact: { phone_number: '+5511999990000' }, content: 'only once', source_id: unique('wamid') };

    const answers = await Promise.all(Array.from({ length: 5 }, () => account.api('POST', path, { body })));
    const later = await account.api('POST', path, { body });

    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(new Set([...answers, later].map((a) => a.body.id)).size).toBe(1);
    expect(later.status).toBe(200);
    const rows = await stack.sql`select id from messages where inbox_id = ${inboxId} and source_id = ${body.source_id}`;
    expect(rows).toHaveLength(1);
  });

  it('refuses bad input with field errors and stores nothing', async () => {
    const account = await newAccount(stack, 'bad');
    const inboxId = await newInbox(account);
    const path = `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`;

    const noContact = await account.api('POST', path, { body: { contact: {}, content: 'hi' } });
    expect(noContact.status).toBe(422);
    expect(noContact.body.errors[0].message).toMatch(/identifier, email or phone_number/);
    expect((await account.api('POST', path, { body: { contact: { email: 'a@b.test' }, content: '' } })).status).toBe(
      422,
    );
    expect(
      (
        await account.api('POST', `/v1/accounts/${account.accountId}/inboxes/999999/messages`, {
          body: { contact: { email: 'a@b.test' }, content: 'hi' },
        })
      ).status,
    ).toBe(404);
    const rows = await stack.sql`select id from messages where account_id = ${account.accountId}`;
    expect(rows).toHaveLength(0);
  });

  it('pages conversations and messages with cursors', async () => {
    const account = await newAccount(stack, 'pages');
    const inboxId = await newInbox(account);
    const base = `/v1/accounts/${account.accountId}`;
    for (let i = 0; i < 3; i++)
      await account.api('POST', `${base}/inboxes/${inboxId}/messages`, {
        body: { contact: { identifier: unique('p') }, content: 'x' },
      });
    for (let i = 0; i < 4; i++)
      await account.api('POST', `${base}/inboxes/${inboxId}/messages`, {
        body: { contact: { identifier: 'same' }, content: `m${i}` },
      });

    const first = await account.api('GET', `${base}/conversations?limit=2`);
    expect(first.body.payload.map((c: { id: number }) => c.id)).toEqual([4, 3]);
    const second = await account.api('GET', `${base}/conversations?limit=2&cursor=${first.body.meta.next_cursor}`);
    expect(second.body.payload.map((c: { id: number }) => c.id)).toEqual([2, 1]);
    expect(second.body.meta.next_cursor).toBeNull();

    const m1 = await account.api('GET', `${base}/conversations/4/messages?limit=3`);
    const m2 = await account.api('GET', `${base}/conversations/4/messages?limit=3&cursor=${m1.body.meta.next_cursor}`);
    expect([...m1.body.payload, ...m2.body.payload].map((m: { content: string }) => m.content)).toEqual([
      'm0',
      'm1',
      'm2',
      'm3',
    ]);
    expect((await account.api('GET', `${base}/conversations?cursor=garbage`)).status).toBe(422);
  });

  it("another account's token cannot post into this account", async () => {
    const mine = await newAccount(stack, 'mine');
    const theirs = await newAccount(stack, 'theirs');
    const inboxId = await newInbox(mine);
    const res = await theirs.api('POST', `/v1/accounts/${mine.accountId}/inboxes/${inboxId}/messages`, {
      body: { contact: { email: 'x@y.test' }, content: 'hi' },
    });
    expect(res.status).toBe(403);
  });
});

describe('first messages racing', () => {
  it('16 concurrent posts from 4 new contacts open exactly 4 conversations, numbered 1–4, without deadlock', async () => {
    const account = await newAccount(stack, 'race');
    const inboxId = await newInbox(account);
    const path = `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`;
    const contacts = Array.from({ length: 4 }, () => unique('new'));

    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        account.api('POST', path, { body: { contact: { identifier: contacts[i % 4] }, content: `m${i}` } }),
      ),
    );

    expect(
      answers.map((a) => a.status),
      JSON.stringify(answers.find((a) => a.status !== 201)?.body),
    ).toEqual(Array(16).fill(201));
    const conversations = await stack.sql`
      select c.display_id, count(m.id)::int as n from conversations c join messages m on m.conversation_id = c.id
       where c.account_id = ${account.accountId} group by c.display_id order by c.display_id`;
    expect(conversations).toEqual([1, 2, 3, 4].map((display_id) => ({ display_id, n: 4 })));
    const [row] = await stack.sql`select count(*)::int as n from contacts where account_id = ${account.accountId}`;
    expect(row?.n).toBe(4);
  });
});
