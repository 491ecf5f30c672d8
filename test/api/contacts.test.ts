import { afterAll, describe, expect, it } from 'vitest';
import { newAccount, newInbox, type AccountFixture } from '../support/fixtures.ts';
import { startReceiver, until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const receivers: Array<{ close(): Promise<void> }> = [];
afterAll(() => Promise.all(receivers.map((r) => r.close())));

const contactsOf = (account: AccountFixture) => `/v1/accounts/${account.accountId}/contacts`;

async function subscribe(account: AccountFixture, subscriptions: string[]) {
  const rx = await startReceiver();
  receivers.push(rx);
  const made = await account.api('POST', `/v1/accounts/${account.accountId}/webhooks`, {
    body: { url: rx.url, subscriptions },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return rx;
}

async function create(account: AccountFixture, body: Record<string, unknown>) {
  const res = await account.api('POST', contactsOf(account), { body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: number; [k: string]: unknown };
}

describe('contacts', () => {
  it('are created, read, updated and listed page by page, with contact_created and contact_updated events', async () => {
    const account = await newAccount(stack, 'contacts');
    const rx = await subscribe(account, ['contact_created', 'contact_updated']);
    const email = `${unique('Ana')}@Example.test`;
    const made = await create(account, {
      name: 'Ana Lima',
      email,
      phone_number: '+55 11 99999-0000',
      custom_attributes: { plan: 'gold' },
    });
    expect(made).toMatchObject({
      name: 'Ana Lima',
      email: email.toLowerCase(),
      identifier: null,
      blocked: false,
      thumbnail: '',
      custom_attributes: { plan: 'gold' },
      additional_attributes: {},
      last_activity_at: null,
    });
    expect((await account.api('GET', `${contactsOf(account)}/${made.id}`)).body).toEqual(made);

    const patched = await account.api('PATCH', `${contactsOf(account)}/${made.id}`, {
      body: { identifier: 'cust-77', custom_attributes: { tier: 2 }, avatar_url: 'https://cdn.example.test/a.png' },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({
      identifier: 'cust-77',
      custom_attributes: { plan: 'gold', tier: 2 },
      thumbnail: 'https://cdn.example.test/a.png',
    });
    const unchanged = await account.api('PATCH', `${contactsOf(account)}/${made.id}`, { body: { name: 'Ana Lima' } });
    expect(unchanged.status).toBe(200);

    const events = await until(
      'both events',
      () => rx.received.length >= 2 && rx.received.map((r) => JSON.parse(r.body)),
    );
    expect(events.map((e: { event: string }) => e.event).sort()).toEqual(['contact_created', 'contact_updated']);
    const updated = events.find((e: { event: string }) => e.event === 'contact_updated');
    expect(updated).toMatchObject({
      id: made.id,
      account: { id: account.accountId },
      identifier: 'cust-77',
      avatar: 'https://cdn.example.test/a.png',
      changed_attributes: [
        { identifier: { previous_value: null, current_value: 'cust-77' } },
        { avatar_url: { previous_value: null, current_value: 'https://cdn.example.test/a.png' } },
        { custom_attributes: { previous_value: { plan: 'gold' }, current_value: { plan: 'gold', tier: 2 } } },
      ],
    });
    const [{ n }] = (await stack.sql`
      select count(*)::int as n from audit_log where account_id = ${account.accountId} and action like 'contact.%'`) as unknown as [
      { n: number },
    ];
    expect(n).toBe(2); // created, updated; the update that changed nothing is not a change

    const second = await create(account, { identifier: unique('b') });
    const third = await create(account, { identifier: unique('c') });
    const first = await account.api('GET', `${contactsOf(account)}?limit=2`);
    expect(first.body.payload.map((c: { id: number }) => c.id)).toEqual([third.id, second.id]);
    const next = await account.api('GET', `${contactsOf(account)}?limit=2&cursor=${first.body.meta.next_cursor}`);
    expect(next.body).toMatchObject({ payload: [{ id: made.id }], meta: { next_cursor: null } });
  });

  it('are found by part of their name, email, phone number or identifier, in any case, page by page', async () => {
    const account = await newAccount(stack, 'search');
    const other = await newAccount(stack, 'search-other');
    const tag = unique('zq').replace(/[^a-z0-9]/gi, '');
    const byName = await create(account, { name: `Maria ${tag} Souza` });
    const byEmail = await create(account, { email: `${tag}@mail.example.test` });
    const byPhone = await create(account, { phone_number: '+44 20 7946 0958' });
    const byIdentifier = await create(account, { identifier: `crm-${tag}-9` });
    await create(account, { name: 'Someone else', identifier: unique('else') });
    await create(other, { name: `Maria ${tag}` });
    const search = (q: string, extra = '') =>
      account.api('GET', `${contactsOf(account)}/search?q=${encodeURIComponent(q)}${extra}`);

    const ids = async (q: string) => (await search(q)).body.payload.map((c: { id: number }) => c.id);
    expect(await ids(tag.toUpperCase())).toEqual([byIdentifier.id, byEmail.id, byName.id]);
    expect(await ids('MARIA')).toEqual([byName.id]);
    expect(await ids('mail.EXAMPLE')).toEqual([byEmail.id]);
    expect(await ids('7946 09')).toEqual([byPhone.id]);
    expect(await ids('CRM-')).toEqual([byIdentifier.id]);
    expect(await ids('%')).toEqual([]); // taken literally, not as "anything"

    const page1 = await search(tag, '&limit=2');
    expect(page1.body.payload.map((c: { id: number }) => c.id)).toEqual([byIdentifier.id, byEmail.id]);
    const page2 = await search(tag, `&limit=2&cursor=${page1.body.meta.next_cursor}`);
    expect(page2.body).toMatchObject({ payload: [{ id: byName.id }], meta: { next_cursor: null } });
    expect((await search('   ')).status).toBe(422);
  });

  it('refuse a second contact with the same email (any case), phone number or identifier with a 409 naming the field', async () => {
    const account = await newAccount(stack, 'clash');
    const email = `${unique('dup')}@example.test`;
    const first = await create(account, { email, phone_number: '+1 555 0100', identifier: 'id-1' });
    const second = await create(account, { name: 'Other' });

    const sameEmail = await account.api('POST', contactsOf(account), { body: { email: email.toUpperCase() } });
    expect(sameEmail.status).toBe(409);
    expect(sameEmail.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(sameEmail.body).toMatchObject({ status: 409, errors: [{ field: 'email' }] });
    expect(sameEmail.body.detail).toContain('already has this email');
    const samePhone = await account.api('PATCH', `${contactsOf(account)}/${second.id}`, {
      body: { phone_number: '+1 555 0100' },
    });
    expect(samePhone.body).toMatchObject({ status: 409, errors: [{ field: 'phone_number' }] });
    const sameIdentifier = await account.api('POST', contactsOf(account), { body: { identifier: 'id-1' } });
    expect(sameIdentifier.body).toMatchObject({ status: 409, errors: [{ field: 'identifier' }] });

    for (const body of [{ email: 'not-an-email' }, { phone_number: 'call me' }, { avatar_url: 'ftp://x.test/a' }]) {
      const bad = await account.api('POST', contactsOf(account), { body });
      expect(bad.status, JSON.stringify(body)).toBe(422);
      expect(bad.body.errors[0].field).toBe(Object.keys(body)[0]);
    }
    const [{ n }] =
      (await stack.sql`select count(*)::int as n from contacts where account_id = ${account.accountId}`) as unknown as [
        { n: number },
      ];
    expect(n).toBe(2);
    expect((await account.api('GET', `${contactsOf(account)}/${first.id}`)).body.email).toBe(email);
  });

  it("list a contact's conversations, and delete the contact with its conversations and messages (audited)", async () => {
    const account = await newAccount(stack, 'contact-delete');
    const inboxes = [await newInbox(account, 'One'), await newInbox(account, 'Two')];
    const identifier = unique('del');
    for (const inboxId of inboxes)
      await account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`, {
        body: { contact: { identifier }, content: 'hello' },
      });
    const [{ id }] = (await stack.sql`select id from contacts where account_id = ${account.accountId}`) as unknown as [
      { id: number },
    ];
    const conversations = await account.api('GET', `${contactsOf(account)}/${id}/conversations`);
    expect(conversations.body.payload.map((c: { id: number }) => c.id)).toEqual([2, 1]);
    expect((await account.api('GET', `${contactsOf(account)}/${id}`)).body.last_activity_at).toEqual(
      expect.any(Number),
    );

    const deleted = await account.api('DELETE', `${contactsOf(account)}/${id}`);
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body).toEqual({ id, deleted_conversations: [1, 2] });
    expect((await account.api('GET', `${contactsOf(account)}/${id}`)).status).toBe(404);
    const [left] = await stack.sql`
      select (select count(*)::int from conversations where account_id = ${account.accountId}) as conversations,
             (select count(*)::int from messages where account_id = ${account.accountId}) as messages`;
    expect(left).toEqual({ conversations: 0, messages: 0 });
    const [audit] = await stack.sql`
      select details from audit_log where account_id = ${account.accountId} and action = 'contact.deleted'`;
    expect(audit?.details).toEqual({ conversations: [1, 2] });
  });

  it('answer 404 for contacts of another account, on every route, and change nothing there', async () => {
    const a = await newAccount(stack, 'tenant-a');
    const b = await newAccount(stack, 'tenant-b');
    const mine = await create(a, { name: 'Mine' });
    const theirs = await create(b, { name: 'Theirs', email: `${unique('t')}@example.test` });
    const base = contactsOf(a);
    const answers = [
      await a.api('GET', `${base}/${theirs.id}`),
      await a.api('GET', `${base}/${theirs.id}/conversations`),
      await a.api('PATCH', `${base}/${theirs.id}`, { body: { name: 'Taken' } }),
      await a.api('DELETE', `${base}/${theirs.id}`),
      await a.api('DELETE', `${base}/${theirs.id}`, { headers: { 'idempotency-key': unique('k') } }),
      await a.api('POST', `${base}/${theirs.id}/merge`, { body: { mergee_contact_id: mine.id } }),
      await a.api('POST', `${base}/${mine.id}/merge`, {
        body: { mergee_contact_id: theirs.id },
        headers: { 'idempotency-key': unique('k') },
      }),
    ];
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    expect((await a.api('GET', `${base}/search?q=Theirs`)).body.payload).toEqual([]);
    expect((await b.api('GET', `${contactsOf(b)}/${theirs.id}`)).body).toEqual(theirs);
    expect((await a.api('GET', `${base}/${mine.id}`)).body.name).toBe('Mine');
  });
});
