import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { accountParam, idempotencyHeader, jsonBody, jsonContent, listOf, security } from '../common-schemas.ts';
import { ProblemError } from '../problem/index.ts';
import { writeAnswers } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite, type WriteRouteDeps } from '../write.ts';
import { workflows } from '../../contracts/workflows.ts';
import {
  contactParam,
  createLabelBody,
  label,
  labelList,
  labelParam,
  labelsAnswer,
  labelView,
  updateLabelBody,
} from './schemas.ts';

/** Account labels and the labels of contacts (Chatwoot's `/labels` and `/contacts/{id}/labels`). */
export function labelRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/labels',
      operationId: 'listLabels',
      summary: "List the account's labels",
      security,
      middleware: accountAccess({ sql, scope: 'labels:read' }),
      request: { params: accountParam },
      responses: { 200: jsonContent(listOf(label), 'Labels, by title') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const rows = await sql<
        { id: number; title: string; description: string | null; color: string; show_on_sidebar: boolean }[]
      >`
        select id, title, description, color, show_on_sidebar from labels where account_id = ${id} order by title`;
      return c.json({ payload: rows }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/labels',
      operationId: 'createLabel',
      summary: 'Create a label (administrators)',
      security,
      middleware: accountAccess({ sql, roles: ['administrator'], scope: 'labels:manage' }),
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(createLabelBody) },
      responses: { 201: jsonContent(label, 'Created'), ...writeAnswers, 409: { description: 'The title is taken' } },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const { result } = await runWrite(temporal, {
        entry: workflows.createLabel,
        key: { accountId: id, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: {
          accountId: id,
          title: body.title,
          description: body.description,
          color: body.color,
          showOnSidebar: body.show_on_sidebar,
          actor: actorOf(c.get('principal')),
        },
        waitMs: workflowWaitMs,
      });
      return c.json(labelView(result), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/accounts/{id}/labels/{labelId}',
      operationId: 'updateLabel',
      summary: 'Change a label (administrators)',
      security,
      middleware: accountAccess({ sql, roles: ['administrator'], scope: 'labels:manage' }),
      request: { params: labelParam, headers: idempotencyHeader, body: jsonBody(updateLabelBody) },
      responses: {
        200: jsonContent(label, 'Changed'),
        ...writeAnswers,
        404: { description: 'No such label' },
        409: { description: 'The title is taken' },
      },
    }),
    async (c) => {
      const { id, labelId } = c.req.valid('param');
      const body = c.req.valid('json');
      const { result } = await runWrite(temporal, {
        entry: workflows.updateLabel,
        key: { accountId: id, labelId, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: {
          accountId: id,
          labelId,
          title: body.title,
          description: body.description,
          color: body.color,
          showOnSidebar: body.show_on_sidebar,
          actor: actorOf(c.get('principal')),
        },
        waitMs: workflowWaitMs,
      });
      return c.json(labelView(result), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/accounts/{id}/labels/{labelId}',
      operationId: 'deleteLabel',
      summary: 'Delete a label (administrators); what carries its title keeps it',
      security,
      middleware: accountAccess({ sql, roles: ['administrator'], scope: 'labels:manage' }),
      request: { params: labelParam, headers: idempotencyHeader },
      responses: { 204: { description: 'Deleted' }, ...writeAnswers, 404: { description: 'No such label' } },
    }),
    async (c) => {
      const { id, labelId } = c.req.valid('param');
      await runWrite(temporal, {
        entry: workflows.deleteLabel,
        key: { accountId: id, labelId, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { accountId: id, labelId, actor: actorOf(c.get('principal')) },
        waitMs: workflowWaitMs,
      });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/contacts/{contactId}/labels',
      operationId: 'listContactLabels',
      summary: "A contact's labels",
      security,
      middleware: accountAccess({ sql, scope: 'labels:read' }),
      request: { params: contactParam },
      responses: { 200: jsonContent(labelsAnswer, 'Its labels'), 404: { description: 'No such contact' } },
    }),
    async (c) => {
      const { id, contactId } = c.req.valid('param');
      const [row] = await sql<{ label_list: string[] }[]>`
        select label_list from contacts where id = ${contactId} and account_id = ${id}`;
      if (!row) throw new ProblemError('notFound', `Contact ${contactId} does not exist in account ${id}.`);
      return c.json({ payload: row.label_list }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/contacts/{contactId}/labels',
      operationId: 'setContactLabels',
      summary: "Replace a contact's labels",
      security,
      middleware: accountAccess({ sql, scope: 'labels:apply' }),
      request: { params: contactParam, headers: idempotencyHeader, body: jsonBody(labelList) },
      responses: {
        200: jsonContent(labelsAnswer, 'Its labels now'),
        ...writeAnswers,
        404: { description: 'No such contact' },
      },
    }),
    async (c) => {
      const { id, contactId } = c.req.valid('param');
      const { result } = await runWrite(temporal, {
        entry: workflows.setContactLabels,
        key: { accountId: id, contactId, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { accountId: id, contactId, labels: c.req.valid('json').labels, actor: actorOf(c.get('principal')) },
        waitMs: workflowWaitMs,
      });
      return c.json({ payload: result.labels }, 200);
    },
  );

  return app;
}
