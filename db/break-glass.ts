import { scopesFor } from '../domain/scopes.ts';
import type { Sql } from './pool.ts';
import type { TokenLookup } from './tokens.ts';

/** Break-glass tokens have their own prefix: a lookup knows at once which table to read. */
export const BREAK_GLASS_PREFIX = 'capbg_';

/** What PostgreSQL knows of one break-glass token and its grant, for the lookup and for auth debugging. */
export interface BreakGlassFacts {
  id: number;
  prefix: string;
  grant_id: number;
  user_id: number;
  email: string;
  expires_at: Date;
  ended_at: Date | null;
  end_reason: 'expired' | 'revoked' | 'force_reset' | null;
  /** The grant has not ended, its expiry has not passed, and its user's credentials were not reset since. */
  in_force: boolean;
}

/** The break-glass token with this hash, or every one shown by this prefix (at most 20). */
export async function breakGlassFacts(
  sql: Sql,
  by: { sha256: string } | { prefix: string },
): Promise<BreakGlassFacts[]> {
  const where = 'sha256' in by ? sql`b.token_sha256 = ${by.sha256}` : sql`b.prefix = ${by.prefix}`;
  return sql<BreakGlassFacts[]>`
    select b.id, b.prefix, b.grant_id, g.user_id, u.email, g.expires_at, g.ended_at, g.end_reason,
           g.ended_at is null and g.expires_at > now() and b.created_at > coalesce(u.credentials_reset_at, '-infinity')
             as in_force
      from break_glass_tokens b
      join super_admin_grants g on g.id = b.grant_id
      join users u on u.id = g.user_id
     where ${where}
     order by b.id
     limit 20`;
}

/**
 * A break-glass token opens every account while its grant is in force, and nothing after. It acts as an
 * administrator there, so it carries every scope an administrator may hold.
 */
export function classifyBreakGlass(row: BreakGlassFacts): TokenLookup {
  const who = { tokenId: Number(row.id), userId: Number(row.user_id), grantId: Number(row.grant_id) };
  return row.in_force
    ? { outcome: 'ok', principal: { kind: 'breakGlass', ...who, scopes: new Set(scopesFor('administrator')) } }
    : { outcome: 'grant_ended', ...who };
}

export interface BreakGlassUse {
  tokenId: number;
  userId: number;
  grantId: number;
  /** `break_glass.used`, or `break_glass.refused` for a token whose grant has ended. */
  action: 'break_glass.used' | 'break_glass.refused';
  method: string;
  path: string;
  requestId: string | undefined;
}

const ACCOUNT_PATH = /^\/v1\/accounts\/(\d{1,15})(?:\/|$)/;

/**
 * Every request made with a break-glass token, reads included, leaves an audit row naming its grant, in the
 * account's own log when the path names an account that exists.
 * Written by the API itself, like its rate-limit rows: it is the record of the authentication, it must land before
 * the request is served, and a read has no workflow to write it.
 */
export async function recordBreakGlassUse(sql: Sql, use: BreakGlassUse): Promise<void> {
  const details = { method: use.method, path: use.path, tokenId: use.tokenId, requestId: use.requestId ?? null };
  const accountId = Number(ACCOUNT_PATH.exec(use.path)?.[1] ?? 0);
  await sql`
    insert into audit_log (account_id, actor_type, actor_id, action, subject_type, subject_id, details, grant_id)
    values ((select id from accounts where id = ${accountId}), 'User', ${String(use.userId)}, ${use.action},
            'SuperAdminGrant', ${String(use.grantId)}, ${sql.json(details)}, ${use.grantId})`;
}
