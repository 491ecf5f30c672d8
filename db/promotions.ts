import type { Sql, TransactionSql } from './pool.ts';

interface GrantRow {
  id: number;
  user_id: number;
  email: string;
  reason: string;
  granted_by: string;
  granted_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  end_reason: 'expired' | 'revoked' | 'force_reset' | null;
  workflow_id: string;
}

/** A break-glass grant as workflows, the API and the CLI show it. */
export interface PromotionView {
  grantId: number;
  userId: number;
  email: string;
  reason: string;
  grantedBy: string;
  grantedAt: string;
  expiresAt: string;
  endedAt: string | null;
  endReason: 'expired' | 'revoked' | 'force_reset' | null;
  workflowId: string;
}

export const promotionView = (r: GrantRow): PromotionView => ({
  grantId: r.id,
  userId: r.user_id,
  email: r.email,
  reason: r.reason,
  grantedBy: r.granted_by,
  grantedAt: r.granted_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
  endedAt: r.ended_at?.toISOString() ?? null,
  endReason: r.end_reason,
  workflowId: r.workflow_id,
});

/** Grants by id, by holder workflow, or the one in force for an email; `forUpdate` locks the rows. */
export async function promotions(
  sql: Sql | TransactionSql,
  by: { grantId: number } | { workflowId: string } | { activeFor: string },
  forUpdate = false,
): Promise<PromotionView[]> {
  const where =
    'grantId' in by
      ? sql`g.id = ${by.grantId}`
      : 'workflowId' in by
        ? sql`g.workflow_id = ${by.workflowId}`
        : sql`lower(u.email) = lower(${by.activeFor}) and g.ended_at is null`;
  const rows = await sql<GrantRow[]>`
    select g.id, g.user_id, u.email, g.reason, g.granted_by, g.granted_at, g.expires_at, g.ended_at, g.end_reason, g.workflow_id
      from super_admin_grants g join users u on u.id = g.user_id
     where ${where}
     order by g.id
     ${forUpdate ? sql`for update of g` : sql``}`;
  return rows.map(promotionView);
}

/** Grants in force now: a small read the lead can turn into a gauge. */
export async function activePromotionCount(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from super_admin_grants where ended_at is null and expires_at > now()`;
  return row!.n;
}

/** The newest grants, in force or ended: what the console's triage page lists. */
export async function recentPromotions(sql: Sql, limit: number): Promise<PromotionView[]> {
  const rows = await sql<GrantRow[]>`
    select g.id, g.user_id, u.email, g.reason, g.granted_by, g.granted_at, g.expires_at, g.ended_at, g.end_reason, g.workflow_id
      from super_admin_grants g join users u on u.id = g.user_id
     order by g.id desc limit ${limit}`;
  return rows.map(promotionView);
}
