import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { workflows } from '../../contracts/workflows.ts';
import { findContact, listContacts } from '../../db/contacts.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import {
  accountParam,
  anyObject,
  idempotencyHeader,
  jsonBody,
  jsonContent,
  pageOf,
  security,
} from '../common-schemas.ts';
import { listConversations } from '../conversations/queries.ts';
import { decodeCursor, page, pageQuery } from '../pagination.ts';
import { ProblemError } from '../problem/index.ts';
import { problemContent, writeAnswers } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite, type WriteRouteDeps } from '../write.ts';
import {
  contact,
  contactParam,
  contactView,
  createContactBody,
  deleted,
  merged,
  mergeBody,
  searchQuery,
  updateContactBody,
} from './schemas.ts';

const admins = ['administrator'] as const;
const notFound = { 404: { description: 'No such contact in this account', content: problemContent } };

/** Contacts of an account: Chatwoot's contact API on Capstan's own conventions (cursor pages, Idempotency-Key). */
export function contactRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  // Checked before starting a write: a run aimed at another account's contact would hold its workflow id for nothing.
  const mustExist = async (accountId: number, contactId: number) => {
    const found = await findContact(sql, accountId, contactId);
    if (!found) throw new ProblemError('notFound', `Contact ${contactId} does not exist in account ${accountId}.`);
    return found;
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/contacts',
      operationId: 'createContact',
      summary: 'Create a contact; emits contact_created',
      security,
      middleware: accountAccess({ sql, scope: 'contacts:write' }),
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(createContactBody) },
      responses: { 201: jsonContent(contact, 'Created'), ...writeAnswers },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { result } = await runWrite(temporal, {
        entry: workflows.createContact,
        key: { accountId: id, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { accountId: id, fields: c.req.valid('json'), actor: actorOf(c.get('principal')) },
        waitMs: workflowWaitMs,
      });
      return c.json(contactView(result), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/contacts',
      operationId: 'listContacts',
      summary: 'List contacts, newest first',
      security,
      middleware: accountAccess({ sql, scope: 'contacts:read' }),
      request: { params: accountParam, query: pageQuery },
      responses: { 200: jsonContent(pageOf(contact), 'A page') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const rows = await listContacts(sql, { accountId: id, before: decodeCursor(q.cursor), limit: q.limit + 1 });
      return c.json(
        page(rows.map(contactView), q.limit, (r) => r.id),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/contacts/search',
      operationId: 'searchContacts',
      summary: 'Contacts whose name, email, phone number or identifier contains `q` (any case), newest first',
      security,
      middleware: accountAccess({ sql, scope: 'contacts:read' }),
      request: { params: accountParam, query: searchQuery },
      responses: { 200: jsonContent(pageOf(contact), 'A page') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const rows = await listContacts(sql, {
        accountId: id,
        q: q.q,
        before: decodeCursor(q.cursor),
        limit: q.limit + 1,
      });
      return c.json(
        page(rows.map(contactView), q.limit, (r) => r.id),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/contacts/{contactId}',
      operationId: 'getContact',
      summary: 'Read a contact',
      security,
      middleware: accountAccess({ sql, scope: 'contacts:read' }),
      request: { params: contactParam },
      responses: { 200: jsonContent(contact, 'The contact'), ...notFound },
    }),
    async (c) => {
      const { id, contactId } = c.req.valid('param');
      return c.json(contactView(await mustExist(id, contactId)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/accounts/{id}/contacts/{contactId}',
      operationId: 'updateContact',
      summary: 'Change some of a contact’s fields; emits contact_updated when one changed',
      security,
      middleware: accountAccess({ sql, scope: 'contacts:write' }),
      request: { params: contactParam, headers: idempotencyHeader, body: jsonBody(updateContactBody) },
      responses: { 200: jsonContent(contact, 'The contact as it is now'), ...writeAnswers, ...notFound },
    }),
    async (c) => {
      const { id, contactId } = c.req.valid('param');
      await mustExist(id, contactId);
      const { result } = await runWrite(temporal, {
        entry: workflows.updateContact,
        key: { accountId: id, contactId, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { accountId: id, contactId, fields: c.req.valid('json'), actor: actorOf(c.get('principal')) },
        waitMs: workflowWaitMs,
      });
      return c.json(contactView(result), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/accounts/{id}/contacts/{contactId}',
      operationId: 'deleteContact',
      summary: 'Delete a contact with its conversations and their messages (administrators)',
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'contacts:write' }),
      request: { params: contactParam, headers: idempotencyHeader },
      responses: { 200: jsonContent(deleted, 'Deleted'), ...writeAnswers, ...notFound },
    }),
    async (c) => {
      const { id, contactId } = c.req.valid('param');
      const key = c.req.valid('header')['idempotency-key'];
      // With a key, a repeat after the contact is gone answers the first result; the workflow refuses what is not there.
      if (!key) await mustExist(id, contactId);
      const { result } = await runWrite(temporal, {
        entry: workflows.deleteContact,
        key: { accountId: id, contactId, key: keyOrFresh(key) },
        input: { accountId: id, contactId, actor: actorOf(c.get('principal')) },
        waitMs: workflowWaitMs,
      });
      return c.json({ id: result.contactId, deleted_conversations: result.conversations }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/contacts/{contactId}/conversations',
      operationId: 'listContactConversations',
      summary: "A contact's conversations, newest first",
      security,
      middleware: accountAccess({ sql, scope: 'contacts:read' }),
      request: { params: contactParam, query: pageQuery },
      responses: { 200: jsonContent(pageOf(anyObject), 'A page, shaped as the conversation list'), ...notFound },
    }),
    async (c) => {
      const { id, contactId } = c.req.valid('param');
      const q = c.req.valid('query');
      await mustExist(id, contactId);
      const rows = await listConversations(sql, {
        accountId: id,
        contactId,
        before: decodeCursor(q.cursor),
        limit: q.limit + 1,
      });
      return c.json(
        page(rows, q.limit, (r) => r.id),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/contacts/{contactId}/merge',
      operationId: 'mergeContacts',
      summary: 'Merge another contact into this one (Chatwoot’s contact_merge)',
      description:
        'One transaction: the mergee’s conversations and messages move onto this contact and the mergee is deleted. ' +
        'This contact keeps its values; blank ones are filled from the mergee; attribute maps are deep-merged. ' +
        'Where both have an open conversation in one inbox, the mergee’s is resolved (conversation_status_changed).',
      security,
      middleware: accountAccess({ sql, scope: 'contacts:write' }),
      request: { params: contactParam, headers: idempotencyHeader, body: jsonBody(mergeBody) },
      responses: { 200: jsonContent(merged, 'Merged'), ...writeAnswers, ...notFound },
    }),
    async (c) => {
      const { id, contactId } = c.req.valid('param');
      const mergeeId = c.req.valid('json').mergee_contact_id;
      if (mergeeId === contactId)
        throw new ProblemError('validation', 'A contact cannot be merged into itself.', {
          errors: [{ field: 'mergee_contact_id', message: 'must name another contact' }],
        });
      const key = c.req.valid('header')['idempotency-key'];
      if (!key) await Promise.all([mustExist(id, contactId), mustExist(id, mergeeId)]);
      const { result } = await runWrite(temporal, {
        entry: workflows.mergeContacts,
        key: { accountId: id, key: keyOrFresh(key) },
        input: {
          accountId: id,
          baseContactId: contactId,
          mergeeContactId: mergeeId,
          actor: actorOf(c.get('principal')),
        },
        waitMs: workflowWaitMs,
      });
      return c.json(
        {
          contact: contactView(result.contact),
          mergee_contact_id: result.mergeeContactId,
          moved_conversations: result.movedConversations,
          resolved_conversations: result.resolvedConversations,
          moved_messages: result.movedMessages,
        },
        200,
      );
    },
  );

  return app;
}
