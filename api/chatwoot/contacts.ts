import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContactRecord } from '../../contracts/contacts.ts';
import { workflows } from '../../contracts/workflows.ts';
import { countContacts, findContact, listContacts } from '../../db/contacts.ts';
import type { Sql } from '../../db/pool.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { jsonBody } from '../common-schemas.ts';
import { validationHook } from '../validation.ts';
import { runWrite, type WriteRouteDeps } from '../write.ts';
import { accountParam, contactParam, found, idempotencyHeader, ok, security } from './common.ts';
import { doorKey } from './idempotency.ts';
import { conversationsOfContact, inboxes } from './queries.ts';
import { contactInboxView, contactView, conversationView, type ContactInboxRow } from './views.ts';

/** Chatwoot pages contacts 15 at a time. */
const PER_PAGE = 15;

const text = z.string().trim().max(255);
const contactFields = z.object({
  name: text.optional(),
  email: z.string().trim().toLowerCase().email().max(320).nullable().optional(),
  phone_number: text.nullable().optional(),
  identifier: text.min(1).nullable().optional(),
  blocked: z.boolean().optional(),
  avatar_url: z.string().max(2048).nullable().optional(),
  additional_attributes: z.record(z.string(), z.unknown()).optional(),
  custom_attributes: z.record(z.string(), z.unknown()).optional(),
});
const createBody = contactFields.extend({ inbox_id: z.number().int().positive().optional() });
const listQuery = z.object({
  q: z.string().max(255).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  sort: z.string().max(32).optional(),
});
const mergeBody = z.object({
  base_contact_id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  mergee_contact_id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/** The inboxes a contact has talked through (Capstan keeps no contact_inboxes table: its conversations say). */
function contactInboxes(sql: Sql, accountId: number, contactIds: number[]) {
  if (contactIds.length === 0) return Promise.resolve([] as ContactInboxRow[]);
  return sql<ContactInboxRow[]>`
    select distinct c.contact_id, i.id as inbox_id, i.name, i.channel_type
      from conversations c join inboxes i on i.id = c.inbox_id
     where c.account_id = ${accountId} and c.contact_id in ${sql(contactIds)}`;
}

async function withInboxes(sql: Sql, accountId: number, contacts: ContactRecord[]) {
  const inboxes = await contactInboxes(
    sql,
    accountId,
    contacts.map((ct) => ct.id),
  );
  return contacts.map((ct) =>
    contactView(
      ct,
      inboxes.filter((i) => Number(i.contact_id) === ct.id),
    ),
  );
}

/** Chatwoot's contact routes (`/api/v1/accounts/{id}/contacts…`, `actions/contact_merge`) over Capstan's contact workflows. */
export function contactRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const actor = (c: Context) => actorOf(c.get('principal'));
  const page = async (accountId: number, q: z.infer<typeof listQuery>, search?: string) => {
    // Offset pages, as Chatwoot's `page`: the cursor query asked for enough rows and the page cut from them.
    const rows = await listContacts(sql, { accountId, q: search, limit: q.page * PER_PAGE });
    const slice = rows.slice((q.page - 1) * PER_PAGE);
    const count = await countContacts(sql, { accountId, q: search });
    return { meta: { count, current_page: String(q.page) }, payload: await withInboxes(sql, accountId, slice) };
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{id}/contacts',
      operationId: 'contactList',
      tags: ['Contacts'],
      summary: 'A page of 15 contacts, newest first',
      security,
      middleware: accountAccess({ sql, scope: 'contacts:read' }),
      request: { params: accountParam, query: listQuery },
      responses: ok('`{ meta: { count, current_page }, payload: [contact] }`'),
    }),
    async (c) => c.json(await page(c.req.valid('param').id, c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{id}/contacts/search',
      operationId: 'contactSearch',
      tags: ['Contacts'],
      summary: 'Contacts whose name, email, phone number or identifier contains `q`',
      security,
      middleware: accountAccess({ sql, scope: 'contacts:read' }),
      request: { params: accountParam, query: listQuery },
      responses: ok('`{ meta: { count, current_page }, payload: [contact] }`'),
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await page(c.req.valid('param').id, q, q.q ?? ''), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/accounts/{id}/contacts',
      operationId: 'contactCreate',
      tags: ['Contacts'],
      summary: 'Create a contact',
      security,
      middleware: accountAccess({ sql, scope: 'contacts:write' }),
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(createBody) },
      responses: ok('`{ payload: { contact, contact_inbox } }`'),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { inbox_id: inboxId, ...fields } = c.req.valid('json');
      // Chatwoot ties the new contact to `inbox_id` (a contact_inbox); Capstan ties contacts to inboxes through
      // conversations, so the inbox is checked and shown, and the first message there makes the tie.
      const inbox = inboxId === undefined ? undefined : found((await inboxes(sql, id, inboxId))[0]);
      const key = await doorKey(c, temporal, (k) => workflows.createContact.id({ accountId: id, key: k }), fields);
      const { result } = await runWrite(temporal, {
        entry: workflows.createContact,
        key: { accountId: id, key },
        input: { accountId: id, fields, actor: actor(c) },
        fingerprintOf: fields,
        waitMs: workflowWaitMs,
      });
      const [contact] = await withInboxes(sql, id, [result]);
      const tie = inbox && contactInboxView(result, { contact_id: result.id, inbox_id: inbox.id, ...inbox });
      if (tie && !contact!.contact_inboxes.some((i) => i.inbox.id === tie.inbox.id)) contact!.contact_inboxes.push(tie);
      return c.json({ payload: { contact, contact_inbox: tie ?? { inbox: null, source_id: null } } }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{id}/contacts/{contactId}',
      operationId: 'contactDetails',
      tags: ['Contacts'],
      summary: 'A contact',
      security,
      middleware: accountAccess({ sql, scope: 'contacts:read' }),
      request: { params: contactParam },
      responses: ok('`{ payload: contact }`'),
    }),
    async (c) => {
      const { id, contactId } = c.req.valid('param');
      const [payload] = await withInboxes(sql, id, [found(await findContact(sql, id, contactId))]);
      return c.json({ payload }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/accounts/{id}/contacts/{contactId}',
      operationId: 'contactUpdate',
      tags: ['Contacts'],
      summary: 'Change some of a contact’s fields',
      security,
      middleware: accountAccess({ sql, scope: 'contacts:write' }),
      request: { params: contactParam, headers: idempotencyHeader, body: jsonBody(contactFields) },
      responses: ok('`{ payload: contact }`'),
    }),
    async (c) => {
      const { id, contactId } = c.req.valid('param');
      const fields = c.req.valid('json');
      found(await findContact(sql, id, contactId));
      const key = await doorKey(
        c,
        temporal,
        (k) => workflows.updateContact.id({ accountId: id, contactId, key: k }),
        fields,
      );
      const { result } = await runWrite(temporal, {
        entry: workflows.updateContact,
        key: { accountId: id, contactId, key },
        input: { accountId: id, contactId, fields, actor: actor(c) },
        fingerprintOf: fields,
        waitMs: workflowWaitMs,
      });
      const [payload] = await withInboxes(sql, id, [result]);
      return c.json({ payload }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/accounts/{id}/contacts/{contactId}',
      operationId: 'contactDelete',
      tags: ['Contacts'],
      summary: 'Delete a contact with its conversations (administrators)',
      security,
      middleware: accountAccess({ sql, scope: 'contacts:write', roles: ['administrator'] as const }),
      request: { params: contactParam, headers: idempotencyHeader },
      responses: ok('`{}`'),
    }),
    async (c) => {
      const { id, contactId } = c.req.valid('param');
      found(await findContact(sql, id, contactId));
      const key = await doorKey(
        c,
        temporal,
        (k) => workflows.deleteContact.id({ accountId: id, contactId, key: k }),
        {},
      );
      await runWrite(temporal, {
        entry: workflows.deleteContact,
        key: { accountId: id, contactId, key },
        input: { accountId: id, contactId, actor: actor(c) },
        fingerprintOf: {},
        waitMs: workflowWaitMs,
      });
      return c.json({}, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{id}/contacts/{contactId}/conversations',
      operationId: 'contactConversations',
      tags: ['Contacts'],
      summary: "A contact's conversations, newest activity first",
      security,
      middleware: accountAccess({ sql, scope: 'contacts:read' }),
      request: { params: contactParam },
      responses: ok('`{ payload: [conversation] }`'),
    }),
    async (c) => {
      const { id, contactId } = c.req.valid('param');
      found(await findContact(sql, id, contactId));
      const rows = await conversationsOfContact(sql, id, contactId);
      return c.json({ payload: rows.map(conversationView) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/accounts/{id}/actions/contact_merge',
      operationId: 'contactMerge',
      tags: ['Contacts'],
      summary: 'Merge the mergee contact into the base contact; answers the base contact',
      security,
      middleware: accountAccess({ sql, scope: 'contacts:write' }),
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(mergeBody) },
      responses: ok('The base contact'),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      found(await findContact(sql, id, body.base_contact_id));
      found(await findContact(sql, id, body.mergee_contact_id));
      const key = await doorKey(c, temporal, (k) => workflows.mergeContacts.id({ accountId: id, key: k }), body);
      const { result } = await runWrite(temporal, {
        entry: workflows.mergeContacts,
        key: { accountId: id, key },
        input: {
          accountId: id,
          baseContactId: body.base_contact_id,
          mergeeContactId: body.mergee_contact_id,
          actor: actor(c),
        },
        fingerprintOf: body,
        waitMs: workflowWaitMs,
      });
      const [contact] = await withInboxes(sql, id, [result.contact]);
      return c.json(contact, 200);
    },
  );

  return app;
}
