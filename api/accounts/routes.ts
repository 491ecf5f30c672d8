import { randomUUID } from 'node:crypto';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { findAccount, listAccounts } from '../../db/accounts.ts';
import { permittedIds } from '../../db/permissibles.ts';
import type { Sql } from '../../db/pool.ts';
import type { Principal } from '../../db/tokens.ts';
import { decodeCursor, page, pageQuery } from '../pagination.ts';
import { accountAccess } from '../auth/account-access.ts';
import { platformAccess, requirePlatform } from '../auth/index.ts';
import { tokenAccess } from '../auth/scope.ts';
import { ProblemError } from '../problem/index.ts';
import { writeAnswers } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import { provisionThroughWorkflow } from './provision.ts';
import { accountParam, idempotencyHeader, pageOf, security } from '../common-schemas.ts';
import { account, provisionAccountBody, provisionedAccount, provisionedLinks } from './schemas.ts';
import type { WriteRouteDeps } from '../write.ts';

const provisionRoute = createRoute({
  method: 'post',
  path: '/v1/accounts',
  operationId: 'provisionAccount',
  summary: 'Provision an account with its first administrator',
  description:
    'Runs the `provisionAccount` workflow. Send an `Idempotency-Key` so a retried request never makes a second account.',
  security,
  middleware: platformAccess('platform:accounts', '', { anyApp: true }),
  request: {
    headers: idempotencyHeader,
    body: { required: true, content: { 'application/json': { schema: provisionAccountBody } } },
  },
  responses: {
    201: {
      description: "Account created; the administrator's one-time sign-in link is shown this once",
      content: { 'application/json': { schema: provisionedAccount } },
      links: provisionedLinks,
    },
    200: {
      description: 'Replay of an earlier request with the same key; no link',
      content: { 'application/json': { schema: provisionedAccount } },
      links: provisionedLinks,
    },
    ...writeAnswers,
  },
});

/**
 * The accounts a token lists (`undefined`: all): the operator's and a super admin's see every one, another
 * platform app's the accounts it made, a user token the account it was made for, whatever else its user joined.
 */
async function listable(sql: Sql, principal: Principal): Promise<number[] | undefined> {
  if (principal.kind === 'platform')
    return principal.operator ? undefined : permittedIds(sql, principal.appId, 'Account');
  // A user token acts in the account it was made for only, whatever else its user belongs to.
  return principal.kind === 'breakGlass' ? undefined : [...principal.roles.keys()];
}

export function accountRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const getRoute = createRoute({
    method: 'get',
    path: '/v1/accounts/{id}',
    operationId: 'getAccount',
    summary: 'Read an account',
    security,
    middleware: accountAccess({ sql, scope: 'accounts:read' }),
    request: { params: accountParam },
    responses: {
      200: { description: 'The account', content: { 'application/json': { schema: account } } },
      404: { description: 'No such account' },
    },
  });

  app.openapi(provisionRoute, async (c) => {
    const principal = c.get('principal');
    requirePlatform(principal);
    const idempotencyKey = c.req.valid('header')['idempotency-key'] ?? randomUUID();
    const outcome = await provisionThroughWorkflow(temporal, {
      idempotencyKey,
      body: c.req.valid('json'),
      actor: { type: 'PlatformApp', id: String(principal.appId) },
      waitMs: workflowWaitMs,
    });
    const { account, admin } = outcome.result;
    const body = {
      account,
      admin: { id: admin.id, email: admin.email },
      sign_in_expires_at: outcome.signIn?.expiresAt ?? null,
    };
    c.get('logger').info({ workflowId: outcome.workflowId, created: outcome.signIn !== null }, 'provisionAccount');
    const location = `/v1/accounts/${account.id}`;
    return outcome.signIn
      ? c.json(body, 201, { Location: location })
      : c.json(body, 200, { Location: location, 'Idempotent-Replayed': 'true' });
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts',
      operationId: 'listAccounts',
      summary: 'The accounts this token sees, newest first',
      description:
        "The operator's platform token or a break-glass token in force sees every account, another platform token the accounts its app made; a user token the account it was made for.",
      security,
      middleware: tokenAccess({ user: 'accounts:read', platform: 'platform:accounts' }),
      request: { query: pageQuery },
      responses: { 200: { description: 'A page', content: { 'application/json': { schema: pageOf(account) } } } },
    }),
    async (c) => {
      const principal = c.get('principal');
      const q = c.req.valid('query');
      const rows = await listAccounts(sql, {
        only: await listable(sql, principal),
        before: decodeCursor(q.cursor),
        limit: q.limit + 1,
      });
      const views = rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() }));
      return c.json(
        page(views, q.limit, (r) => r.id),
        200,
      );
    },
  );

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const found = await findAccount(sql, id);
    if (!found) throw new ProblemError('notFound', `Account ${id} does not exist.`);
    return c.json({ ...found, created_at: found.created_at.toISOString() }, 200);
  });

  return app;
}
