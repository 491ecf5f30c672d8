import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import type { Sql } from '../../db/pool.ts';
import { issueToken } from '../../db/tokens.ts';
import { addMemberInput, changeRoleInput, createAccessTokenInput, type AccessTokenRecord, type Member } from '../../contracts/members.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { accountParam, idempotencyHeader, idParam, jsonBody, jsonContent, listOf, role, security } from '../common-schemas.ts';
import { problemContent, writeAnswers } from '../problem/schema.ts';
import { apiEmail, apiText } from '../text-rules.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite } from '../write.ts';
import { workflows } from '../../contracts/workflows.ts';

const member = z.object({ user_id: z.number().int(), name: z.string(), email: z.string(), role }).openapi('Member');
const accessToken = z
  .object({ id: z.number().int(), user_id: z.number().int(), name: z.string(), prefix: z.string(), revoked_at: z.string().nullable(), token: z.string().optional() })
  .openapi('AccessToken');
const userParam = accountParam.extend({ userId: idParam('userId') });
const tokenParam = accountParam.extend({ tokenId: idParam('tokenId') });
const admins = ['administrator'] as const;

const addMemberBody = addMemberInput
  .pick({ name: true, email: true, role: true })
  .extend({ name: apiText(addMemberInput.shape.name), email: apiEmail(addMemberInput.shape.email) })
  .strict()
  .openapi('AddMemberRequest');
const changeRoleBody = changeRoleInput.pick({ role: true }).strict().openapi('ChangeRoleRequest');
const createTokenBody = z
  .object({
    name: apiText(createAccessTokenInput.shape.name),
    user_id: createAccessTokenInput.shape.userId.max(Number.MAX_SAFE_INTEGER).openapi({ description: 'The member the token acts as' }),
  })
  .strict()
  .openapi('CreateAccessTokenRequest');

const memberLinks = {
  ChangeRole: { operationId: 'changeMemberRole', parameters: { id: '$request.path.id', userId: '$response.body#/user_id' } },
  Remove: { operationId: 'removeMember', parameters: { id: '$request.path.id', userId: '$response.body#/user_id' } },
  CreateToken: { operationId: 'createAccessToken', parameters: { id: '$request.path.id' }, requestBody: { name: 'linked', user_id: '$response.body#/user_id' } },
};

const memberView = (m: Member) => ({ user_id: m.userId, name: m.name, email: m.email, role: m.role });
const tokenView = (t: AccessTokenRecord) => ({ id: t.id, user_id: t.userId, name: t.name, prefix: t.prefix, revoked_at: t.revokedAt });

export function memberRoutes({ sql, temporal, workflowWaitMs }: { sql: Sql; temporal: Client; workflowWaitMs: number }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/accounts/{id}/members', operationId: 'listMembers', summary: 'List members', security, middleware: accountAccess({ sql }),
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
      method: 'post', path: '/v1/accounts/{id}/members', operationId: 'addMember', summary: 'Add a member (administrators)', security, middleware: accountAccess({ sql, roles: admins }),
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(addMemberBody) },
      responses: {
        201: { ...jsonContent(member, 'Added'), links: memberLinks },
        200: { ...jsonContent(member, 'Already a member'), links: memberLinks },
        ...writeAnswers,
        402: { description: 'All the licence\'s seats are taken', content: problemContent },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      const body = c.req.valid('json');
      const { result, replayed } = await runWrite(temporal, {
        entry: workflows.addMember, key: { accountId: id, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { accountId: id, ...body, actor: actorOf(principal) }, waitMs: workflowWaitMs,
      });
      return c.json(memberView(result), result.created && !replayed ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch', path: '/v1/accounts/{id}/members/{userId}', operationId: 'changeMemberRole', summary: 'Change a member\'s role (administrators)', security, middleware: accountAccess({ sql, roles: admins }),
      request: { params: userParam, body: jsonBody(changeRoleBody) },
      responses: { 200: jsonContent(member, 'Changed'), ...writeAnswers, 404: { description: 'Not a member' }, 409: { description: 'Would leave no administrator' } },
    }),
    async (c) => {
      const { id, userId } = c.req.valid('param');
      const principal = c.get('principal');
      const { result } = await runWrite(temporal, {
        entry: workflows.changeRole, key: { accountId: id, userId, key: keyOrFresh(undefined) },
        input: { accountId: id, userId, role: c.req.valid('json').role, actor: actorOf(principal) }, waitMs: workflowWaitMs,
      });
      return c.json(memberView(result), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/v1/accounts/{id}/members/{userId}', operationId: 'removeMember', summary: 'Remove a member (administrators)', security, middleware: accountAccess({ sql, roles: admins }),
      request: { params: userParam },
      responses: { 204: { description: 'Removed (or was not a member)' }, ...writeAnswers, 409: { description: 'The last administrator' } },
    }),
    async (c) => {
      const { id, userId } = c.req.valid('param');
      const principal = c.get('principal');
      await runWrite(temporal, { entry: workflows.removeMember, key: { accountId: id, userId, key: keyOrFresh(undefined) }, input: { accountId: id, userId, actor: actorOf(principal) }, waitMs: workflowWaitMs });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/accounts/{id}/access_tokens', operationId: 'listAccessTokens', summary: 'List the members\' tokens (administrators)', security, middleware: accountAccess({ sql, roles: admins }),
      request: { params: accountParam },
      responses: { 200: jsonContent(listOf(accessToken), 'Tokens, by prefix') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const rows = await sql<{ id: number; user_id: number; name: string; prefix: string; revoked_at: Date | null }[]>`
        select t.id, t.owner_id as user_id, t.name, t.prefix, t.revoked_at from access_tokens t
         where t.owner_type = 'User' and t.owner_id in (select user_id from account_users where account_id = ${id}) order by t.id`;
      return c.json({ payload: rows.map((r) => ({ ...r, revoked_at: r.revoked_at?.toISOString() ?? null })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/accounts/{id}/access_tokens', operationId: 'createAccessToken', summary: 'Create a token for a member (administrators); shown once', security, middleware: accountAccess({ sql, roles: admins }),
      request: { params: accountParam, body: jsonBody(createTokenBody) },
      responses: {
        201: { ...jsonContent(accessToken, 'Created; `token` is shown this once'), links: { Revoke: { operationId: 'revokeAccessToken', parameters: { id: '$request.path.id', tokenId: '$response.body#/id' } } } },
        ...writeAnswers,
        403: { description: 'The user belongs to an account the caller may not manage', content: problemContent },
        404: { description: 'Not a member' },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      const body = c.req.valid('json');
      const userId = body.user_id;
      const token = issueToken();
      const { result } = await runWrite(temporal, {
        entry: workflows.createAccessToken, key: { accountId: id, key: keyOrFresh(undefined) },
        input: { accountId: id, userId, name: body.name, token: { sha256: token.sha256, prefix: token.prefix }, actor: actorOf(principal) }, waitMs: workflowWaitMs,
      });
      return c.json({ ...tokenView(result), token: token.plaintext }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/v1/accounts/{id}/access_tokens/{tokenId}', operationId: 'revokeAccessToken', summary: 'Revoke a token (administrators); refused from the next request on', security, middleware: accountAccess({ sql, roles: admins }),
      request: { params: tokenParam },
      responses: { 200: jsonContent(accessToken, 'Revoked'), ...writeAnswers, 404: { description: 'No such token in this account' } },
    }),
    async (c) => {
      const { id, tokenId } = c.req.valid('param');
      const principal = c.get('principal');
      const { result } = await runWrite(temporal, {
        entry: workflows.revokeAccessToken, key: { accountId: id, tokenId, key: keyOrFresh(undefined) }, input: { accountId: id, tokenId, actor: actorOf(principal) }, waitMs: workflowWaitMs,
      });
      return c.json(tokenView(result), 200);
    },
  );

  return app;
}
