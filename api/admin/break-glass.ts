import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { workflows } from '../../contracts/workflows.ts';
import { BREAK_GLASS_PREFIX } from '../../db/break-glass.ts';
import { grantActivation, grantEffects } from '../../db/grant-effects.ts';
import { promotions, recentPromotions } from '../../db/promotions.ts';
import { issueToken } from '../../db/tokens.ts';
import { actorOf } from '../actor.ts';
import { platformAccess, requirePlatform } from '../auth/index.ts';
import { requireScope } from '../auth/scope.ts';
import { idempotencyHeader, jsonBody, jsonContent, listOf, security } from '../common-schemas.ts';
import { ProblemError } from '../problem/index.ts';
import { problemContent, writeAnswers } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import type { Sql } from '../../db/pool.ts';
import { keyOrFresh, runWrite, type WriteRouteDeps } from '../write.ts';
import * as s from './break-glass-schemas.ts';
import { promotion, promotionView } from './schemas.ts';

const noGrant = { 404: { description: 'No such grant, or no such effect of it', content: problemContent } };

/**
 * Before the body is read, as the other access checks: only a user's own ordinary token (403 for platform and
 * break-glass tokens), of a user holding a grant in force (404 otherwise). The activity checks again in its write.
 */
function grantHolderAccess(sql: Sql): MiddlewareHandler {
  return async function checkGrantHolder(c, next) {
    const principal = c.get('principal');
    if (principal.kind !== 'user')
      throw new ProblemError(
        'forbidden',
        'A break-glass grant is activated by its grantee, with their own user token.',
      );
    requireScope(principal, 'break-glass:activate');
    const [grant] = await sql`
      select 1 from super_admin_grants where user_id = ${principal.userId} and ended_at is null and expires_at > now()`;
    if (!grant) throw new ProblemError('notFound', 'You hold no break-glass grant in force.');
    await next();
  };
}

/** A grant's break-glass token (the grantee's own request), and what the grant made (operators). */
export function breakGlassRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/break-glass/activate',
      operationId: 'activateBreakGlass',
      summary: 'Turn your break-glass grant in force into its break-glass token, once (your own user token)',
      description:
        'Your ordinary tokens never act beyond their account, grant or not. The token answered here acts as administrator of every account until the grant ends, and every request made with it is audited with the grant id. A grant is activated once: a second activation answers 409.',
      security,
      middleware: grantHolderAccess(sql),
      request: { headers: idempotencyHeader, body: jsonBody(s.activateBody) },
      responses: {
        201: jsonContent(s.activation, 'Activated; `token` is shown this once'),
        ...writeAnswers,
        404: { description: 'You hold no grant in force', content: problemContent },
        409: { description: 'The grant was activated already', content: problemContent },
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      if (principal.kind !== 'user') throw new ProblemError('forbidden', 'Activate with your own user token.');
      const token = issueToken(BREAK_GLASS_PREFIX);
      const { reason } = c.req.valid('json');
      const { result, replayed } = await runWrite(temporal, {
        entry: workflows.activateBreakGlass,
        key: { userId: principal.userId, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: {
          token: { sha256: token.sha256, prefix: token.prefix },
          activatedWith: principal.tokenId,
          reason,
          actor: actorOf(principal),
        },
        fingerprintOf: { reason },
        waitMs: workflowWaitMs,
      });
      return c.json(s.activationView(result, replayed ? null : token.plaintext), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/grants',
      operationId: 'listGrants',
      summary: 'The 50 newest break-glass grants, in force or ended (platform token)',
      security,
      middleware: platformAccess('platform:admin'),
      responses: { 200: jsonContent(listOf(promotion), 'Grants, newest first') },
    }),
    async (c) => c.json({ payload: (await recentPromotions(sql, 50)).map(promotionView) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/grants/{grantId}',
      operationId: 'getGrant',
      summary: 'A break-glass grant, its token (by prefix) and everything made with it (platform token)',
      security,
      middleware: platformAccess('platform:admin'),
      request: { params: s.grantParam },
      responses: { 200: jsonContent(s.grantWithEffects, 'The grant'), ...noGrant },
    }),
    async (c) => {
      const { grantId } = c.req.valid('param');
      const [grant] = await promotions(sql, { grantId });
      if (!grant) throw new ProblemError('notFound', `Grant ${grantId} does not exist.`);
      const [activation, effects] = await Promise.all([grantActivation(sql, grantId), grantEffects(sql, { grantId })]);
      return c.json(
        {
          ...promotionView(grant),
          activation: activation
            ? {
                token_prefix: activation.prefix,
                reason: activation.reason,
                activated_at: activation.activated_at.toISOString(),
              }
            : null,
          effects: effects.map(s.effectView),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/grants/{grantId}/effects/{effectId}/keep',
      operationId: 'keepGrantEffect',
      summary: 'Keep one thing a grantee made, so it outlives the grant (platform token)',
      security,
      middleware: platformAccess('platform:admin'),
      request: { params: s.effectParam, headers: idempotencyHeader, body: jsonBody(s.keepBody) },
      responses: {
        200: jsonContent(s.effect, 'Kept'),
        ...writeAnswers,
        ...noGrant,
        409: { description: 'It ended with its grant already', content: problemContent },
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const { grantId, effectId } = c.req.valid('param');
      const { result } = await runWrite(temporal, {
        entry: workflows.keepGrantEffect,
        key: { grantId, effectId, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { grantId, effectId, reason: c.req.valid('json').reason, actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      return c.json(s.effectView(result), 200);
    },
  );

  return app;
}
