import type { Sql } from '../../db/pool.ts';
import { pruneBatch, retentionTargetNames } from '../../db/retention.ts';

const BATCH = 1000;
/** Batches per target at most: enough for a rate, short enough for the run. */
const MAX_BATCHES = 60;
const DAY_MS = 86_400_000;
/** Cut-offs that reach into each filled table (deliveries and dead letters span 60 days, audit rows 400). */
const daysKept: Record<string, number> = {
  webhook_deliveries: 30,
  audit_log: 365,
  dead_letters: 30,
  licence_heartbeats: 90,
};

/** Rows per second each retention target deletes, with the code the schedules run. */
export async function pruneRates(sql: Sql) {
  const rates = [];
  for (const target of retentionTargetNames) {
    const before = new Date(Date.now() - (daysKept[target] ?? 30) * DAY_MS);
    const t0 = performance.now();
    let rows = 0;
    for (let i = 0; i < MAX_BATCHES; i++) {
      const n = await pruneBatch(sql, target, before, BATCH);
      rows += n;
      if (n < BATCH) break;
    }
    const seconds = (performance.now() - t0) / 1000;
    rates.push({ target, rows, seconds, perSecond: rows / seconds });
  }
  return rates;
}
