import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createBotInput, type BotRecord } from '../../contracts/members.ts';
import { workflows } from '../../contracts/workflows.ts';
import { issueToken, type Principal } from '../../db/tokens.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { grantableScopes, requireGrantable } from '../auth/scope.ts';
import {
  accountParam,
  idempotencyHeader,
  idParam,
  jsonBody,
  jsonContent,
  listOf,
  security,
} from '../common-schemas.ts';
import { accessToken, createTokenBody, tokenView } from '../members/schemas.ts';
import { ProblemError } from '../problem/index.ts';
import { problemContent, writeAnswers } from '../problem/schema.ts';
import { apiText } from '../text-rules.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite, type WriteRouteDeps } from '../write.ts';

const admins = ['administrator'] as const;
const bot = z.object({ id: z.number().int(), account_id: z.number().int(), name: z.string() }).openapi('Bot');
const botBody = z
  .object({ name: apiText(createBotInput.shape.name) })
  .strict()
  .openapi('CreateBotRequest');
const botTokenBody = createTokenBody.omit({ user_id: true }).openapi('CreateBotTokenRequest');
const botParam = accountParam.extend({ botId: idParam('botId') });
const view = (b: BotRecord) => ({ id: b.id, account_id: b.accountId, name: b.name });

/**
 * Bots are made and given tokens by an administrator with their own token (or a break-glass token, which acts as
 * one and whose bots end with its grant), never by a platform token.
 */
function administrator(principal: Principal): Principal {
  if (principal.kind === 'platform')
    throw new ProblemError('forbidden', "An account's administrators make its bots and their tokens.");
  return principal;
}

/**
 * Integration identities (bots, API-channel apps) an account owns: the one kind of identity whose tokens
 * someone else — the account's administrators — makes, since no person holds it.
 */
export function botRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/bots',
      operationId: 'createBot',
      summary: 'Make an integration identity (bot) the account owns (administrators)',
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'members:manage' }),
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(botBody) },
      responses: { 201: jsonContent(bot, 'Made; an agent of this account only'), ...writeAnswers },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { result } = await runWrite(temporal, {
        entry: workflows.createBot,
        key: { accountId: id, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { accountId: id, name: c.req.valid('json').name, actor: actorOf(administrator(c.get('principal'))) },
        waitMs: workflowWaitMs,
      });
      return c.json(view(result), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/bots',
      operationId: 'listBots',
      summary: "List the account's bots (administrators)",
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'members:manage' }),
      request: { params: accountParam },
      responses: { 200: jsonContent(listOf(bot), 'Bots, oldest first') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const rows = await sql<{ id: number; account_id: number; name: string }[]>`
        select id, bot_account_id as account_id, name from users where type = 'Bot' and bot_account_id = ${id} order by id`;
      return c.json({ payload: rows }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/bots/{botId}/access_tokens',
      operationId: 'createBotToken',
      summary: "Make a token for one of the account's bots (administrators); shown once",
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'tokens:manage' }),
      request: { params: botParam, headers: idempotencyHeader, body: jsonBody(botTokenBody) },
      responses: {
        201: jsonContent(accessToken, 'Made; `token` is shown this once'),
        ...writeAnswers,
        404: { description: 'No such bot in this account', content: problemContent },
      },
    }),
    async (c) => {
      const { id, botId } = c.req.valid('param');
      const body = c.req.valid('json');
      const [owned] = await sql`select 1 from users where id = ${botId} and type = 'Bot' and bot_account_id = ${id}`;
      if (!owned) throw new ProblemError('notFound', `Account ${id} has no bot ${botId}.`);
      const scopeBound = grantableScopes(c.get('principal'), c.get('account').via);
      requireGrantable(body.scopes, scopeBound);
      const token = issueToken();
      const { result, replayed } = await runWrite(temporal, {
        entry: workflows.createAccessToken,
        key: { accountId: id, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: {
          accountId: id,
          userId: botId,
          name: body.name,
          token: { sha256: token.sha256, prefix: token.prefix },
          expiresAt: body.expires_at,
          scopes: body.scopes,
          scopeBound,
          actor: actorOf(administrator(c.get('principal'))),
        },
        fingerprintOf: { botId, name: body.name, expiresAt: body.expires_at, scopes: body.scopes },
        waitMs: workflowWaitMs,
      });
      return c.json({ ...tokenView(result), ...(!replayed && { token: token.plaintext }) }, 201);
    },
  );

  return app;
}
