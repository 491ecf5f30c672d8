import { isScope, type Scope } from '../domain/scopes.ts';
import type { Sql, TransactionSql } from './pool.ts';

interface PlatformTokenRow {
  id: number;
  app: string;
  name: string;
  prefix: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  scopes: string[];
}

/** A platform token as workflows and the API show it (by prefix; never the secret). */
export interface PlatformTokenView {
  id: number;
  app: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  scopes: Scope[];
}

const view = (r: PlatformTokenRow): PlatformTokenView => ({
  id: r.id,
  app: r.app,
  name: r.name,
  prefix: r.prefix,
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
  scopes: r.scopes.filter(isScope),
});

/** Every platform token, or the one with `id`. */
export async function platformTokens(sql: Sql | TransactionSql, id?: number): Promise<PlatformTokenView[]> {
  const rows = await sql<PlatformTokenRow[]>`
    select t.id, p.name as app, t.name, t.prefix, t.created_at, t.expires_at, t.revoked_at, t.scopes
      from access_tokens t join platform_apps p on p.id = t.owner_id
     where t.owner_type = 'PlatformApp' and (${id ?? null}::bigint is null or t.id = ${id ?? null})
     order by t.id`;
  return rows.map(view);
}
