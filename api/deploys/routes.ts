import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { workflows } from '../../contracts/workflows.ts';
import { startDeploy } from '../../workers/start-deploy.ts';
import type { Sql } from '../../db/pool.ts';
import type { PendingQuery, Row } from 'postgres';
import { cancelSignal, deployInput, progressQuery } from '../../contracts/deploys.ts';
import { actorOf } from '../actor.ts';
import { platformAccess, requirePlatform } from '../auth/index.ts';
import { anyObject, jsonBody, jsonContent, listOf, pageOf, security } from '../common-schemas.ts';
import { decodeCursor, page, pageQuery } from '../pagination.ts';
import { ProblemError } from '../problem/index.ts';
import { validationHook } from '../validation.ts';

/** Owner and app ids become part of a workflow id and of `/v1/deploys/<owner>:<app>`: ASCII letters, digits, _ and - (`\w` is wider in other regex dialects). */
const appKey = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'letters, digits, _ and - only');
const deployId = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}:[A-Za-z0-9_-]{1,100}$/, 'is <ownerId>:<appId>')
    .openapi({ param: { name: 'id', in: 'path' }, example: 'orga_1:app_1' }),
});
const deployBody = z
  .object({
    owner_id: appKey,
    app_id: appKey,
    commit: deployInput.shape.commit,
    deadline_seconds: z
      .number()
      .int()
      .min(1)
      .max(21_600)
      .optional()
      .openapi({ description: 'Overall deadline; default 30 minutes' }),
    auto_rollback: deployInput.shape.autoRollback
      .unwrap()
      .optional()
      .openapi({ description: 'Redeploy the last good commit when this one fails; default true' }),
  })
  .strict()
  .openapi('DeployRequest');
const deployTarget = { id: '$response.body#/id' };
const deployLinks = {
  GetDeploy: { operationId: 'getDeploy', parameters: deployTarget },
  CancelDeploy: { operationId: 'cancelDeploy', parameters: deployTarget },
};

const workflowIdOf = (ownerId: string, appId: string) => workflows.deployApplication.id({ ownerId, appId });
const fromParam = (id: string) => {
  const [ownerId, appId] = id.split(':') as [string, string];
  return { ownerId, appId, workflowId: workflowIdOf(ownerId, appId) };
};

export function deployRoutes({
  sql,
  temporal,
  webUiUrl,
  pollIntervalMs,
}: {
  sql: Sql;
  temporal: Client;
  webUiUrl?: string;
  pollIntervalMs?: number;
}) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const links = (ownerId: string, appId: string, runId?: string) => ({
    self: `/v1/deploys/${ownerId}:${appId}`,
    ...(webUiUrl && runId
      ? {
          webUi: `${webUiUrl}/namespaces/${temporal.options.namespace}/workflows/${encodeURIComponent(workflowIdOf(ownerId, appId))}/${runId}`,
        }
      : {}),
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/deploys',
      operationId: 'startDeploy',
      summary: 'Redeploy an application on Clever Cloud (platform token)',
      security,
      middleware: platformAccess('platform:deploys'),
      request: { body: jsonBody(deployBody) },
      responses: {
        202: { ...jsonContent(anyObject, 'Started; poll Location'), links: deployLinks },
        409: { description: 'A deploy of this application is running' },
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const body = c.req.valid('json');
      const started = await startDeploy(temporal, {
        ownerId: body.owner_id,
        appId: body.app_id,
        commit: body.commit,
        deadlineMs: body.deadline_seconds && body.deadline_seconds * 1000,
        autoRollback: body.auto_rollback,
        pollIntervalMs,
        actor: actorOf(principal),
      });
      const l = links(body.owner_id, body.app_id, started.runId);
      if (started.outcome === 'already_running') {
        throw new ProblemError(
          'conflict',
          `A deploy of ${body.app_id} is already running; one deploy per application at a time.`,
          {
            workflowId: started.workflowId,
            runId: started.runId,
            links: l,
          },
        );
      }
      return c.json(
        { id: `${body.owner_id}:${body.app_id}`, workflow_id: started.workflowId, run_id: started.runId, links: l },
        202,
        { Location: l.self },
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/deploys',
      operationId: 'listDeploys',
      summary: 'Recent deploys of every application, newest first (platform token)',
      security,
      middleware: platformAccess('platform:deploys'),
      request: { query: pageQuery },
      responses: { 200: jsonContent(pageOf(anyObject), 'A page of attempts, rollbacks included') },
    }),
    async (c) => {
      requirePlatform(c.get('principal'));
      const q = c.req.valid('query');
      const before = decodeCursor(q.cursor);
      const views = await deployments(sql, before ? sql`where id < ${before}::bigint` : sql``, q.limit + 1);
      return c.json(
        page(views, q.limit, (r) => r.id),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/deploys/{id}',
      operationId: 'getDeploy',
      summary: 'Progress of the latest deploy of an application (platform token)',
      security,
      middleware: platformAccess('platform:deploys'),
      request: { params: deployId },
      responses: {
        200: jsonContent(anyObject, 'Status, progress and, when done, the outcome'),
        404: { description: 'Never deployed through Capstan' },
      },
    }),
    async (c) => {
      requirePlatform(c.get('principal'));
      const { ownerId, appId, workflowId } = fromParam(c.req.valid('param').id);
      const handle = temporal.workflow.getHandle(workflowId);
      try {
        const description = await handle.describe();
        const progress = await handle.query(progressQuery).catch(() => null);
        const outcome = description.status.name === 'COMPLETED' ? await handle.result() : null;
        return c.json(
          {
            id: `${ownerId}:${appId}`,
            run_id: description.runId,
            status: description.status.name,
            progress,
            outcome,
            links: links(ownerId, appId, description.runId),
          },
          200,
        );
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new ProblemError('notFound', `No deploy of ${appId} is known.`);
        throw err;
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/deploys/{id}/cancel',
      operationId: 'cancelDeploy',
      summary: 'Cancel the running deploy (platform token)',
      security,
      middleware: platformAccess('platform:deploys'),
      request: { params: deployId },
      responses: { 202: jsonContent(anyObject, 'Cancel requested'), 404: { description: 'No running deploy' } },
    }),
    async (c) => {
      requirePlatform(c.get('principal'));
      const { ownerId, appId, workflowId } = fromParam(c.req.valid('param').id);
      try {
        await temporal.workflow.getHandle(workflowId).signal(cancelSignal);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError)
          throw new ProblemError('notFound', `No deploy of ${appId} is running.`);
        throw err;
      }
      return c.json({ id: `${ownerId}:${appId}`, cancel: 'requested' }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/apps/{appId}/deploys',
      operationId: 'listAppDeploys',
      summary: 'Deploy history of an application, newest first (platform token)',
      security,
      middleware: platformAccess('platform:deploys'),
      request: {
        params: z.object({ appId: appKey.openapi({ param: { name: 'appId', in: 'path' } }) }),
        query: z.object({ owner_id: appKey.optional() }),
      },
      responses: { 200: jsonContent(listOf(anyObject), 'Attempts, rollbacks included') },
    }),
    async (c) => {
      requirePlatform(c.get('principal'));
      const { appId } = c.req.valid('param');
      const owner = c.req.valid('query').owner_id;
      const where = sql`where app_id = ${appId} ${owner ? sql`and owner_id = ${owner}` : sql``}`;
      return c.json({ payload: await deployments(sql, where, 100) }, 200);
    },
  );

  return app;
}

/** Deploy attempts (rollbacks included) matching `where`, newest first, as the API shows them. */
async function deployments(sql: Sql, where: PendingQuery<Row[]>, limit: number) {
  const rows = await sql<({ id: number; requested_at: Date; finished_at: Date | null } & Row)[]>`
    select id, owner_id, app_id, commit, requested_by, clever_deployment_id, states, outcome, rollback_of, requested_at, finished_at, workflow_id
      from deployments ${where}
     order by id desc limit ${limit}`;
  return rows.map((r) => ({
    ...r,
    requested_at: r.requested_at.toISOString(),
    finished_at: r.finished_at?.toISOString() ?? null,
  }));
}
