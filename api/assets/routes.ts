import { randomUUID } from 'node:crypto';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { AssetSettings } from '../../config/assets.ts';
import { assetProgressQuery } from '../../contracts/assets.ts';
import { workflows } from '../../contracts/workflows.ts';
import { assetBuild, assetBuilds, liveManifest, type AssetBuild } from '../../db/assets.ts';
import { startWorkflow } from '../../workers/start.ts';
import { actorOf } from '../actor.ts';
import { platformAccess, requirePlatform } from '../auth/index.ts';
import { anyObject, jsonBody, jsonContent, listOf, security } from '../common-schemas.ts';
import { ProblemError } from '../problem/index.ts';
import { problemContent, writeAnswers } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite, type WriteRouteDeps } from '../write.ts';

const build = z
  .object({
    id: z.number().int(),
    source_hash: z.string(),
    entries: z.array(z.string()),
    status: z.enum(['building', 'ready', 'deleted']),
    live: z.boolean(),
    files: z.number().int(),
    total_bytes: z.number().int(),
    uploaded_files: z.number().int(),
    uploaded_bytes: z.number().int(),
    phase_ms: z.record(z.string(), z.number()),
    workflow_id: z.string().nullable(),
    created_at: z.string(),
    ready_at: z.string().nullable(),
    deleted_at: z.string().nullable(),
  })
  .openapi('AssetBuild');
const progress = z
  .object({
    phase: z.string(),
    source_hash: z.string().optional(),
    build_id: z.number().int().optional(),
    reused: z.boolean().optional(),
    files_done: z.number().int(),
    files_total: z.number().int(),
    bytes_done: z.number().int(),
    bytes_total: z.number().int(),
  })
  .openapi('AssetBuildProgress');
const run = z
  .object({
    run: z.string(),
    workflow_id: z.string(),
    status: z.string(),
    progress: progress.nullable(),
    result: anyObject.nullable(),
    error: z.string().nullable(),
  })
  .openapi('AssetBuildRun');
const runParam = z.object({
  run: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/)
    .openapi({ param: { name: 'run', in: 'path' } }),
});
/** Build ids are PostgreSQL `integer`s. */
const MAX_BUILD_ID = 2_147_483_647;
const buildParam = z.object({
  buildId: z.coerce
    .number()
    .int()
    .positive()
    .max(MAX_BUILD_ID)
    .openapi({ param: { name: 'buildId', in: 'path' }, example: 1 }),
});
const rollbackBody = z
  .object({
    build_id: z
      .number()
      .int()
      .positive()
      .max(MAX_BUILD_ID)
      .optional()
      .openapi({ description: 'A kept build; default: the newest ready build before the live one' }),
  })
  .strict()
  .openapi('AssetRollbackRequest');
const gcBody = z
  .object({
    keep_previous: z.number().int().min(0).max(100).optional(),
    keep_younger_than_seconds: z.number().int().min(0).max(31_536_000).optional(),
  })
  .strict()
  .openapi('AssetGcRequest');
const missing = { 404: { description: 'No such build', content: problemContent } };

const view = (b: AssetBuild) => ({
  id: b.id,
  source_hash: b.sourceHash,
  entries: b.entries,
  status: b.status,
  live: b.live,
  files: b.files.length,
  total_bytes: b.totalBytes,
  uploaded_files: b.uploadedFiles,
  uploaded_bytes: b.uploadedBytes,
  phase_ms: b.phaseMs,
  workflow_id: b.workflowId,
  created_at: b.createdAt,
  ready_at: b.readyAt,
  deleted_at: b.deletedAt,
});
const progressView = (p: Awaited<ReturnType<typeof queryProgress>>) =>
  p && {
    phase: p.phase,
    source_hash: p.sourceHash,
    build_id: p.buildId,
    reused: p.reused,
    files_done: p.filesDone,
    files_total: p.filesTotal,
    bytes_done: p.bytesDone,
    bytes_total: p.bytesTotal,
  };
const queryProgress = (temporal: Client, workflowId: string) =>
  temporal.workflow
    .getHandle(workflowId)
    .query(assetProgressQuery)
    .catch(() => null);

/** Front-end builds: start, follow, list, show, the live manifest, rollback and collection (platform token). */
export function assetRoutes({ sql, temporal, settings, workflowWaitMs }: WriteRouteDeps & { settings: AssetSettings }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/assets/builds',
      operationId: 'startAssetBuild',
      summary: 'Build the console from its sources and make it live (platform token)',
      description:
        'Starts a `buildAssets` workflow and answers at once; follow it at `links.self`. Sources whose hash has a build already reuse it: nothing is uploaded.',
      security,
      middleware: platformAccess('platform:assets'),
      responses: { 202: jsonContent(run, 'Started; poll links.self') },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const key = randomUUID();
      const handle = await startWorkflow(
        temporal,
        workflows.buildAssets,
        { key },
        { root: settings.sourceRoot, entries: [settings.consoleEntry], actor: actorOf(principal) },
        { staticSummary: 'Build the console' },
      );
      return c.json(
        {
          run: key,
          workflow_id: handle.workflowId,
          status: 'RUNNING',
          progress: null,
          result: null,
          error: null,
          links: { self: `/v1/assets/runs/${key}` },
        },
        202,
        { Location: `/v1/assets/runs/${key}` },
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/assets/runs/{run}',
      operationId: 'getAssetBuildRun',
      summary: 'A build run: its phase, files and bytes done while running, its result when done (platform token)',
      security,
      middleware: platformAccess('platform:assets'),
      request: { params: runParam },
      responses: { 200: jsonContent(run, 'The run'), 404: { description: 'No such run', content: problemContent } },
    }),
    async (c) => {
      requirePlatform(c.get('principal'));
      const key = c.req.valid('param').run;
      const workflowId = workflows.buildAssets.id({ key });
      const handle = temporal.workflow.getHandle(workflowId);
      try {
        const { status } = await handle.describe();
        const result = status.name === 'COMPLETED' ? await handle.result() : null;
        const error =
          status.name === 'FAILED'
            ? await handle.result().then(
                () => null,
                (err: Error) => (err.cause as Error | undefined)?.message ?? err.message,
              )
            : null;
        const p = progressView(await queryProgress(temporal, workflowId));
        return c.json({ run: key, workflow_id: workflowId, status: status.name, progress: p, result, error }, 200);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new ProblemError('notFound', `No build run ${key}.`);
        throw err;
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/assets/builds',
      operationId: 'listAssetBuilds',
      summary: 'The latest builds, newest first (platform token)',
      security,
      middleware: platformAccess('platform:assets'),
      responses: { 200: jsonContent(listOf(build), 'Builds') },
    }),
    async (c) => {
      requirePlatform(c.get('principal'));
      return c.json({ payload: (await assetBuilds(sql)).map(view) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/assets/builds/{buildId}',
      operationId: 'getAssetBuild',
      summary: 'One build, its files and, while it runs, its progress (platform token)',
      security,
      middleware: platformAccess('platform:assets'),
      request: { params: buildParam },
      responses: {
        200: jsonContent(
          build.extend({
            file_list: z.array(z.object({ key: z.string(), bytes: z.number().int() })),
            progress: progress.nullable(),
          }),
          'The build',
        ),
        ...missing,
      },
    }),
    async (c) => {
      requirePlatform(c.get('principal'));
      const found = await assetBuild(sql, c.req.valid('param').buildId);
      if (!found) throw new ProblemError('notFound', 'No such build.');
      const p =
        found.status === 'building' && found.workflowId ? await queryProgress(temporal, found.workflowId) : null;
      return c.json({ ...view(found), file_list: found.files, progress: progressView(p) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/assets/manifest',
      operationId: 'getLiveAssetManifest',
      summary: "The live build's Vite manifest (platform token)",
      security,
      middleware: platformAccess('platform:assets'),
      responses: {
        200: jsonContent(z.object({ build_id: z.number().int(), manifest: anyObject }), 'The live manifest'),
        404: { description: 'No build is live yet', content: problemContent },
      },
    }),
    async (c) => {
      requirePlatform(c.get('principal'));
      const live = await liveManifest(sql);
      if (!live) throw new ProblemError('notFound', 'No build is live yet.');
      return c.json({ build_id: live.buildId, manifest: live.manifest }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/assets/rollback',
      operationId: 'rollbackAssets',
      summary: 'Make a kept build live again in one switch (platform token); audited',
      security,
      middleware: platformAccess('platform:assets'),
      request: { body: jsonBody(rollbackBody) },
      responses: {
        200: jsonContent(
          z.object({ from_build_id: z.number().int().nullable(), to_build_id: z.number().int(), changed: z.boolean() }),
          'The live build now',
        ),
        ...writeAnswers,
        404: { description: 'No such kept build, or none before the live one', content: problemContent },
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const body = c.req.valid('json');
      const { result } = await runWrite(temporal, {
        entry: workflows.rollbackAssets,
        key: { key: keyOrFresh(undefined) },
        input: { buildId: body.build_id, actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      return c.json({ from_build_id: result.fromBuildId, to_build_id: result.toBuildId, changed: result.changed }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/assets/gc',
      operationId: 'collectAssetGarbage',
      summary: 'Delete builds beyond retention and the files no kept build references (platform token)',
      security,
      middleware: platformAccess('platform:assets'),
      request: { body: jsonBody(gcBody) },
      responses: {
        200: jsonContent(
          z.object({
            kept_builds: z.array(z.number().int()),
            deleted_builds: z.array(z.number().int()),
            deleted_files: z.number().int(),
          }),
          'What was kept and deleted',
        ),
        ...writeAnswers,
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const body = c.req.valid('json');
      const { result } = await runWrite(temporal, {
        entry: workflows.collectAssetGarbage,
        key: { key: keyOrFresh(undefined) },
        input: {
          keepPrevious: body.keep_previous,
          keepYoungerThanMs:
            body.keep_younger_than_seconds === undefined ? undefined : body.keep_younger_than_seconds * 1000,
          actor: actorOf(principal),
        },
        waitMs: workflowWaitMs,
      });
      return c.json(
        { kept_builds: result.keptBuilds, deleted_builds: result.deletedBuilds, deleted_files: result.deletedFiles },
        200,
      );
    },
  );

  return app;
}
