/**
 * The nonce of every command proof a run has presented (domain/actor-proof.ts), written in the
 * transaction of the run's first write: the first run that shows a proof spends it, a retried
 * attempt of that run (same run id) passes again, any other run is refused. A row is needed only
 * while its proof is young enough to be accepted (`expires_at`); the proof-nonce schedule prunes
 * the rest, oldest first, in batches.
 */
export async function up(sql) {
  await sql`
    create table proof_nonces (
      nonce text primary key,
      run_id text not null,
      workflow_type text not null,
      workflow_id text not null,
      spent_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`;
  await sql`create index proof_nonces_expires_at on proof_nonces (expires_at)`;
}

export async function down(sql) {
  await sql`drop table if exists proof_nonces`;
}
