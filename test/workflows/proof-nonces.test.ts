import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { workflows } from '../../contracts/workflows.ts';
import { startWorkflow } from '../../workers/start.ts';
import { useStack } from '../support/stack.ts';

// A database of its own: the prune deletes every expired nonce, whichever file spent it.
const stack = useStack({ ownDatabase: true });

async function nonces(n: number, expiresAt: string): Promise<void> {
  await stack.sql`
    insert into proof_nonces (nonce, run_id, workflow_type, workflow_id, expires_at)
    select ${randomUUID()} || '-' || i, 'run', 'addMember', 'member:1:k', ${expiresAt}::timestamptz
      from generate_series(1, ${n}) i`;
}

describe('pruneProofNonces, the proof-nonces schedule’s workflow', () => {
  it('deletes in batches every nonce whose proof is past its age (and an hour of skew), and keeps the rest', async () => {
    await nonces(250, new Date(Date.now() - 2 * 3_600_000).toISOString());
    await nonces(7, new Date(Date.now() - 30 * 60_000).toISOString()); // expired, within the skew margin
    await nonces(5, new Date(Date.now() + 3_600_000).toISOString());

    const handle = await startWorkflow(
      stack.temporal,
      workflows.pruneProofNonces,
      { key: randomUUID() },
      { batch: 100, actor: { type: 'Operator', id: 'vitest' } },
    );
    const result = await handle.result();

    // The run's own proof is the one nonce it spends: it is young, so it stays too.
    expect(result).toEqual({ deleted: 250 });
    const [{ n }] = await stack.sql<[{ n: number }]>`select count(*)::int as n from proof_nonces`;
    expect(n).toBe(7 + 5 + 1);
    // 100 + 100 + 50: three batches, each a short transaction of its own (local activity markers).
    const markers = (await handle.fetchHistory()).events!.filter(
      (e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
    );
    expect(markers).toHaveLength(1 + 3); // the proof check, then the batches
  });
});
