import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createPlatformTokenInput, setAccountStatusInput, type PlatformTokenRecord } from '../../contracts/platform.ts';
import { workflows } from '../../contracts/workflows.ts';
import { platformTokens } from '../../db/platform-tokens.ts';
import { issueToken } from '../../db/tokens.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { platformAccess, requirePlatform } from '../auth/index.ts';
import { grantableScopes, requireGrantable } from '../auth/scope.ts';
import { isPlatformScope, platformScopeNames } from '../../domain/scopes.ts';
import {
  accountParam,
  accountStatus,
  idempotencyHeader,
  idParam,
  jsonBody,
  jsonContent,
  listOf,
  scopesField,
  security,
} from '../common-schemas.ts';
import { futureInstant } from '../members/schemas.ts';
import { problemContent, writeAnswers } from '../problem/schema.ts';
import { apiText } from '../text-rules.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite, type WriteRouteDeps } from '../write.ts';

const platformToken = z
  .object({
    id: z.number().int(),
    app: z.string(),
    name: z.string(),
    prefix: z.string(),
    created_at: z.string(),
    expires_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    scopes: z.array(z.enum(platformScopeNames)).openapi({ description: 'What the token may do (domain/scopes.ts)' }),
    token: z.string().optional().openapi({ description: 'The token itself: shown in this answer only' }),
  })
  .openapi('PlatformToken');
const createBody = z
  .object({
    app: apiText(createPlatformTokenInput.shape.app),
    name: apiText(createPlatformTokenInput.shape.name),
    expires_at: futureInstant.optional(),
    scopes: scopesField(
      platformScopeNames,
      'What the token may do; none your own token does not carry (403 naming the scope). Absent: every scope your token carries; tokens made before scopes existed carry every platform scope.',
    ),
  })
  .strict()
  .openapi('CreatePlatformTokenRequest');
const rotateBody = z
  .object({
    grace_seconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .default(0)
      .openapi({ description: 'How long the old token keeps working (default: it stops at once)' }),
  })
  .strict()
  .openapi('RotatePlatformTokenRequest');
const statusBody = z
  .object({ status: accountStatus, reason: apiText(setAccountStatusInput.shape.reason.unwrap()).optional() })
  .strict()
  .openapi('AccountStatusRequest');
const tokenParam = z.object({ tokenId: idParam('tokenId') });
const missing = { 404: { description: 'No such platform token', content: problemContent } };

const view = (t: PlatformTokenRecord) => ({
  id: t.id,
  app: t.app,
  name: t.name,
  prefix: t.prefix,
  created_at: t.createdAt,
  expires_at: t.expiresAt,
  revoked_at: t.revokedAt,
  scopes: t.scopes.filter(isPlatformScope),
});

/** The platform's own keys and its tenants' status: platform tokens only. */
export function platformRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const links = {
    Rotate: { operationId: 'rotatePlatformToken', parameters: { tokenId: '$response.body#/id' } },
    Revoke: { operationId: 'revokePlatformToken', parameters: { tokenId: '$response.body#/id' } },
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/platform/tokens',
      operationId: 'listPlatformTokens',
      summary: 'List platform tokens, by prefix (platform token)',
      security,
      middleware: platformAccess('platform:tokens'),
      responses: { 200: jsonContent(listOf(platformToken), 'Tokens') },
    }),
    async (c) => {
      requirePlatform(c.get('principal'));
      return c.json({ payload: (await platformTokens(sql)).map(view) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/platform/tokens',
      operationId: 'createPlatformToken',
      summary: 'Create a platform token (platform token); shown once',
      security,
      middleware: platformAccess('platform:tokens'),
      request: { headers: idempotencyHeader, body: jsonBody(createBody) },
      responses: {
        201: {
          ...jsonContent(platformToken, 'Created; `token` only on the first answer to an Idempotency-Key'),
          links,
        },
        ...writeAnswers,
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const body = c.req.valid('json');
      const grantable = grantableScopes(principal);
      requireGrantable(body.scopes, grantable);
      const token = issueToken();
      const { result, replayed } = await runWrite(temporal, {
        entry: workflows.createPlatformToken,
        key: { key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: {
          app: body.app,
          name: body.name,
          token: { sha256: token.sha256, prefix: token.prefix },
          expiresAt: body.expires_at,
          scopes: body.scopes ?? grantable,
          actor: actorOf(principal),
        },
        fingerprintOf: { app: body.app, name: body.name, expiresAt: body.expires_at, scopes: body.scopes },
        waitMs: workflowWaitMs,
      });
      return c.json({ ...view(result), ...(!replayed && { token: token.plaintext }) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/platform/tokens/{tokenId}/rotate',
      operationId: 'rotatePlatformToken',
      summary: 'Replace a platform token with a new one (platform token); shown once',
      security,
      middleware: platformAccess('platform:tokens'),
      request: { params: tokenParam, headers: idempotencyHeader, body: jsonBody(rotateBody) },
      responses: {
        201: { ...jsonContent(platformToken, 'The new token; the old one stops at once or after the grace'), links },
        ...writeAnswers,
        ...missing,
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const { tokenId } = c.req.valid('param');
      // The new token carries the old one's scopes: rotating a token that carries more would widen this one.
      const [old] = await platformTokens(sql, tokenId);
      if (old) requireGrantable(old.scopes, grantableScopes(principal));
      const token = issueToken();
      const graceSeconds = c.req.valid('json').grace_seconds;
      const { result, replayed } = await runWrite(temporal, {
        entry: workflows.rotatePlatformToken,
        key: { tokenId, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: {
          tokenId,
          token: { sha256: token.sha256, prefix: token.prefix },
          graceSeconds,
          actor: actorOf(principal),
        },
        fingerprintOf: { tokenId, graceSeconds },
        waitMs: workflowWaitMs,
      });
      return c.json({ ...view(result), ...(!replayed && { token: token.plaintext }) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/platform/tokens/{tokenId}',
      operationId: 'revokePlatformToken',
      summary: 'Revoke a platform token (platform token); refused from the next request on',
      security,
      middleware: platformAccess('platform:tokens'),
      request: { params: tokenParam },
      responses: { 200: jsonContent(platformToken, 'Revoked'), ...writeAnswers, ...missing },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const { tokenId } = c.req.valid('param');
      const { result } = await runWrite(temporal, {
        entry: workflows.revokePlatformToken,
        key: { tokenId, key: keyOrFresh(undefined) },
        input: { tokenId, actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      return c.json(view(result), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/accounts/{id}',
      operationId: 'setAccountStatus',
      summary: 'Suspend or reactivate an account (platform token)',
      security,
      description:
        'A suspended account answers reads, refuses writes with 423, and its webhooks stop until it is reactivated.',
      middleware: [
        platformAccess('platform:accounts', '', { anyApp: true }),
        accountAccess({ sql, scope: 'platform:accounts', whileSuspended: 'allow' }),
      ],
      request: { params: accountParam, body: jsonBody(statusBody) },
      responses: {
        200: jsonContent(
          z.object({ id: z.number().int(), status: accountStatus, changed: z.boolean() }),
          'The status now',
        ),
        ...writeAnswers,
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const { result } = await runWrite(temporal, {
        entry: workflows.setAccountStatus,
        key: { accountId: id, key: keyOrFresh(undefined) },
        input: { accountId: id, status: body.status, reason: body.reason, actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      return c.json({ id: result.accountId, status: result.status, changed: result.changed }, 200);
    },
  );

  return app;
}
