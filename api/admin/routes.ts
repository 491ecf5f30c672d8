import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { promotionUpdate } from '../../contracts/admin.ts';
import { workflows } from '../../contracts/workflows.ts';
import { hashToken } from '../../db/tokens.ts';
import { startWorkflow } from '../../workers/start.ts';
import { actorOf } from '../actor.ts';
import { platformAccess, requirePlatform } from '../auth/index.ts';
import { idempotencyHeader, jsonBody, jsonContent, security } from '../common-schemas.ts';
import { ProblemError } from '../problem/index.ts';
import { problemContent, writeAnswers } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import { isDeadlineExceeded, keyOrFresh, runWrite, toProblem, type WriteRouteDeps } from '../write.ts';
import * as s from './schemas.ts';

const noUser = { 404: { description: 'No user has this email', content: problemContent } };
const noGrant = { 404: { description: 'The user holds no grant in force', content: problemContent } };
/** Longer than any display prefix (`cap_` or `capbg_` and 8 characters): then it is a whole token, hashed at once. */
const PREFIX_MAX = 16;

/** Triage operations (platform token): break-glass promotion, forced credential reset, auth debugging. */
export function adminRoutes({ temporal, workflowWaitMs }: Omit<WriteRouteDeps, 'sql'>) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/promotions',
      operationId: 'promoteSuperAdmin',
      summary: 'Grant a user break glass for a while (platform token)',
      description:
        "The user's own tokens gain nothing: the grantee activates the grant once, with their own token (`POST /v1/break-glass/activate`), for a break-glass token that acts as administrator in every account while the grant lasts. What that token makes ends with the grant unless kept. A workflow holds the grant and ends it at `expires_at` with a durable timer, whichever worker is alive then.",
      security,
      middleware: platformAccess('platform:admin'),
      request: { headers: idempotencyHeader, body: jsonBody(s.promoteBody) },
      responses: {
        201: jsonContent(s.promotion, 'Granted'),
        ...writeAnswers,
        409: { description: 'The user already holds a grant in force', content: problemContent },
        ...noUser,
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const body = c.req.valid('json');
      const ttlMs = s.ttlMsOf(body.ttl);
      const key = { email: body.email, key: keyOrFresh(c.req.valid('header')['idempotency-key']) };
      const workflowId = workflows.promoteSuperAdmin.id(key);
      const input = { email: body.email, reason: body.reason, ttlMs, actor: actorOf(principal) };
      const handle = await startWorkflow(temporal, workflows.promoteSuperAdmin, key, input).catch((err: unknown) => {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return temporal.workflow.getHandle(workflowId);
        throw err;
      });
      const deadline = Date.now() + workflowWaitMs;
      try {
        const grant = await temporal.withDeadline(deadline, () => handle.executeUpdate(promotionUpdate));
        return c.json(s.promotionView(grant), 201);
      } catch (err) {
        if (isDeadlineExceeded(err)) throw toProblem(err, workflowId);
        // Refused: the run fails with the refusal, which maps like any write's.
        throw toProblem(
          await temporal.withDeadline(deadline, () => handle.result()).catch((e: unknown) => e),
          workflowId,
        );
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/promotions/{email}/revoke',
      operationId: 'revokePromotion',
      summary: "End a user's break-glass grant now (platform token)",
      security,
      middleware: platformAccess('platform:admin'),
      request: { params: s.emailParam, body: jsonBody(s.revokeBody) },
      responses: { 200: jsonContent(s.promotion, 'Ended'), ...writeAnswers, ...noGrant },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const { email } = c.req.valid('param');
      const { result } = await runWrite(temporal, {
        entry: workflows.revokePromotion,
        key: { email, key: keyOrFresh(undefined) },
        input: { email, reason: c.req.valid('json').reason, actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      return c.json(s.promotionView(result), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/promotions/{email}/extend',
      operationId: 'extendPromotion',
      summary: "Move a user's break-glass grant's end later by `ttl` (platform token)",
      security,
      middleware: platformAccess('platform:admin'),
      request: { params: s.emailParam, body: jsonBody(s.extendBody) },
      responses: { 200: jsonContent(s.promotion, 'Extended'), ...writeAnswers, ...noGrant },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const { email } = c.req.valid('param');
      const body = c.req.valid('json');
      const { result } = await runWrite(temporal, {
        entry: workflows.extendPromotion,
        key: { email, key: keyOrFresh(undefined) },
        input: { email, reason: body.reason, ttlMs: s.ttlMsOf(body.ttl), actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      return c.json(s.promotionView(result), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/force-reset',
      operationId: 'forceReset',
      summary: 'Revoke every token of a user at once and require new credentials (platform token)',
      description:
        'Every token of the user answers 401 from the next request; tokens made before the reset stay refused, pending invitations to the email and a break-glass grant end. The way back is a one-time sign-in link the operator issues to the user alone (`POST /v1/admin/sign-in-links`).',
      security,
      middleware: platformAccess('platform:admin'),
      request: { headers: idempotencyHeader, body: jsonBody(s.forceResetBody) },
      responses: { 200: jsonContent(s.forceResetAnswer, 'Reset'), ...writeAnswers, ...noUser },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const body = c.req.valid('json');
      const { result } = await runWrite(temporal, {
        entry: workflows.forceReset,
        key: { email: body.email, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { email: body.email, reason: body.reason, actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      return c.json(
        {
          user_id: result.userId,
          email: result.email,
          tokens_revoked: result.tokensRevoked,
          invitations_revoked: result.invitationsRevoked,
          promotion_ended: result.promotionEnded,
          reset_at: result.resetAt,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/debug-auth',
      operationId: 'debugAuth',
      summary: 'Explain why a token is accepted or refused, naming it by its prefix only (platform token)',
      security,
      middleware: platformAccess('platform:admin'),
      request: { headers: idempotencyHeader, body: jsonBody(s.debugAuthBody) },
      responses: {
        200: jsonContent(z.object({ payload: z.array(s.diagnosis) }), 'One diagnosis per matching token'),
        202: writeAnswers[202],
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const body = c.req.valid('json');
      const text = body.token.trim();
      if (!text) throw new ProblemError('validation', 'Give a token or its prefix.');
      const token = text.length > PREFIX_MAX ? { sha256: hashToken(text) } : { prefix: text };
      const { result } = await runWrite(temporal, {
        entry: workflows.debugAuth,
        key: { key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: {
          token,
          accountId: body.account_id,
          requiredRole: body.required_role,
          requiredScope: body.required_scope,
          reason: body.reason,
          actor: actorOf(principal),
        },
        waitMs: workflowWaitMs,
      });
      return c.json({ payload: result.diagnoses.map(s.diagnosisView) }, 200);
    },
  );

  return app;
}
