import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Sql } from '../../db/pool.ts';
import { platformAccess } from '../auth/index.ts';
import { anyObject, jsonContent, pageOf, queryRowId, security } from '../common-schemas.ts';
import { decodeCursor, page, pageQuery } from '../pagination.ts';
import { apiText } from '../text-rules.ts';
import { validationHook } from '../validation.ts';

const auditQuery = pageQuery.extend({
  action: apiText(z.string().min(1).max(100))
    .optional()
    .openapi({ description: 'One action (`breaker.reset`), or every action under a prefix ending in `.`' }),
  subject_type: apiText(z.string().min(1).max(100)).optional(),
  subject_id: apiText(z.string().min(1).max(300)).optional(),
  account_id: queryRowId().optional(),
});

const auditRow = z
  .object({
    id: z.number().int(),
    account_id: z.number().int().nullable().openapi({ description: "Null for the platform's own actions" }),
    action: z.string(),
    actor_type: z.string(),
    actor_id: z.string().nullable(),
    subject_type: z.string().nullable(),
    subject_id: z.string().nullable(),
    details: anyObject,
    workflow_id: z.string().nullable(),
    grant_id: z.number().int().nullable(),
    created_at: z.string(),
  })
  .openapi('AuditRow');

/** The whole installation's audit log, accounts' rows and the platform's own, for the operator. */
export function installationAuditRoutes({ sql }: { sql: Sql }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/audit_log',
      operationId: 'getInstallationAuditLog',
      summary: "Every account's and the platform's audit rows, newest first, by action and subject (platform token)",
      security,
      middleware: platformAccess('platform:admin'),
      request: { query: auditQuery },
      responses: { 200: jsonContent(pageOf(auditRow), 'A page') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const before = decodeCursor(q.cursor);
      const action = q.action?.endsWith('.')
        ? sql`and action like ${`${q.action.replace(/[\\%_]/g, '\\$&')}%`}`
        : q.action
          ? sql`and action = ${q.action}`
          : sql``;
      const rows = await sql<(z.infer<typeof auditRow> & { created_at: Date })[]>`
        select id, account_id, action, actor_type, actor_id, subject_type, subject_id, details, workflow_id, grant_id, created_at
          from audit_log
         where true ${action}
           ${q.subject_type ? sql`and subject_type = ${q.subject_type}` : sql``}
           ${q.subject_id ? sql`and subject_id = ${q.subject_id}` : sql``}
           ${q.account_id ? sql`and account_id = ${q.account_id}` : sql``}
           ${before ? sql`and id < ${before}` : sql``}
         order by id desc limit ${q.limit + 1}`;
      const views = rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() }));
      return c.json(
        page(views, q.limit, (r) => r.id),
        200,
      );
    },
  );
  return app;
}
