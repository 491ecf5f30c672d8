/**
 * Costs as data grows: fills the bench database at size S and at 10×S (test/support/volume/shape.ts), measures the
 * issue's reads and the message append over the real API at each, and prints p99(10×S) / p99(S) per query
 * against the target of 1.5×; then the rows per second each retention target prunes at 10×S.
 * BENCH_SCALE_FACTOR shrinks both sizes for a quick look (S itself is the default, 1).
 */
import { randomUUID } from 'node:crypto';
import { createPool } from '../../db/pool.ts';
import { ensurePlatformToken } from '../../db/tokens.ts';
import { retentionTargetNames } from '../../db/retention.ts';
import { startBenchStack } from '../stack.ts';
import { measure, type RunStats } from '../stats.ts';
import { factsOf } from '../../test/support/volume/facts.ts';
import { fill, unfill } from '../../test/support/volume/fill.ts';
import { pruneRates } from './prune-rates.ts';
import { probes } from './requests.ts';
import { scaled } from '../../test/support/volume/shape.ts';

const FACTOR = Number(process.env.BENCH_SCALE_FACTOR ?? 1);
// A p99 of 300 requests is their third-worst, which one scheduling hiccup decides; of 1,000, the tenth.
const COUNT = Number(process.env.BENCH_COUNT ?? 1000);
const CONCURRENCY = 4;
const TARGET = 1.5;
const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

const began = performance.now();
const stack = await startBenchStack();
const owner = createPool({ url: stack.ownerDatabaseUrl, max: 2, applicationName: 'capstan-bench-owner' });
// The API process runs with API_RATE_LIMIT_PER_TOKEN/PER_ADDRESS=1000000 (bench/api-process.ts).
console.log('rate limits raised for the run: 1,000,000 requests per token and per address per window');
try {
  const results: Record<string, RunStats[]> = {};
  let rates: Awaited<ReturnType<typeof pruneRates>> = [];
  for (const [name, factor] of [
    ['S', FACTOR],
    ['10×S', 10 * FACTOR],
  ] as const) {
    const shape = scaled(factor);
    let t0 = performance.now();
    await unfill(owner);
    await ensurePlatformToken(stack.sql, `bench-${randomUUID()}`, stack.platformToken);
    await fill(owner, shape);
    console.log(`\n${name}: filled in ${seconds(t0)} s`, shape);
    t0 = performance.now();
    await owner`vacuum analyze`;
    console.log(`${name}: vacuum analyze in ${seconds(t0)} s`);
    const facts = await factsOf(stack.sql);
    t0 = performance.now();
    for (const probe of probes(stack.api.url, stack.platformToken, stack.sql, facts)) {
      await measure('warm-up', CONCURRENCY, 20, probe.run);
      (results[probe.label] ??= []).push(await measure(probe.label, CONCURRENCY, COUNT, probe.run));
    }
    console.log(`${name}: measured in ${seconds(t0)} s`);
    if (name === '10×S') rates = await pruneRates(owner);
  }

  console.log(
    `\n${CONCURRENCY} in flight, ${COUNT} each        p50 S  p99 S   p50 10×S p99 10×S   p99 ratio (target ≤ ${TARGET}×)`,
  );
  const missed: string[] = [];
  for (const [label, [s, l]] of Object.entries(results)) {
    const ratio = l!.p99 / s!.p99;
    if (ratio > TARGET) missed.push(label);
    const f = (n: number) => n.toFixed(1).padStart(7);
    console.log(
      `  ${label.padEnd(44)} ${f(s!.p50)} ${f(s!.p99)}   ${f(l!.p50)} ${f(l!.p99)}   ${ratio.toFixed(2).padStart(6)}× ${ratio <= TARGET ? 'met' : 'MISSED'}`,
    );
  }
  console.log('\npruning at 10×S (batches of 1000, each its own statement)');
  for (const r of rates)
    console.log(
      `  ${r.target.padEnd(20)} ${String(r.rows).padStart(8)} rows in ${r.seconds.toFixed(1)} s: ${r.perSecond.toFixed(0)} rows/s`,
    );
  console.log(`  (targets: ${retentionTargetNames.join(', ')})`);
  console.log(`\nmissed: ${missed.length ? missed.join('; ') : 'none'}; total ${seconds(began)} s`);
} finally {
  await owner.end({ timeout: 5 });
  await stack.stop();
}
process.exit(0);
