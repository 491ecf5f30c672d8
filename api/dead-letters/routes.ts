import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { workflows } from '../../contracts/workflows.ts';
import { findDeadLetter, listDeadLetters } from '../../db/dead-letters.ts';
import { actorOf } from '../actor.ts';
import { platformAccess, requirePlatform } from '../auth/index.ts';
import { idempotencyHeader, idParam, jsonBody, jsonContent, listOf, pageOf, security } from '../common-schemas.ts';
import { decodeCursor, page } from '../pagination.ts';
import { ProblemError } from '../problem/index.ts';
import { problemContent, writeAnswers } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite, type WriteRouteDeps } from '../write.ts';
import { bulkRetryBody, deadLetter, discardBody, letterView, listQuery, retried } from './schemas.ts';

const letterParam = z.object({ id: idParam('id') });
const missing = { 404: { description: 'No such dead letter', content: problemContent } };
const retriedView = (r: { letterId: number; workflowId: string; runId: string | null; started: boolean }) => ({
  letter_id: r.letterId,
  workflow_id: r.workflowId,
  run_id: r.runId,
  started: r.started,
});

/** Work that ended for good: search it, retry it (one or by filter), discard it. Platform tokens only. */
export function deadLetterRoutes({ sql, temporal, workflowWaitMs, webUiUrl }: WriteRouteDeps & { webUiUrl?: string }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/dead-letters',
      operationId: 'listDeadLetters',
      summary: 'List dead letters, newest first, by kind, account, time and full-text search (platform token)',
      security,
      middleware: platformAccess('platform:failures'),
      request: { query: listQuery },
      responses: { 200: jsonContent(pageOf(deadLetter), 'A page') },
    }),
    async (c) => {
      requirePlatform(c.get('principal'));
      const q = c.req.valid('query');
      const rows = await listDeadLetters(sql, { ...q, before: decodeCursor(q.cursor), limit: q.limit + 1 });
      const { payload, meta } = page(rows, q.limit, (r) => r.id);
      return c.json({ payload: payload.map((r) => letterView(r, webUiUrl)), meta }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/dead-letters/{id}',
      operationId: 'getDeadLetter',
      summary: 'A dead letter with its input, secrets removed (platform token)',
      security,
      middleware: platformAccess('platform:failures'),
      request: { params: letterParam },
      responses: { 200: jsonContent(deadLetter, 'The letter'), ...missing },
    }),
    async (c) => {
      requirePlatform(c.get('principal'));
      const row = await findDeadLetter(sql, c.req.valid('param').id);
      if (!row) throw new ProblemError('notFound', 'No such dead letter.');
      return c.json(letterView(row, webUiUrl, true), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/dead-letters/{id}/retry',
      operationId: 'retryDeadLetter',
      summary: 'Start the failed workflow again, same id and input (platform token); twice starts one run',
      security,
      middleware: platformAccess('platform:failures'),
      request: { params: letterParam, headers: idempotencyHeader },
      responses: { 200: jsonContent(retried, 'Where the new run is'), ...writeAnswers, ...missing },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const { id } = c.req.valid('param');
      const { result } = await runWrite(temporal, {
        entry: workflows.retryDeadLetter,
        key: { letterId: id, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { letterId: id, actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      return c.json(retriedView(result), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/dead-letters/retry',
      operationId: 'retryDeadLetters',
      summary: 'Retry every open dead letter matching a filter, up to 200 a request (platform token)',
      security,
      middleware: platformAccess('platform:failures'),
      request: { headers: idempotencyHeader, body: jsonBody(bulkRetryBody) },
      responses: {
        200: jsonContent(
          listOf(retried).extend({
            remaining: z.number().int().openapi({ description: 'Matching letters left for the next request' }),
          }),
          'The letters retried',
        ),
        ...writeAnswers,
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const filter = c.req.valid('json');
      const { result } = await runWrite(temporal, {
        entry: workflows.retryDeadLetters,
        key: { key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { filter, actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      return c.json({ payload: result.retried.map(retriedView), remaining: result.remaining }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/dead-letters/{id}/discard',
      operationId: 'discardDeadLetter',
      summary: 'Close a dead letter without retrying it, with a reason (platform token)',
      security,
      middleware: platformAccess('platform:failures'),
      request: { params: letterParam, headers: idempotencyHeader, body: jsonBody(discardBody) },
      responses: {
        200: jsonContent(deadLetter, 'The letter, discarded'),
        ...writeAnswers,
        ...missing,
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const { id } = c.req.valid('param');
      await runWrite(temporal, {
        entry: workflows.discardDeadLetter,
        key: { letterId: id, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { letterId: id, reason: c.req.valid('json').reason, actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      return c.json(letterView((await findDeadLetter(sql, id))!, webUiUrl), 200);
    },
  );

  return app;
}
