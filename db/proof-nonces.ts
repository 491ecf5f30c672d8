import type { Sql, TransactionSql } from './pool.ts';

export interface Spend {
  nonce: string;
  expiresAt: Date;
  workflowType: string;
  workflowId: string;
  runId: string;
}

/**
 * Spends a proof's nonce for this run, in the caller's transaction. True when the nonce was free or is
 * already this run's (a retried attempt); false when another run spent it. One statement: the insert
 * that finds the row taken updates it only when the run is the same, so a row comes back in both good cases.
 */
export async function spendNonce(tx: TransactionSql | Sql, s: Spend): Promise<boolean> {
  const rows = await tx`
    insert into proof_nonces (nonce, run_id, workflow_type, workflow_id, expires_at)
    values (${s.nonce}, ${s.runId}, ${s.workflowType}, ${s.workflowId}, ${s.expiresAt})
    on conflict (nonce) do update set run_id = excluded.run_id where proof_nonces.run_id = excluded.run_id
    returning 1`;
  return rows.length === 1;
}

/**
 * Deletes up to `batch` nonces whose proofs can no longer be accepted (an hour past their expiry, for clock
 * skew between the API that signed and the worker that checks); the oldest first.
 */
export async function pruneNonces(sql: Sql, batch: number): Promise<number> {
  const deleted = await sql`
    delete from proof_nonces where nonce in (
      select nonce from proof_nonces where expires_at < now() - interval '1 hour'
       order by expires_at limit ${batch})`;
  return deleted.count;
}
