import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { PremiumFeature } from '../../config/licence.ts';
import type { Sql } from '../../db/pool.ts';
import { accountAccess } from '../auth/account-access.ts';
import { accountParam, anyObject, jsonContent, pageOf, security } from '../common-schemas.ts';
import { decodeCursor, page, pageQuery } from '../pagination.ts';
import { ProblemError } from '../problem/index.ts';
import { validationHook } from '../validation.ts';

/** 402 naming the feature unless the account has it (the licence reconcile keeps `premium_features`). */
export async function requireFeature(sql: Sql, accountId: number, feature: PremiumFeature): Promise<void> {
  const [row] = await sql<
    { on: boolean }[]
  >`select ${feature} = any(premium_features) as on from accounts where id = ${accountId}`;
  if (!row) throw new ProblemError('notFound', `Account ${accountId} does not exist.`);
  if (!row.on)
    throw new ProblemError(
      'paymentRequired',
      `This needs the premium feature "${feature}", which the installation's licence does not include.`,
      { feature },
    );
}

/** An account's audit rows newest first, unawaited: test/api/query-plans.test.ts explains it. */
export function auditLogQuery(sql: Sql, q: { accountId: number; before?: number; limit: number }) {
  return sql<
    {
      id: number;
      action: string;
      actor_type: string;
      actor_id: string | null;
      subject_type: string | null;
      subject_id: string | null;
      details: unknown;
      workflow_id: string | null;
      /** Set when the actor used a break-glass token: the account sees what was done under which grant. */
      grant_id: number | null;
      created_at: Date;
    }[]
  >`
    select id, action, actor_type, actor_id, subject_type, subject_id, details, workflow_id, grant_id, created_at from audit_log
     where account_id = ${q.accountId} ${q.before ? sql`and id < ${q.before}` : sql``} order by id desc limit ${q.limit}`;
}

export function auditLogRoutes({ sql }: { sql: Sql }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/audit_log',
      operationId: 'getAuditLog',
      summary: "The account's audit log, newest first (administrators; premium feature audit_logs)",
      security,
      middleware: accountAccess({ sql, roles: ['administrator'], scope: 'audit:read' }),
      request: { params: accountParam, query: pageQuery },
      responses: {
        200: jsonContent(pageOf(anyObject), 'A page'),
        402: { description: 'The licence does not include audit_logs' },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await requireFeature(sql, id, 'audit_logs');
      const q = c.req.valid('query');
      const before = decodeCursor(q.cursor);
      const rows = await auditLogQuery(sql, { accountId: id, before, limit: q.limit + 1 });
      return c.json(
        page(
          rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() })),
          q.limit,
          (r) => r.id,
        ),
        200,
      );
    },
  );
  return app;
}
