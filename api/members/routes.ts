import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { issueToken, type Principal } from '../../db/tokens.ts';
import type { Member } from '../../contracts/members.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { platformAccess, requirePlatform } from '../auth/index.ts';
import { grantableScopes, requireGrantable } from '../auth/scope.ts';
import type { UserScope } from '../../domain/scopes.ts';
import { accountParam, idempotencyHeader, jsonBody, jsonContent, listOf, security } from '../common-schemas.ts';
import { ProblemError } from '../problem/index.ts';
import { problemContent, writeAnswers } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite, type WriteRouteDeps } from '../write.ts';
import { workflows } from '../../contracts/workflows.ts';
import {
  accessToken,
  addMemberBody,
  changeRoleBody,
  createTokenBody,
  member,
  memberLinks,
  tokenParam,
  tokenView,
  userParam,
} from './schemas.ts';

const admins = ['administrator'] as const;

const memberView = (m: Member) => ({ user_id: m.userId, name: m.name, email: m.email, role: m.role });

/** The caller's own user: a token for anyone else is refused before any workflow starts. */
function ownUserId(principal: Principal, asked: number | undefined): number {
  if (principal.kind !== 'user' || (asked !== undefined && asked !== principal.userId))
    throw new ProblemError('forbidden', 'A user makes tokens for themselves only, with their own token.');
  return principal.userId;
}

export function memberRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/members',
      operationId: 'listMembers',
      summary: 'List members',
      security,
      middleware: accountAccess({ sql, scope: 'members:read' }),
      request: { params: accountParam },
      responses: { 200: jsonContent(listOf(member), 'Members') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const rows = await sql<{ user_id: number; name: string; email: string; role: 'administrator' | 'agent' }[]>`
        select au.user_id, u.name, u.email, au.role from account_users au join users u on u.id = au.user_id
         where au.account_id = ${id} order by au.id`;
      return c.json({ payload: rows }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/members',
      operationId: 'addMember',
      security,
      middleware: [
        platformAccess('platform:accounts', 'Administrators invite members: POST /v1/accounts/{id}/invitations.', {
          anyApp: true,
        }),
        accountAccess({ sql, scope: 'platform:accounts' }),
      ],
      summary: 'Add a member directly (platform token)',
      description:
        "Chatwoot's platform API: links the user with this email, made if needed. Administrators invite instead (`POST …/invitations`), so they learn nothing about users of other accounts.",
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(addMemberBody) },
      responses: {
        201: { ...jsonContent(member, 'Added'), links: memberLinks },
        200: { ...jsonContent(member, 'Already a member'), links: memberLinks },
        ...writeAnswers,
        402: { description: "All the licence's seats are taken", content: problemContent },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      requirePlatform(principal, 'Administrators invite members: POST /v1/accounts/{id}/invitations.');
      const body = c.req.valid('json');
      const { result, replayed } = await runWrite(temporal, {
        entry: workflows.addMember,
        key: { accountId: id, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { accountId: id, ...body, actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      return c.json(memberView(result), result.created && !replayed ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/accounts/{id}/members/{userId}',
      operationId: 'changeMemberRole',
      summary: "Change a member's role (administrators)",
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'members:manage' }),
      request: { params: userParam, body: jsonBody(changeRoleBody) },
      responses: {
        200: jsonContent(member, 'Changed'),
        ...writeAnswers,
        404: { description: 'Not a member' },
        409: { description: 'Would leave no administrator' },
      },
    }),
    async (c) => {
      const { id, userId } = c.req.valid('param');
      const principal = c.get('principal');
      const { result } = await runWrite(temporal, {
        entry: workflows.changeRole,
        key: { accountId: id, userId, key: keyOrFresh(undefined) },
        input: { accountId: id, userId, role: c.req.valid('json').role, actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      return c.json(memberView(result), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/accounts/{id}/members/{userId}',
      operationId: 'removeMember',
      summary: 'Remove a member (administrators)',
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'members:manage' }),
      request: { params: userParam },
      responses: {
        204: { description: 'Removed (or was not a member)' },
        ...writeAnswers,
        409: { description: 'The last administrator' },
      },
    }),
    async (c) => {
      const { id, userId } = c.req.valid('param');
      const principal = c.get('principal');
      await runWrite(temporal, {
        entry: workflows.removeMember,
        key: { accountId: id, userId, key: keyOrFresh(undefined) },
        input: { accountId: id, userId, actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/access_tokens',
      operationId: 'listAccessTokens',
      summary: "List the members' tokens (administrators)",
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'tokens:manage' }),
      request: { params: accountParam },
      responses: { 200: jsonContent(listOf(accessToken), 'Tokens, by prefix') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const rows = await sql<
        { id: number; user_id: number; name: string; prefix: string; revoked_at: Date | null; scopes: UserScope[] }[]
      >`
        select t.id, t.owner_id as user_id, t.name, t.prefix, t.revoked_at, t.scopes from access_tokens t
         where t.owner_type = 'User' and t.account_id = ${id} order by t.id`;
      return c.json({ payload: rows.map((r) => ({ ...r, revoked_at: r.revoked_at?.toISOString() ?? null })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/access_tokens',
      operationId: 'createAccessToken',
      summary: 'Make yourself another token for this account (members); shown once',
      description:
        'A token is made by the user it acts as, with their own token: nobody, administrators and platform tokens included, makes one for another person.',
      security,
      middleware: accountAccess({ sql, scope: 'tokens:own' }),
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(createTokenBody) },
      responses: {
        201: {
          ...jsonContent(
            accessToken,
            'Created; `token` is shown this once (not on a repeat with the same Idempotency-Key)',
          ),
          links: {
            Revoke: {
              operationId: 'revokeAccessToken',
              parameters: { id: '$request.path.id', tokenId: '$response.body#/id' },
            },
          },
        },
        ...writeAnswers,
        404: { description: 'Not a member' },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      const body = c.req.valid('json');
      const userId = ownUserId(principal, body.user_id);
      const scopeBound = grantableScopes(principal, c.get('account').via);
      requireGrantable(body.scopes, scopeBound);
      const token = issueToken();
      const { result, replayed } = await runWrite(temporal, {
        entry: workflows.createAccessToken,
        key: { accountId: id, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: {
          accountId: id,
          userId,
          name: body.name,
          token: { sha256: token.sha256, prefix: token.prefix },
          expiresAt: body.expires_at,
          scopes: body.scopes,
          scopeBound,
          actor: actorOf(principal),
        },
        fingerprintOf: { userId, name: body.name, expiresAt: body.expires_at, scopes: body.scopes },
        waitMs: workflowWaitMs,
      });
      return c.json({ ...tokenView(result), ...(!replayed && { token: token.plaintext }) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/accounts/{id}/access_tokens/{tokenId}',
      operationId: 'revokeAccessToken',
      summary: 'Revoke a token (administrators); refused from the next request on',
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'tokens:manage' }),
      request: { params: tokenParam },
      responses: {
        200: jsonContent(accessToken, 'Revoked'),
        ...writeAnswers,
        404: { description: 'No such token in this account' },
      },
    }),
    async (c) => {
      const { id, tokenId } = c.req.valid('param');
      const principal = c.get('principal');
      const { result } = await runWrite(temporal, {
        entry: workflows.revokeAccessToken,
        key: { accountId: id, tokenId, key: keyOrFresh(undefined) },
        input: { accountId: id, tokenId, actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      return c.json(tokenView(result), 200);
    },
  );

  return app;
}
