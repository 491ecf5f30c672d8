import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Sql } from '../../db/pool.ts';
import { tokenAccess } from '../auth/scope.ts';
import { ProblemError } from '../problem/index.ts';
import { validationHook } from '../validation.ts';
import { ok, security } from './common.ts';

/**
 * `GET /api/v1/profile`: the token's user in the one account the token was made for. Never `access_token`
 * (Capstan keeps only hashes), never the user's other accounts (a token opens one account).
 */
export function profileRoutes({ sql }: { sql: Sql }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/profile',
      operationId: 'fetchProfile',
      tags: ['Profile'],
      summary: "The token's user, in the token's account",
      security,
      middleware: tokenAccess({ user: 'accounts:read', hint: 'The profile is a user token’s.' }),
      responses: ok('The profile'),
    }),
    async (c) => {
      const principal = c.get('principal');
      if (principal.kind !== 'user') throw new ProblemError('forbidden', 'The profile is a user token’s.');
      const [row] = await sql<
        { id: number; name: string; email: string; type: string | null; account_name: string; status: string }[]
      >`
        select u.id, u.name, u.email, u.type, a.name as account_name, a.status
          from users u join accounts a on a.id = ${principal.accountId} where u.id = ${principal.userId}`;
      if (!row) throw new ProblemError('notFound');
      const role = principal.roles.get(principal.accountId) ?? 'agent';
      const account = {
        id: principal.accountId,
        name: row.account_name,
        status: row.status,
        active_at: null,
        role,
        permissions: [role],
        availability: 'offline',
        availability_status: 'offline',
        auto_offline: true,
        custom_role_id: null,
        custom_role: null,
      };
      return c.json(
        {
          id: row.id,
          account_id: principal.accountId,
          available_name: row.name,
          avatar_url: '',
          confirmed: true,
          display_name: null,
          message_signature: null,
          email: row.email,
          inviter_id: null,
          name: row.name,
          provider: 'email',
          role,
          ui_settings: {},
          uid: row.email,
          type: row.type === 'SuperAdmin' ? 'SuperAdmin' : null,
          custom_attributes: {},
          accounts: [account],
        },
        200,
      );
    },
  );
  return app;
}
