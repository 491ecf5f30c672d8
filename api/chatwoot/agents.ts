import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { workflows } from '../../contracts/workflows.ts';
import { addMemberInput, changeRoleInput } from '../../contracts/members.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { jsonBody } from '../common-schemas.ts';
import { apiEmail, apiText } from '../text-rules.ts';
import { validationHook } from '../validation.ts';
import { runWrite, type WriteRouteDeps } from '../write.ts';
import { accountParam, done, found, idempotencyHeader, ok, security, userParam } from './common.ts';
import { doorKey } from './idempotency.ts';
import { members } from './queries.ts';
import { agentView } from './views.ts';

const admins = ['administrator'] as const;
/** How long the invitation "add agent" makes stays open: Capstan's invitation default. */
const INVITATION_HOURS = 72;
const availability = z.enum(['available', 'busy', 'offline']);

const addAgentBody = z
  .object({
    name: apiText(addMemberInput.shape.name).optional(),
    email: apiEmail(addMemberInput.shape.email),
    role: addMemberInput.shape.role,
    availability_status: availability.optional(),
    auto_offline: z.boolean().optional(),
  })
  .openapi('ChatwootAgentCreate');
const updateAgentBody = z
  .object({
    role: changeRoleInput.shape.role,
    availability_status: availability.optional(),
    auto_offline: z.boolean().optional(),
  })
  .openapi('ChatwootAgentUpdate');

export function agentRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{id}/agents',
      operationId: 'get-account-agents',
      tags: ['Agents'],
      summary: "The account's agents",
      security,
      middleware: accountAccess({ sql, scope: 'members:read' }),
      request: { params: accountParam },
      responses: ok('A JSON array of agents'),
    }),
    async (c) => c.json((await members(sql, c.req.valid('param').id)).map(agentView), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/accounts/{id}/agents',
      operationId: 'add-new-agent-to-account',
      tags: ['Agents'],
      summary: 'Invite an agent (the invitation rule: nobody joins an account without accepting)',
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'members:manage' }),
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(addAgentBody) },
      responses: ok('The invited agent: `id` null and `confirmed` false until accepted'),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const fingerprint = { email: body.email, role: body.role, hours: INVITATION_HOURS };
      const key = await doorKey(c, temporal, (k) => workflows.inviteMember.id({ accountId: id, key: k }), fingerprint);
      const { result } = await runWrite(temporal, {
        entry: workflows.inviteMember,
        key: { accountId: id, key },
        input: {
          accountId: id,
          email: body.email,
          role: body.role,
          expiresAt: new Date(Date.now() + INVITATION_HOURS * 3_600_000).toISOString(),
          actor: actorOf(c.get('principal')),
        },
        fingerprintOf: fingerprint,
        waitMs: workflowWaitMs,
      });
      const invited = { user_id: 0, account_id: id, name: body.name ?? '', email: result.email, role: result.role };
      return c.json(
        {
          ...agentView(invited),
          id: null,
          confirmed: false,
          invitation: {
            id: result.id,
            status: result.status,
            expires_at: result.expiresAt,
          },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/accounts/{id}/agents/{userId}',
      operationId: 'update-agent-in-account',
      tags: ['Agents'],
      summary: "Change an agent's role",
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'members:manage' }),
      request: { params: userParam, headers: idempotencyHeader, body: jsonBody(updateAgentBody) },
      responses: ok('The agent'),
    }),
    async (c) => {
      const { id, userId } = c.req.valid('param');
      const { role } = c.req.valid('json');
      found((await members(sql, id, userId))[0]);
      const key = await doorKey(c, temporal, (k) => workflows.changeRole.id({ accountId: id, userId, key: k }), {
        role,
      });
      await runWrite(temporal, {
        entry: workflows.changeRole,
        key: { accountId: id, userId, key },
        input: { accountId: id, userId, role, actor: actorOf(c.get('principal')) },
        waitMs: workflowWaitMs,
      });
      return c.json(agentView(found((await members(sql, id, userId))[0])), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/accounts/{id}/agents/{userId}',
      operationId: 'delete-agent-from-account',
      tags: ['Agents'],
      summary: 'Remove an agent from the account',
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'members:manage' }),
      request: { params: userParam, headers: idempotencyHeader },
      responses: done,
    }),
    async (c) => {
      const { id, userId } = c.req.valid('param');
      found((await members(sql, id, userId))[0]);
      const key = await doorKey(c, temporal, (k) => workflows.removeMember.id({ accountId: id, userId, key: k }), {});
      await runWrite(temporal, {
        entry: workflows.removeMember,
        key: { accountId: id, userId, key },
        input: { accountId: id, userId, actor: actorOf(c.get('principal')) },
        waitMs: workflowWaitMs,
      });
      return c.body(null, 200);
    },
  );

  return app;
}
