import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import type { Sql } from '../../db/pool.ts';
import { issueToken } from '../../db/tokens.ts';
import type { AccessTokenRecord, Member } from '../../contracts/members.ts';
import { actorOf } from '../actor.ts';
import { requireAccountAccess } from '../auth/index.ts';
import { accountParam, idempotencyHeader, jsonBody, jsonContent, security } from '../common-schemas.ts';
import { ProblemError } from '../problem/index.ts';
import { commonProblems } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite } from '../write.ts';
import { workflows } from '../../contracts/workflows.ts';

const role = z.enum(['administrator', 'agent']);
const member = z.object({ user_id: z.number().int(), name: z.string(), email: z.string(), role }).openapi('Member');
const accessToken = z
  .object({ id: z.number().int(), user_id: z.number().int(), name: z.string(), prefix: z.string(), revoked_at: z.string().nullable(), token: z.string().optional() })
  .openapi('AccessToken');
const userParam = accountParam.extend({ userId: z.coerce.number().int().positive().openapi({ param: { name: 'userId', in: 'path' } }) });
const tokenParam = accountParam.extend({ tokenId: z.coerce.number().int().positive().openapi({ param: { name: 'tokenId', in: 'path' } }) });
const admins = ['administrator'] as const;

const memberView = (m: Member) => ({ user_id: m.userId, name: m.name, email: m.email, role: m.role });
const tokenView = (t: AccessTokenRecord) => ({ id: t.id, user_id: t.userId, name: t.name, prefix: t.prefix, revoked_at: t.revokedAt });

export function memberRoutes({ sql, temporal, workflowWaitMs }: { sql: Sql; temporal: Client; workflowWaitMs: number }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({ method: 'get', path: '/v1/accounts/{id}/members', summary: 'List members', security, request: { params: accountParam }, responses: { 200: jsonContent(z.object({ payload: z.array(member) }), 'Members'), ...commonProblems } }),
    async (c) => {
      const { id } = c.req.valid('param');
      requireAccountAccess(c.get('principal'), id);
      const rows = await sql<{ user_id: number; name: string; email: string; role: 'administrator' | 'agent' }[]>`
        select au.user_id, u.name, u.email, au.role from account_users au join users u on u.id = au.user_id
         where au.account_id = ${id} order by au.id`;
      return c.json({ payload: rows }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/accounts/{id}/members', summary: 'Add a member (administrators)', security,
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(z.object({ name: z.string().trim().min(1).max(255), email: z.string().trim().toLowerCase().email(), role }).strict()) },
      responses: { 201: jsonContent(member, 'Added'), 200: jsonContent(member, 'Already a member'), ...commonProblems, 402: { description: 'Beyond the licence\'s seats' }, 404: { description: 'No such account' } },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      requireAccountAccess(principal, id, admins);
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
      method: 'patch', path: '/v1/accounts/{id}/members/{userId}', summary: 'Change a member\'s role (administrators)', security,
      request: { params: userParam, body: jsonBody(z.object({ role }).strict()) },
      responses: { 200: jsonContent(member, 'Changed'), ...commonProblems, 404: { description: 'Not a member' }, 409: { description: 'Would leave no administrator' } },
    }),
    async (c) => {
      const { id, userId } = c.req.valid('param');
      const principal = c.get('principal');
      requireAccountAccess(principal, id, admins);
      const { result } = await runWrite(temporal, {
        entry: workflows.changeRole, key: { accountId: id, userId, key: keyOrFresh(undefined) },
        input: { accountId: id, userId, role: c.req.valid('json').role, actor: actorOf(principal) }, waitMs: workflowWaitMs,
      });
      return c.json(memberView(result), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/v1/accounts/{id}/members/{userId}', summary: 'Remove a member (administrators)', security,
      request: { params: userParam },
      responses: { 204: { description: 'Removed (or was not a member)' }, ...commonProblems, 409: { description: 'The last administrator' } },
    }),
    async (c) => {
      const { id, userId } = c.req.valid('param');
      const principal = c.get('principal');
      requireAccountAccess(principal, id, admins);
      await runWrite(temporal, { entry: workflows.removeMember, key: { accountId: id, userId, key: keyOrFresh(undefined) }, input: { accountId: id, userId, actor: actorOf(principal) }, waitMs: workflowWaitMs });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/accounts/{id}/access_tokens', summary: 'List the members\' tokens (administrators)', security, request: { params: accountParam }, responses: { 200: jsonContent(z.object({ payload: z.array(accessToken) }), 'Tokens, by prefix'), ...commonProblems } }),
    async (c) => {
      const { id } = c.req.valid('param');
      requireAccountAccess(c.get('principal'), id, admins);
      const rows = await sql<{ id: number; user_id: number; name: string; prefix: string; revoked_at: Date | null }[]>`
        select t.id, t.owner_id as user_id, t.name, t.prefix, t.revoked_at from access_tokens t
         where t.owner_type = 'User' and t.owner_id in (select user_id from account_users where account_id = ${id}) order by t.id`;
      return c.json({ payload: rows.map((r) => ({ ...r, revoked_at: r.revoked_at?.toISOString() ?? null })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/accounts/{id}/access_tokens', summary: 'Create a token for a member (administrators); shown once', security,
      request: { params: accountParam, body: jsonBody(z.object({ name: z.string().trim().min(1).max(100), user_id: z.number().int().positive().optional() }).strict()) },
      responses: { 201: jsonContent(accessToken, 'Created; `token` is shown this once'), ...commonProblems, 404: { description: 'Not a member' } },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      requireAccountAccess(principal, id, admins);
      const body = c.req.valid('json');
      const userId = body.user_id ?? (principal.kind === 'user' ? principal.userId : undefined);
      if (!userId) throw new ProblemError('validation', 'A platform token must name the user.', { errors: [{ field: 'user_id', message: 'required with a platform token' }] });
      const token = issueToken();
      const { result } = await runWrite(temporal, {
        entry: workflows.createAccessToken, key: { accountId: id, key: keyOrFresh(undefined) },
        input: { accountId: id, userId, name: body.name, token: { sha256: token.sha256, prefix: token.prefix }, actor: actorOf(principal) }, waitMs: workflowWaitMs,
      });
      return c.json({ ...tokenView(result), token: token.plaintext }, 201);
    },
  );

  app.openapi(
    createRoute({ method: 'delete', path: '/v1/accounts/{id}/access_tokens/{tokenId}', summary: 'Revoke a token (administrators); refused from the next request on', security, request: { params: tokenParam }, responses: { 200: jsonContent(accessToken, 'Revoked'), ...commonProblems, 404: { description: 'No such token in this account' } } }),
    async (c) => {
      const { id, tokenId } = c.req.valid('param');
      const principal = c.get('principal');
      requireAccountAccess(principal, id, admins);
      const { result } = await runWrite(temporal, {
        entry: workflows.revokeAccessToken, key: { accountId: id, tokenId, key: keyOrFresh(undefined) }, input: { accountId: id, tokenId, actor: actorOf(principal) }, waitMs: workflowWaitMs,
      });
      return c.json(tokenView(result), 200);
    },
  );

  return app;
}
