import type { LicenceClaims } from '../domain/licence/verify.ts';
import type { Sql, TransactionSql } from './pool.ts';

/** Seats are users with at least one membership, counted once whatever their number of accounts. */
export async function seatsUsed(sql: Sql | TransactionSql): Promise<number> {
  // A bot is an account's integration identity, not a person: it takes no seat.
  const [row] = await sql<{ n: number }[]>`
    select count(distinct au.user_id)::int as n from account_users au join users u on u.id = au.user_id
     where u.type is distinct from 'Bot'`;
  return row!.n;
}

export interface StoredLicence {
  id: number;
  key: string;
  kid: string;
  claims: LicenceClaims;
  installed_at: Date;
}

export async function currentLicence(sql: Sql): Promise<StoredLicence | undefined> {
  const [row] = await sql<
    StoredLicence[]
  >`select id, key, kid, claims, installed_at from licences where superseded_at is null`;
  return row;
}

/** The last word of the licensing server, and when it last confirmed the licence. */
export async function heartbeatFacts(sql: Sql, since: Date) {
  const [row] = await sql<
    { last_confirmed: Date | null; last_status: string | null; last_at: Date | null; last_outcome: string | null }[]
  >`
    select (select max(at) from licence_heartbeats where outcome = 'confirmed' and server_status = 'active' and at >= ${since}) as last_confirmed,
           (select server_status from licence_heartbeats where outcome = 'confirmed' and at >= ${since} order by at desc limit 1) as last_status,
           (select max(at) from licence_heartbeats) as last_at,
           (select outcome from licence_heartbeats order by at desc limit 1) as last_outcome`;
  return row!;
}

const LICENCE_LOCK = 0x4c4943; // "LIC"

/** Installs a verified licence, superseding the current one, in one transaction. */
export async function storeLicence(
  sql: Sql,
  licence: { key: string; kid: string; claims: LicenceClaims; installedBy: string },
): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LICENCE_LOCK})`; // an install and a refresh at once: one after the other
    const [current] = await tx<{ key: string }[]>`select key from licences where superseded_at is null`;
    if (current?.key === licence.key) return; // the same key again (a retried refresh): nothing to change
    await tx`update licences set superseded_at = now() where superseded_at is null`;
    await tx`insert into licences (key, kid, claims, installed_by) values (${licence.key}, ${licence.kid}, ${tx.json(licence.claims as never)}, ${licence.installedBy})`;
    await tx`insert into audit_log (actor_type, actor_id, action, subject_type, subject_id, details)
             values ('Installation', ${licence.installedBy}, 'licence.installed', 'Licence', ${licence.claims.sub}, ${tx.json({ plan: licence.claims.plan, seats: licence.claims.seats, exp: licence.claims.exp })})`;
  });
}

/** Heartbeats newest first; each row's key is `<installation>:<workflow id>`, so the run that sent it is known. */
export async function heartbeatHistory(sql: Sql, q: { before?: number; limit: number }) {
  const rows = await sql<
    {
      id: number;
      at: Date;
      idempotency_key: string;
      attempt: number;
      outcome: 'confirmed' | 'failed';
      server_status: string | null;
      http_status: number | null;
      latency_ms: number;
      error: string | null;
    }[]
  >`
    select id, at, idempotency_key, attempt, outcome, server_status, http_status, latency_ms, error
      from licence_heartbeats ${q.before ? sql`where id < ${q.before}::bigint` : sql``}
     order by id desc limit ${q.limit}`;
  return rows.map(({ idempotency_key, ...r }) => ({
    ...r,
    id: Number(r.id),
    at: r.at.toISOString(),
    workflow_id: idempotency_key.slice(idempotency_key.indexOf(':') + 1),
  }));
}
