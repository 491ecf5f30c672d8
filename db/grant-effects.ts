import type { GrantEffect } from '../domain/grant-effect.ts';
import type { Sql, TransactionSql } from './pool.ts';

interface EffectRow {
  id: number;
  grant_id: number;
  kind: GrantEffect['kind'];
  subject_id: number;
  account_id: number;
  created_at: Date;
  kept_at: Date | null;
  kept_by: string | null;
  kept_reason: string | null;
  ended_at: Date | null;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
export const effectView = (r: EffectRow): GrantEffect => ({
  id: r.id,
  grantId: r.grant_id,
  kind: r.kind,
  subjectId: r.subject_id,
  accountId: r.account_id,
  createdAt: r.created_at.toISOString(),
  keptAt: iso(r.kept_at),
  keptBy: r.kept_by,
  keptReason: r.kept_reason,
  endedAt: iso(r.ended_at),
});

/** What a grant's holder made with its break-glass token, oldest first; `forUpdate` locks the rows. */
export async function grantEffects(
  sql: Sql | TransactionSql,
  by: { grantId: number } | { effectId: number },
  forUpdate = false,
): Promise<GrantEffect[]> {
  const where = 'grantId' in by ? sql`grant_id = ${by.grantId}` : sql`id = ${by.effectId}`;
  const rows = await sql<EffectRow[]>`
    select * from break_glass_effects where ${where} order by id ${forUpdate ? sql`for update` : sql``}`;
  return rows.map(effectView);
}

/** The grant's break-glass token, if its grantee activated it: shown by its prefix only. */
export async function grantActivation(
  sql: Sql,
  grantId: number,
): Promise<{ prefix: string; reason: string; activated_at: Date; activated_with: number | null } | undefined> {
  const [row] = await sql<{ prefix: string; reason: string; activated_at: Date; activated_with: number | null }[]>`
    select prefix, reason, created_at as activated_at, activated_with from break_glass_tokens where grant_id = ${grantId}`;
  return row;
}
