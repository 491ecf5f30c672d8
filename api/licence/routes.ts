import { randomUUID } from 'node:crypto';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { licenceState } from '../../db/licence-state.ts';
import { verifyLicence } from '../../domain/licence/verify.ts';
import type { LicenceSettings } from '../../config/licence.ts';
import { actorSecret, installationId } from '../../db/installation.ts';
import { heartbeatHistory, storeLicence } from '../../db/licence.ts';
import type { Sql } from '../../db/pool.ts';
import { workflows } from '../../contracts/workflows.ts';
import { executeWorkflow } from '../../workers/start.ts';
import { ensureLicenceSchedule, heartbeatInterval, LICENCE_SCHEDULE_ID } from '../../workers/schedules.ts';
import { platformAccess, requirePlatform } from '../auth/index.ts';
import { anyObject, jsonBody, jsonContent, pageOf, security } from '../common-schemas.ts';
import { decodeCursor, page, pageQuery } from '../pagination.ts';
import { ProblemError } from '../problem/index.ts';
import { validationHook } from '../validation.ts';
import { isDeadlineExceeded, toProblem } from '../write.ts';
import { actorOf } from '../actor.ts';

/**
 * A licence key is a compact JWS (three base64url parts). The verifier enforces
 * the shape (422, code MALFORMED) along with the signature, which no schema can.
 */
const installBody = z
  .object({
    key: z
      .string()
      .min(1)
      .max(10_000)
      .openapi({ pattern: String.raw`^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$` }),
  })
  .strict()
  .openapi('InstallLicenceRequest');
/** Both workflows take seconds; past this, the worker is likely down and the caller hears so. */
const WAIT_MS = 45_000;

export function licenceRoutes({ sql, temporal, settings }: { sql: Sql; temporal: Client; settings: LicenceSettings }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  async function view() {
    const state = await licenceState(sql, settings);
    let nextHeartbeat: string | null = null;
    let schedulePaused = false;
    try {
      const schedule = await temporal.schedule.getHandle(LICENCE_SCHEDULE_ID).describe();
      nextHeartbeat = schedule.info.nextActionTimes[0]?.toISOString() ?? null;
      schedulePaused = schedule.state.paused;
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
    const c = state.claims;
    return {
      installation_id: await installationId(sql),
      status: state.status,
      plan: c?.plan ?? 'community',
      customer: c?.sub ?? null,
      seats: { used: state.seatsUsed, allowed: c?.seats ?? null },
      features: state.features,
      expires_at: c ? new Date(c.exp * 1000).toISOString() : null,
      grace_seconds: c?.grace ?? null,
      heartbeat: {
        interval_ms: state.heartbeatIntervalMs,
        last_at: state.lastHeartbeatAt?.toISOString() ?? null,
        last_outcome: state.lastHeartbeatOutcome,
        last_confirmed_at: state.lastConfirmedAt?.toISOString() ?? null,
        next_at: nextHeartbeat,
        schedule_paused: schedulePaused,
      },
    };
  }

  /** After anything that changes the status: premium features follow it at once. */
  async function reconcile() {
    const entry = workflows.reconcilePremiumFeatures;
    await temporal.withDeadline(Date.now() + WAIT_MS, () =>
      executeWorkflow(temporal, entry, { cause: `install:${randomUUID()}` }, {}),
    );
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/license',
      operationId: 'getLicence',
      summary: 'Licence status, plan, seats, features, expiry and heartbeats (platform token)',
      security,
      middleware: platformAccess('platform:licence'),
      responses: { 200: jsonContent(anyObject, 'The licence') },
    }),
    async (c) => {
      requirePlatform(c.get('principal'));
      return c.json(await view(), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/license/heartbeats',
      operationId: 'listLicenceHeartbeats',
      summary: 'Heartbeat history, newest first (platform token)',
      security,
      middleware: platformAccess('platform:licence'),
      request: { query: pageQuery },
      responses: { 200: jsonContent(pageOf(anyObject), 'A page') },
    }),
    async (c) => {
      requirePlatform(c.get('principal'));
      const q = c.req.valid('query');
      const rows = await heartbeatHistory(sql, { before: decodeCursor(q.cursor), limit: q.limit + 1 });
      return c.json(
        page(rows, q.limit, (r) => r.id),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/license',
      operationId: 'installLicence',
      summary: 'Install a licence key (platform token); verified before it is saved',
      security,
      middleware: platformAccess('platform:licence'),
      description:
        'The key is written straight to PostgreSQL, not through a workflow: a secret must not enter Temporal history. The reconcile that follows is a workflow.',
      request: { body: jsonBody(installBody) },
      responses: {
        200: jsonContent(anyObject, 'Installed'),
        422: {
          description:
            'Invalid fields, or a key whose signature, issuer, installation or dates do not verify (`code` says which)',
        },
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const verified = await verifyLicence(c.req.valid('json').key, {
        publicKeys: settings.publicKeys,
        issuer: settings.issuer,
        installationId: await installationId(sql),
      });
      if (!verified.ok)
        throw new ProblemError('validation', `The licence key was refused: ${verified.message}.`, {
          code: verified.code,
          errors: [{ field: 'key', message: verified.code }],
        });
      await storeLicence(sql, {
        key: c.req.valid('json').key.trim(),
        kid: verified.kid,
        claims: verified.claims,
        installedBy: `PlatformApp:${principal.appId}`,
      });
      await reconcile();
      await ensureLicenceSchedule(temporal, await heartbeatInterval(sql, settings), await actorSecret(sql));
      return c.json(await view(), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/license/heartbeat',
      operationId: 'runLicenceHeartbeat',
      summary: 'Run a heartbeat now and answer its outcome (platform token)',
      security,
      middleware: platformAccess('platform:licence'),
      responses: {
        200: jsonContent(anyObject, 'The heartbeat and the status after it'),
        502: { description: 'The licensing server refused the key or could not be reached' },
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const key = { key: randomUUID() };
      try {
        const outcome = await temporal.withDeadline(Date.now() + WAIT_MS, () =>
          executeWorkflow(temporal, workflows.licenceHeartbeat, key, { retry: false, actor: actorOf(principal) }),
        );
        return c.json({ ...outcome, licence: await view() }, 200);
      } catch (err) {
        if (isDeadlineExceeded(err))
          throw new ProblemError('unavailable', 'The heartbeat did not finish in time: is a worker running?');
        throw toProblem(err, workflows.licenceHeartbeat.id(key));
      }
    },
  );

  return app;
}
